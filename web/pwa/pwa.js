// Links the web manifest and registers the service worker (web/pwa/sw.template.js) and, when a new build is waiting,
// offers to reload into it. Built with DOM calls only: no HTML strings.
(function () {
  if (!("serviceWorker" in navigator)) return;
  let accepted = false;
  function offer(worker) {
    if (document.getElementById("update-banner")) return;
    const bar = document.createElement("div");
    bar.id = "update-banner";
    bar.className = "banner update";
    bar.setAttribute("role", "status");
    const text = document.createElement("span");
    text.textContent = "A new version of Switchboard is ready. Your work is saved.";
    const button = document.createElement("button");
    button.textContent = "Reload to update";
    button.addEventListener("click", function () {
      accepted = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    });
    bar.append(text, button);
    document.body.prepend(bar);
  }
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (accepted) location.reload();
  });
  // Registered once the app has what the first lesson needs (the script bundle comes last,
  // after the first grade): the worker's precache then finds those files in the HTTP cache
  // instead of competing with them for a slow network. Half a minute after the page loaded,
  // it registers anyway.
  var registered = false;
  function register() {
    if (registered) return;
    registered = true;
    var manifest = document.createElement("link");
    manifest.rel = "manifest";
    manifest.href = "manifest.webmanifest";
    document.head.appendChild(manifest);
    navigator.serviceWorker.register("sw.js").then(function (reg) {
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      reg.addEventListener("updatefound", function () {
        const worker = reg.installing;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
        });
      });
    });
  }
  if ("PerformanceObserver" in window) {
    new PerformanceObserver(function (list, observer) {
      if (list.getEntriesByName("switchboard-bundle").length) {
        observer.disconnect();
        register();
      }
    }).observe({ type: "mark", buffered: true });
  }
  window.addEventListener("load", function () {
    setTimeout(register, 30000);
  });
})();
