/* The support programmes' public pages: progressive help on top of a form that works without it,
   beside what every public page shares (core/public.js: the number checked as it is typed,
   one send).
   - budget lines are added and removed, and their total is compared with the amount requested
     (the service checks it again);
   - files too large or of the wrong type are named before sending;
   - the error summary or refusal takes the focus.
   An external file, so it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";
  var shared = window.GolmokPublic;
  var say = shared.say, describe = shared.describe;

  function won(text) {
    var cleaned = String(text || "").replace(/[\s,원]/g, "").replace(/won$/i, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.apply"), function (form) {
      shared.numberCheck(form);
      budgetLines(form);
      filesCheck(form);
      shared.sendOnce(form);
    });
    shared.copyButtons();
    var focus = document.querySelector("[data-focus-on-load]");
    if (focus) focus.focus();
  });
})();
