/* What every public page's script shares (window.GolmokPublic), loaded before the page's own:
   - `say` and `describe`: a live region's message, and the field it describes;
   - `numberCheck`: the business number checked as it is typed, against the form's
     data-check-url (the server answers in the page's language);
   - `sendOnce`: the send button works once, so a double tap sends once;
   - `copyButtons`: buttons that copy a tracking number, where the browser allows it.
   An external file, so it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";

  function describe(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var has = ids.indexOf(id) !== -1;
    if (on && !has) ids.push(id);
    if (!on && has) ids.splice(ids.indexOf(id), 1);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function say(region, text, kind) {
    if (!region) return;
    region.textContent = text || "";
    region.classList.remove("is-ok", "is-warn", "is-error");
    if (text && kind) region.classList.add("is-" + kind);
  }

  // How each answer of a number check is shown; the programmes' check answers only ok/invalid.
  var NUMBER_KINDS = { new: "ok", ok: "ok", registered: "warn", pending: "error", closed: "error",
    invalid: "error" };

  function numberCheck(form) {
    var input = form.querySelector("input[name=business_number]");
    var region = document.getElementById("number-check");
    var url = form.getAttribute("data-check-url");
    if (!input || !region || !url || !window.fetch) return;
    var join = url.indexOf("?") === -1 ? "?" : "&";
    var timer = null;
    var last = "";
    function run() {
      var digits = input.value.replace(/[\s-]/g, "");
      if (digits === last) return;
      last = digits;
      if (digits.length < 10) { say(region, "", null); describe(input, "number-check", false); return; }
      fetch(url + join + "number=" + encodeURIComponent(digits), {
        headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (digits !== input.value.replace(/[\s-]/g, "")) return;
          say(region, answer.message, NUMBER_KINDS[answer.status] || null);
          describe(input, "number-check", !!answer.message);
          if (answer.formatted && answer.status !== "invalid") input.value = answer.formatted;
        })
        .catch(function () { say(region, "", null); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 350); });
    input.addEventListener("blur", run);
  }

  function sendOnce(form) {
    var button = form.querySelector("[data-send]") || form.querySelector("button[type=submit]");
    if (!button) return;
    var label = button.textContent;
    window.addEventListener("pageshow", function () {
      button.disabled = false;
      button.removeAttribute("data-sent");
      button.textContent = label;
    });
    form.addEventListener("submit", function (event) {
      if (button.getAttribute("data-sent")) { event.preventDefault(); return; }
      button.setAttribute("data-sent", "1");
      var sending = form.getAttribute("data-sending");
      window.setTimeout(function () {
        button.disabled = true;
        if (sending) button.textContent = sending;
      }, 0);
    });
  }

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      var status = document.querySelector("[data-copy-status]");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          say(status, button.getAttribute("data-copied"), "ok");
        });
      });
    });
  }

  window.GolmokPublic = {
    describe: describe,
    say: say,
    numberCheck: numberCheck,
    sendOnce: sendOnce,
    copyButtons: copyButtons
  };
})();
