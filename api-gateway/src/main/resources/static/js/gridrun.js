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
