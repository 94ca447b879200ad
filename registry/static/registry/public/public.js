/* The registration pages: progressive help on top of forms that work without it, beside what
   every public page shares (core/public.js: the number checked as it is typed, one send).
   - the district list follows the chosen dong;
   - "Other" business type reveals its text field;
   - a document that is too large or of the wrong type is named before sending;
   - the error summary takes the focus, so screen readers and keyboards start there. */
(function () {
  "use strict";
  var shared = window.GolmokPublic;
  var say = shared.say, describe = shared.describe;

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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.apply"), function (form) {
      shared.numberCheck(form);
      districtFilter(form);
      otherKind(form);
      documentCheck(form);
      shared.sendOnce(form);
    });
    shared.copyButtons();
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  });
})();
