// galley live reload. `galley serve` injects this into HTML responses (never into
// files on disk), after setting window.__galleyLiveReload = {events, instance, build, error}.
// Server-Sent Events: the stream says which page this is (`?page=`), so the
// server can render it again after a save; `hello` on connect, `reload` after
// a good build (with the changed output paths, the articles that moved and
// those that were removed),
// `build-error` after a failed one, `bye` when the server stops.
(function () {
  "use strict";
  var config = window.__galleyLiveReload;
  if (!config || window.__galleyLiveReloadRunning) return;
  window.__galleyLiveReloadRunning = true;

  var OVERLAY_ID = "galley-error-overlay";
  var GONE_ID = "galley-gone-overlay";
  var MARK = "data-galley-livereload";
  var build = config.build;
  var backoff = 250;
  var source = null;

  // The output file this page came from, as the server names changed paths.
  function currentFile() {
    var path = location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
    return path.endsWith("/") ? path + "index.html" : path;
  }

  function showError(message) {
    var overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute(MARK, "");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,0,0,.88);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2em;";
      var title = document.createElement("h2");
      title.textContent = "galley: the last save did not build; showing the last good version";
      title.style.cssText = "font:bold 16px sans-serif;margin:0 0 1em;color:#ff8a80;";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0;";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    // textContent: an error message is text, never markup.
    overlay.lastChild.textContent = message;
  }

  // The article this page shows was deleted: say so, with a way home, and
  // keep the last version readable underneath.
  function showGone(home) {
    if (document.getElementById(GONE_ID)) return;
    var overlay = document.createElement("div");
    overlay.id = GONE_ID;
    overlay.setAttribute(MARK, "");
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
      "background:#263238;color:#fff;font:15px/1.5 sans-serif;padding:1em 2em;";
    var text = document.createElement("p");
    text.style.margin = "0";
    text.textContent = "galley: this article was deleted from the site. ";
    var link = document.createElement("a");
    link.href = home;
    link.textContent = "Go to the home page";
    link.style.color = "#80cbc4";
    text.appendChild(link);
    overlay.appendChild(text);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function clearError() {
    var overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function stylesheets(doc) {
    return Array.prototype.slice.call(doc.querySelectorAll('link[rel~="stylesheet"]'));
  }

  // The page without what live reload adds and without stylesheet links, to
  // tell "only the stylesheets changed" from any other change.
  function comparable(doc) {
    var root = doc.documentElement.cloneNode(true);
    root.querySelectorAll("[" + MARK + '], link[rel~="stylesheet"]').forEach(function (el) {
      el.remove();
    });
    return root.outerHTML;
  }

  function swapStylesheet(link, href) {
    var next = link.cloneNode();
    next.href = href;
    next.addEventListener("load", function () { link.remove(); });
    next.addEventListener("error", function () { link.remove(); });
    link.after(next);
  }

  function refreshPage() {
    fetch(location.href, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var oldLinks = stylesheets(document);
        var newLinks = stylesheets(fresh);
        if (comparable(fresh) !== comparable(document) || oldLinks.length !== newLinks.length) {
          location.reload();
          return;
        }
        newLinks.forEach(function (link, i) {
          var href = link.getAttribute("href");
          if (oldLinks[i].getAttribute("href") !== href) swapStylesheet(oldLinks[i], href);
        });
      })
      .catch(function () { location.reload(); });
  }

  function onReload(event) {
    clearError();
    var data = JSON.parse(event.data);
    build = data.build;
    var here = currentFile();
    // The article moved (a new slug, date or file name): follow it.
    if (data.moved && Object.prototype.hasOwnProperty.call(data.moved, here)) {
      location.replace(data.moved[here] + location.search + location.hash);
      return;
    }
    if (data.removed && data.removed.indexOf(here) >= 0) {
      showGone(data.home || "/");
      return;
    }
    if (data.all || data.paths.indexOf(here) >= 0) {
      refreshPage();
      return;
    }
    // A stylesheet whose name did not change: re-fetch it in place.
    data.paths.forEach(function (path) {
      if (!path.endsWith(".css")) return;
      stylesheets(document).forEach(function (link) {
        if (new URL(link.href, location.href).pathname === path) {
          swapStylesheet(link, path + "?galley-reload=" + Date.now());
        }
      });
    });
  }

  function connect() {
    source = new EventSource(config.events + "?page=" + encodeURIComponent(location.pathname));
    source.addEventListener("hello", function (event) {
      backoff = 250;
      var data = JSON.parse(event.data);
      // A restarted server, or builds this page missed while disconnected.
      if (data.instance !== config.instance || data.build !== build) {
        location.reload();
        return;
      }
      if (data.error) showError(data.error); else clearError();
    });
    source.addEventListener("reload", onReload);
    source.addEventListener("build-error", function (event) {
      showError(JSON.parse(event.data).message);
    });
    source.addEventListener("bye", function () { retry(); });
    source.onerror = function () {
      // EventSource retries by itself after a dropped stream; after a refused
      // connection or an error status it gives up, so retry with backoff.
      if (source.readyState === EventSource.CLOSED) retry();
    };
  }

  function retry() {
    if (source) source.close();
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 5000);
  }

  if (config.error) showError(config.error);
  connect();
})();
