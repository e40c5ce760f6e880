// Registers the offline app shell (/sw.js) and hands it the files this page loaded before the
// worker controlled it, so that the next reload works without a network too.

export async function registerShell() {
  const sw = globalThis.navigator?.serviceWorker;
  if (!sw || !globalThis.isSecureContext) return;  // http on a LAN address: no worker, the page still works
  try {
    await sw.register("/sw.js", { scope: "/" });
    const ready = await sw.ready;
    const loaded = performance.getEntriesByType("resource").map((e) => e.name)
      .filter((u) => u.startsWith(`${location.origin}/static/`));
    ready.active?.postMessage({ type: "keep", urls: [location.pathname, ...loaded] });
  } catch {
    // a browser that refuses workers (private mode, policy): everything works online
  }
}
