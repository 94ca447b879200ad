/* The hotline intake page: find the store as the operator types, pick it with the keyboard,
   log the case with Ctrl+Enter. Plain JavaScript, no libraries; every text shown comes from the
   page (translated on the server). */
(function () {
  "use strict";

  const form = document.getElementById("intake-form");
  if (!form) return;
  const input = document.getElementById("id_store_query");
  const hidden = form.querySelector("input[name=store]");
  const list = document.getElementById("store-results");
  const chosen = document.getElementById("store-chosen");
  const url = form.dataset.searchUrl;
  let results = [];
  let active = -1;
  let pending = null;
  let timer = null;

  function optionId(index) {
    return "store-option-" + index;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", optionId(index));
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function text(tag, className, value) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = value;
    return node;
  }

  function render() {
    list.replaceChildren();
    if (!results.length) {
      const empty = text("li", "hotline-empty", form.dataset.noResults);
      empty.setAttribute("role", "presentation");
      list.appendChild(empty);
    }
    results.forEach(function (store, index) {
      const option = document.createElement("li");
      option.id = optionId(index);
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      option.appendChild(text("span", "hotline-option-name", store.trade_name));
      option.appendChild(text("span", "hotline-option-number", store.business_number));
      const where = [store.dong, store.district, store.phone].filter(Boolean).join(" · ");
      option.appendChild(text("span", "hotline-option-where", where));
      if (store.closed) {
        option.appendChild(text("span", "hotline-option-closed", form.dataset.closedLabel));
      }
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(index);
      });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(results.length ? 0 : -1);
  }

  function choose(index) {
    const store = results[index];
    if (!store) return;
    hidden.value = String(store.id);
    input.value = store.trade_name + " (" + store.business_number + ")";
    input.dataset.chosen = input.value;
    chosen.textContent = form.dataset.chosenLabel + " " + store.trade_name + " · " +
      store.business_number + (store.district ? " · " + store.district : "");
    close();
  }

  function search() {
    const q = input.value.trim();
    if (pending) pending.abort();
    if (q.length < 2) {
      results = [];
      close();
      return;
    }
    pending = new AbortController();
    fetch(url + "?q=" + encodeURIComponent(q), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (body) {
        if (input.value.trim() !== q) return; // the operator typed on
        results = body.results || [];
        render();
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    if (input.dataset.chosen && input.value !== input.dataset.chosen) {
      hidden.value = "";
      delete input.dataset.chosen;
      chosen.textContent = "";
    }
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });

  input.addEventListener("keydown", function (event) {
    const open = !list.hidden && results.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden && results.length) render();
      else if (open) highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp") {
      if (open) {
        event.preventDefault();
        highlight(active <= 0 ? results.length - 1 : active - 1);
      }
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      // Enter picks a store; it never sends a half-typed case.
      event.preventDefault();
      if (open && active >= 0) choose(active);
    } else if (event.key === "Escape") {
      if (!list.hidden) {
        event.preventDefault();
        close();
      }
    }
  });

  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.target.tagName === "INPUT" && event.target.type !== "submit") {
      // A stray Enter in a field never sends a half-typed case: Ctrl+Enter or the button does.
      event.preventDefault();
    }
  });

  form.addEventListener("submit", function () {
    const button = document.getElementById("intake-submit");
    if (button) button.disabled = true; // one case per call, even on a double press
  });

  // After logging a case the form is empty again, ready for the next call.
  if (input && document.activeElement !== input) input.focus();
})();
