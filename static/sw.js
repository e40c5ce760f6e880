// The offline app shell. A reload without a network opens the pages from what this device has
// seen, and the page opens the room from the replica and outbox it keeps (connection.js).
//
// Network first, always: a page, a script or the stylesheet comes from the server whenever it
// answers (so a new version is never hidden behind an old copy), and from this cache only
// when it does not. Nothing of /api, /ws or any other origin is ever cached: personal data and
// live state go through the socket and the replica, not through here.

const CACHE = "hackrooms-shell-v1";
const SHELL = ["/", "/static/css/app.css", "/static/js/participant.js"];
const NEVER = [/^\/api(\/|$)/, /^\/ws(\/|$)/, /^\/healthz$/, /^\/openapi\.json$/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// A page names the files it loaded before this worker controlled it: they are kept too.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  const urls = (event.data.urls || []).filter((u) => cacheable(new URL(u, self.location.origin)));
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(urls.map((u) => cache.add(u).catch(() => null)))));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !cacheable(url)) return;  // the browser's own handling
  event.respondWith(networkFirst(request, url));
});

function cacheable(url) {
  return url.origin === self.location.origin && !NEVER.some((p) => p.test(url.pathname));
}

async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (failure) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    // Every /join/{code} is the same app as "/": the page reads the code from its address.
    if (request.mode === "navigate" && url.pathname.startsWith("/join/")) {
      const shell = await cache.match("/");
      if (shell) return shell;
    }
    throw failure;
  }
}
