import { mount } from 'svelte';
import { GRAPH_CATALOG } from 'virtual:tabgraph/catalog';
import App from './App.svelte';
import { Controller } from './client/controller';
import { Session } from './client/session';

/** The worker is a module worker; Vite bundles it and its dependencies separately. */
const session = new Session({
  createWorker: () => new Worker(new URL('./worker/main.ts', import.meta.url), { type: 'module', name: 'tabgraph' }),
});
// Tabs of the app follow each other's runs live (BroadcastChannel, same origin only).
const controller = new Controller({ transport: session, graphs: GRAPH_CATALOG.map((g) => g.id) });

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// A page kept in the back/forward cache may come back: only a page really going away says goodbye.
addEventListener('pagehide', (e) => e.persisted || controller.crossTab?.close());
mount(App, { target, props: { controller } });

// Tests and the benchmark drive the live page through this handle.
(globalThis as { __tabgraph?: Controller }).__tabgraph = controller;

// The app shell is cached by a versioned service worker (production builds only), so a loaded
// app reloads and runs offline. Relative URL: the site may live under any path.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('./sw.js')
    .catch((err: unknown) => console.warn('service worker not registered', err));
}
