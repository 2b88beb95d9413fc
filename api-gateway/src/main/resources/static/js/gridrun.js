// gridrun's web UI: the little script the pages need beyond htmx (docs/ui.md).
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="_csrf"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // unsafe htmx requests carry the CSRF token as a header too
  document.addEventListener("htmx:configRequest", function (e) {
    var token = csrfToken();
    if (token && e.detail.verb !== "get") {
      e.detail.headers["X-CSRF-TOKEN"] = token;
    }
  });
  // <form data-confirm="Delete …?"> asks before it is sent
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  window.gridrun = { csrfToken: csrfToken };
})();
// a values field is marked invalid while its message (swapped in by htmx) is not empty
document.addEventListener("htmx:afterSettle", function () {
  document.querySelectorAll(".field-error[id]").forEach(function (message) {
    var field = document.querySelector('[aria-describedby="' + message.id + '"]');
    if (field) {
      if (message.textContent.trim()) {
        field.setAttribute("aria-invalid", "true");
      } else {
        field.removeAttribute("aria-invalid");
      }
    }
  });
});
// a live refresh (data-live-refresh) that failed, the service busy or restarting, tries again a few
// times, spaced out: otherwise the page would show a stale state until the next event, if any
document.addEventListener("htmx:afterRequest", function (e) {
  var elt = e.detail.elt;
  if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-live-refresh")) {
    return;
  }
  if (e.detail.successful) {
    elt.removeAttribute("data-live-failures");
    return;
  }
  var failures = Number(elt.getAttribute("data-live-failures") || 0) + 1;
  elt.setAttribute("data-live-failures", String(failures));
  if (failures <= 5) {
    window.setTimeout(function () { htmx.trigger(elt, "gridrun:retry"); }, 1000 * failures);
  }
});
// htmx:sseOpen fires for a page's first connection too, right after it loads (the gateway answers
// at once): a page only has to catch up when its stream opens after a failure (refused, dropped),
// since htmx reopens it without Last-Event-ID and the events of the gap are not replayed
document.addEventListener("htmx:sseError", function (e) {
  e.target.setAttribute("data-sse-failed", "true");
});
document.addEventListener("htmx:sseOpen", function (e) {
  var elt = e.target;
  if (elt.hasAttribute("data-sse-failed")) {
    elt.removeAttribute("data-sse-failed");
    elt.dispatchEvent(new CustomEvent("gridrun:sse-reopened", { bubbles: true }));
  }
});
