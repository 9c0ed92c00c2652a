import { flushSync, mount, unmount } from 'svelte';
import StreamingMarkdown from '../../src/ui/markdown/StreamingMarkdown.svelte';

/**
 * `StreamingMarkdown` mounted with reactive props, for code that cannot declare runes itself
 * (bench/faults.mjs drives it through `page.evaluate`). `append` adds text and flushes Svelte's
 * updates at once, as a token stream does; rendering then waits for animation frames.
 */
export function mountStreamingMarkdown(target: HTMLElement) {
  const props = $state({ text: '' });
  const component = mount(StreamingMarkdown, { target, props });
  return {
    append(text: string): void {
      props.text += text;
      flushSync();
    },
    destroy(): void {
      void unmount(component);
    },
  };
}
