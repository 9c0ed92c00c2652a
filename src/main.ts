import { mount } from 'svelte';
import { GRAPH_CATALOG } from 'virtual:tabgraph/catalog';
import App from './App.svelte';
import { Controller } from './client/controller';
import { Connection } from './client/server/connection';
import { Session } from './client/session';
import { ThreadLink } from './client/threadLink';

/** The worker is a module worker; Vite bundles it and its dependencies separately. */
const createSession = () =>
  new Session({
    createWorker: () => new Worker(new URL('./worker/main.ts', import.meta.url), { type: 'module', name: 'tabgraph' }),
  });
// Tabs of the app follow each other's runs live (BroadcastChannel, same origin only).
const controller = new Controller({ transport: createSession(), graphs: GRAPH_CATALOG.map((g) => g.id) });
// Where runs happen: this tab, or a LangGraph server (`?api=<server URL>` connects at once).
const connection = new Connection({
  useTransport: (t) => controller.useTransport(t),
  createTab: createSession,
  cspEvents: document,
});
const api = new URLSearchParams(location.search).get('api');
const connected = api ? connection.connect(api) : Promise.resolve(false);

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
// A page kept in the back/forward cache may come back: only a page really going away says goodbye.
addEventListener('pagehide', (e) => e.persisted || controller.crossTab?.close());
mount(App, { target, props: { controller, connection } });
// The open thread is in the URL: a link (or a reload) opens it at once; back and forward move between threads.
// With `?api=`, the thread lives on the server: open it once connected.
void connected.then(() => new ThreadLink(controller, window).start());

// Tests and the benchmark drive the live page through this handle.
(globalThis as { __tabgraph?: Controller }).__tabgraph = controller;

// The app shell is cached by a versioned service worker (production builds only), so a loaded
// app reloads and runs offline. Relative URL: the site may live under any path.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker
    .register('./sw.js')
    .catch((err: unknown) => console.warn('service worker not registered', err));
}
