/* Golmok public pages: progressive help on top of forms that work without it.
   - the business number is checked as it is typed (the server answers in the page's language);
   - the district list follows the chosen dong;
   - "Other" business type reveals its text field;
   - a document that is too large or of the wrong type is named before sending;
   - the send button is disabled once pressed, so a double tap sends once;
   - the error summary takes the focus, so screen readers and keyboards start there. */
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

  function numberCheck(form) {
    var input = form.querySelector("input[name=business_number]");
    var region = document.getElementById("number-check");
    var url = form.getAttribute("data-check-url");
    if (!input || !region || !url || !window.fetch) return;
    var timer = null;
    var last = "";
    function run() {
      var digits = input.value.replace(/[\s-]/g, "");
      if (digits === last) return;
      last = digits;
      if (digits.length < 10) { say(region, "", null); describe(input, "number-check", false); return; }
      fetch(url + "&number=" + encodeURIComponent(digits), { headers: { Accept: "application/json" },
        credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (digits !== input.value.replace(/[\s-]/g, "")) return;
          var kind = { new: "ok", ok: "ok", registered: "warn", pending: "error", closed: "error",
            invalid: "error" }[answer.status] || null;
          say(region, answer.message, kind);
          describe(input, "number-check", !!answer.message);
          if (answer.formatted && answer.status !== "invalid") input.value = answer.formatted;
        })
        .catch(function () { say(region, "", null); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 350); });
    input.addEventListener("blur", run);
  }

  function districtFilter(form) {
    var dong = form.querySelector("select[name=dong]");
    var district = form.querySelector("select[name=district]");
    if (!dong || !district) return;
    var all = Array.prototype.map.call(district.options, function (option) {
      return { value: option.value, text: option.text, dongs: (option.getAttribute("data-dongs") || "").split(" ") };
    });
    function apply() {
      var chosen = dong.value;
      var keep = district.value;
      while (district.options.length) district.remove(0);
      all.forEach(function (item) {
        if (item.value && chosen && item.dongs.indexOf(chosen) === -1 && item.value !== keep) return;
        var option = new Option(item.text, item.value, false, item.value === keep);
        option.setAttribute("data-dongs", item.dongs.join(" "));
        district.add(option);
      });
    }
    dong.addEventListener("change", function () { district.value = ""; apply(); });
    apply();
  }

  function otherKind(form) {
    var kind = form.querySelector("select[name=business_kind]");
    var other = form.querySelector(".field--other");
    if (!kind || !other) return;
    var input = other.querySelector("input");
    function apply() {
      var show = kind.value === "other" || other.classList.contains("field--error") || (input && input.value);
      other.hidden = !show;
    }
    kind.addEventListener("change", apply);
    apply();
  }

  function documentCheck(form) {
    var input = form.querySelector("input[type=file][name=document]");
    var region = document.getElementById("document-check");
    if (!input || !region) return;
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var types = ["application/pdf", "image/jpeg", "image/png"];
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var message = "";
      if (file && max && file.size > max) message = form.getAttribute("data-file-too-large");
      else if (file && file.type && types.indexOf(file.type) === -1) message = form.getAttribute("data-file-type");
      say(region, message, message ? "error" : null);
      describe(input, "document-check", !!message);
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  function sendOnce(form) {
    var button = form.querySelector("button[type=submit]");
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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.apply"), function (form) {
      numberCheck(form);
      districtFilter(form);
      otherKind(form);
      documentCheck(form);
      sendOnce(form);
    });
    copyButtons();
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
