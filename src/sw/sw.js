/**
 * Tabgraph's service worker: caches the app shell so that, once loaded, the app reloads and runs
 * (with the demo engine) with the network off. `__TABGRAPH_VERSION__` and `__TABGRAPH_PRECACHE__`
 * are filled in at build time (build/serviceWorker.ts); each build gets its own cache and the
 * caches of older builds are deleted when it activates. The WebLLM chunk and model files are not
 * precached: they are fetched only when a user picks WebLLM, and then cached on use.
 */
const VERSION = '__TABGRAPH_VERSION__';
const PRECACHE = __TABGRAPH_PRECACHE__;
const PREFIX = 'tabgraph-shell-';
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new URL(p, self.registration.scope).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Fresh page when online, the cached shell when not.
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .match(new URL('index.html', self.registration.scope).href, { cacheName: CACHE })
          .then((r) => r || Response.error()),
      ),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
