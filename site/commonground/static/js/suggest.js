// Suggestions as you type for the search box: an ARIA 1.2 combobox over /api/search/suggest/.
// Without JavaScript the box is a plain search form; nothing here is needed to search.
// Its words come translated from the page (components/search_suggest_data.html).
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.dataset.suggestLabel);
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var kinds = {
    case: input.dataset.suggestCase,
    theme: input.dataset.suggestTheme,
    organisation: input.dataset.suggestOrganisation
  };
  var timer = null, active = -1, latest = 0;

  function close() {
    list.hidden = true; active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function mark(index) {
    var items = list.querySelectorAll("[role=option]");
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
  }
  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (s, i) {
      var item = document.createElement("li");
      item.id = "q-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = s.url; link.tabIndex = -1;
      link.textContent = s.text;
      var kind = document.createElement("span");
      kind.className = "suggestions__kind";
      kind.textContent = kinds[s.kind] || "";
      link.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    active = -1;
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (ticket === latest) show(data.suggestions || []); })
        .catch(close);
    }, 150);
  });
  input.addEventListener("keydown", function (event) {
    var count = list.querySelectorAll("[role=option]").length;
    if (list.hidden || !count) return;
    if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % count); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + count) % count); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = list.querySelectorAll("[role=option] a")[active].href;
    } else if (event.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
