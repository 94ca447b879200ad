/* The support programmes' public pages: progressive help on top of a form that works without it.
   - the business number is checked as it is typed (only whether it is a valid number);
   - budget lines are added and removed, and their total is compared with the amount requested
     (the service checks it again);
   - files too large or of the wrong type are named before sending;
   - the send button works once; the error summary or refusal takes the focus.
   An external file, so it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";

  function say(region, text, kind) {
    if (!region) return;
    region.textContent = text || "";
    region.classList.remove("is-ok", "is-warn", "is-error");
    if (text && kind) region.classList.add("is-" + kind);
  }

  function describe(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var has = ids.indexOf(id) !== -1;
    if (on && !has) ids.push(id);
    if (!on && has) ids.splice(ids.indexOf(id), 1);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function won(text) {
    var cleaned = String(text || "").replace(/[\s,원]/g, "").replace(/won$/i, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  function numberCheck(form) {
    var input = form.querySelector("input[name=business_number]");
    var region = document.getElementById("number-check");
    var url = form.getAttribute("data-check-url");
    if (!input || !region || !url || !window.fetch) return;
    var timer = null, last = "";
    function run() {
      var digits = input.value.replace(/[\s-]/g, "");
      if (digits === last) return;
      last = digits;
      if (digits.length < 10) { say(region, "", null); describe(input, "number-check", false); return; }
      fetch(url + "?number=" + encodeURIComponent(digits), { headers: { Accept: "application/json" },
        credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (digits !== input.value.replace(/[\s-]/g, "")) return;
          say(region, answer.message, { ok: "ok", invalid: "error" }[answer.status] || null);
          describe(input, "number-check", !!answer.message);
          if (answer.status === "ok" && answer.formatted) input.value = answer.formatted;
        })
        .catch(function () { say(region, "", null); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 350); });
    input.addEventListener("blur", run);
  }

  function budgetLines(form) {
    var box = form.querySelector("fieldset.budget");
    if (!box) return;
    var list = box.querySelector("[data-lines]");
    var add = box.querySelector("[data-add]");
    var total = document.getElementById("budget-total");
    var requested = form.querySelector(box.getAttribute("data-requested"));
    var counter = list.children.length;

    function renumber() {
      var rows = list.querySelectorAll("[data-line]");
      Array.prototype.forEach.call(rows, function (row, index) {
        Array.prototype.forEach.call(row.querySelectorAll(".budget__no"), function (no) {
          no.textContent = String(index + 1);
        });
        row.querySelector("[data-remove]").hidden = rows.length < 2;
      });
    }

    function check() {
      var sum = 0, complete = true;
      Array.prototype.forEach.call(list.querySelectorAll("[data-amount]"), function (input) {
        var value = won(input.value);
        if (value === null) { if (input.value.trim()) complete = false; } else sum += value;
      });
      var wanted = requested ? won(requested.value) : null;
      if (!sum || wanted === null || !complete) { say(total, "", null); return; }
      if (sum === wanted) say(total, box.getAttribute("data-total-ok"), "ok");
      else say(total, box.getAttribute("data-total-off").replace("{total}", grouped(sum))
        .replace("{requested}", grouped(wanted)), "error");
    }

    function wire(row) {
      row.querySelector("[data-remove]").addEventListener("click", function () {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        check();
        if (next) next.querySelector("input").focus();
      });
    }

    Array.prototype.forEach.call(list.querySelectorAll("[data-line]"), wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var template = list.querySelector("[data-line]");
      var row = template.cloneNode(true);
      counter += 1;
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
        var id = (input.name === "line_item" ? "line-item-" : "line-amount-") + counter;
        row.querySelector("label[for='" + input.id + "']").setAttribute("for", id);
        input.id = id;
        input.value = "";
      });
      list.appendChild(row);
      wire(row);
      renumber();
      row.querySelector("input").focus();
    });
    box.addEventListener("input", check);
    if (requested) requested.addEventListener("input", check);
    renumber();
    check();
  }

  function filesCheck(form) {
    var input = form.querySelector("input[type=file]");
    var region = document.getElementById("document-check");
    if (!input || !region) return;
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    var types = ["application/pdf", "image/jpeg", "image/png"];
    input.addEventListener("change", function () {
      var message = "";
      Array.prototype.forEach.call(input.files || [], function (file) {
        if (message) return;
        if (max && file.size > max) message = form.getAttribute("data-file-too-large");
        else if (file.type && types.indexOf(file.type) === -1) message = form.getAttribute("data-file-type");
      });
      say(region, message, message ? "error" : null);
      describe(input, "document-check", !!message);
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  function sendOnce(form) {
    var button = form.querySelector("[data-send]");
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
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = form.getAttribute("data-sending") || label;
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
      budgetLines(form);
      filesCheck(form);
      sendOnce(form);
    });
    copyButtons();
    var focus = document.querySelector("[data-focus-on-load]");
    if (focus) focus.focus();
  });
})();
