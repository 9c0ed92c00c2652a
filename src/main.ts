import { mount } from 'svelte';
import App from './App.svelte';
import { CrossTab } from './client/crossTab';
import { Session } from './client/session';

/** The worker is a module worker; Vite bundles it and its dependencies separately. */
const session = new Session({
  createWorker: () => new Worker(new URL('./worker/main.ts', import.meta.url), { type: 'module', name: 'tabgraph' }),
});

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// Tabs of the app follow each other's runs live (BroadcastChannel, same origin only).
const crossTab =
  typeof BroadcastChannel === 'function'
    ? new CrossTab({ stores: session.stores, onLocalEvents: (l) => session.onEvents(l) })
    : undefined;
// A page kept in the back/forward cache may come back: only a page really going away says goodbye.
if (crossTab) addEventListener('pagehide', (e) => e.persisted || crossTab.close());
mount(App, { target, props: { session, crossTab } });

// Tests and the benchmark drive the live session through this handle.
(globalThis as { __tabgraph?: Session }).__tabgraph = session;

// The app shell is cached by a versioned service worker (production builds only), so a loaded
// app reloads and runs offline. Relative URL: the site may live under any path.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('./sw.js')
    .catch((err: unknown) => console.warn('service worker not registered', err));
}
