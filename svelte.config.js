import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte 5 with TypeScript in components. */
export default {
  preprocess: vitePreprocess(),
};
