// The Run page's step log: follows it live while the step runs (GET …/logs?follow=true, read as it
// streams), written with textContent so a log line is never markup. Also the timestamps toggle.
(function () {
  "use strict";
  function follow(pre) {
    var state = document.getElementById("log-state");
    var url = pre.getAttribute("data-follow");
    var tries = 0;
    function say(text) {
      if (state) { state.textContent = text; }
    }
    function attempt() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/plain" } })
        .then(function (response) {
          if (response.status === 401 || response.status === 403) {
            say("the log needs a token with scope write (HTTP " + response.status + ")");
            return;
          }
          if (!response.ok || !response.body) {
            throw new Error("HTTP " + response.status);
          }
          say("following");
          var reader = response.body.getReader();
          var decoder = new TextDecoder();
          var first = true;
          function pump() {
            return reader.read().then(function (chunk) {
              var bottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
              if (first) { pre.textContent = ""; first = false; }
              if (chunk.done) {
                pre.textContent += decoder.decode();
                pre.setAttribute("data-ended", "true");
                say("the step ended");
                // the step's end is recorded by now: the page's state catches up (run.html)
                pre.dispatchEvent(new CustomEvent("gridrun:step-log-ended", { bubbles: true }));
                return;
              }
              pre.textContent += decoder.decode(chunk.value, { stream: true });
              if (bottom) { pre.scrollTop = pre.scrollHeight; }
              return pump();
            });
          }
          return pump();
        })
        .catch(function () {
          tries += 1;
          say("waiting for the log");
          setTimeout(attempt, Math.min(5000, 500 * tries));
        });
    }
    attempt();
  }
  function start() {
    document.querySelectorAll("pre[data-follow]").forEach(follow);
    document.querySelectorAll("input[data-autosubmit]").forEach(function (input) {
      input.addEventListener("change", function () { input.form.submit(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
