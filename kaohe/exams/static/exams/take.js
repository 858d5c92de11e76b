/* The examinee page: countdown, saves that survive a dropped connection, page-leave events.
   Saves are htmx requests (hx-post on each question); a failed one is retried when the
   browser is back online. The server refuses anything after submission or time-out. */
(function () {
  "use strict";
  var bar = document.getElementById("take-bar");
  if (!bar) { return; }
  var pending = new Set();
  var netState = document.getElementById("net-state");
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function showNet() {
    var words = bar.dataset;
    netState.textContent = navigator.onLine ? (pending.size ? words.pendingText.replace("{n}", pending.size) : words.onlineText) : words.offlineText;
  }
  document.body.addEventListener("htmx:sendError", function (e) {
    var form = e.detail.elt.closest("form.question");
    if (form) { pending.add(form); form.classList.add("pending"); form.querySelector(".saved").textContent = bar.dataset.unsavedText; }
    showNet();
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt.closest("form.question");
    if (!form || !e.detail.xhr) { return; }
    var status = e.detail.xhr.status;
    if (status === 200) {
      pending.delete(form); form.classList.remove("pending"); form.classList.add("answered");
      document.getElementById("answered").textContent = document.querySelectorAll("form.question.answered").length;
    } else if (status === 409 || status === 403) {
      window.location.href = bar.dataset.doneUrl;
    }
    showNet();
  });
  function retry() {
    if (!navigator.onLine) { showNet(); return; }
    pending.forEach(function (form) { htmx.trigger(form, "retry"); });
  }
  window.addEventListener("online", retry);
  window.addEventListener("offline", showNet);
  setInterval(retry, 4000);

  function report(kind) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf);
    data.append("kind", kind);
    if (navigator.sendBeacon) { navigator.sendBeacon(bar.dataset.eventUrl, data); }
  }
  document.addEventListener("visibilitychange", function () {
    report(document.visibilityState === "hidden" ? "leave" : "return");
  });

  var remaining = parseInt(bar.dataset.remaining, 10);
  var started = Date.now();
  var clock = document.getElementById("countdown");
  var submitted = false;
  function tick() {
    var left = Math.max(0, remaining - Math.floor((Date.now() - started) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    clock.classList.toggle("low", left < 300);
    if (left === 0 && !submitted) {
      submitted = true;
      var form = document.getElementById("submit-form");
      form.removeAttribute("data-confirm");
      form.querySelector("input[name=timeout]").value = "1";
      form.submit();
    }
  }
  tick();
  setInterval(tick, 1000);
  showNet();
})();
