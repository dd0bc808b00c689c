// Switchboard's service worker: every file of this build is precached at install, and then
// served from the cache first, so the site works with no network at all. The file list and
// the version are written in by web/pwa/postbuild.mjs after each build; a new build is a new
// cache, and the old one is deleted once the new worker takes over.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = "switchboard-" + VERSION;

// A file whose name carries its content's hash (Trunk's `name-<16 hex>.ext`) is taken from
// the browser's HTTP cache when the page already fetched it; any other file is revalidated
// (a 304 when unchanged). Either way a first visit downloads each file once.
const HASHED = /-[0-9a-f]{12,16}(?:_bg)?\.\w+$/;
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        PRECACHE.map(async (url) => {
          const response = await fetch(new Request(url, { cache: HASHED.test(url) ? "force-cache" : "no-cache" }));
          if (!response.ok) throw new Error(`${url}: ${response.status}`);
          await cache.put(url, response);
        }),
      ),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("switchboard-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page asks the waiting worker to take over when the learner accepts the update.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // Every page of the app is index.html (routing is in the URL fragment).
      const key = request.mode === "navigate" ? "./" : request;
      const hit = await cache.match(key, { ignoreSearch: true });
      return hit || fetch(request);
    }),
  );
});
