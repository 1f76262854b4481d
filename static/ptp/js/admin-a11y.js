// Names for the admin's own widgets, which axe-core (WCAG 4.1.2) finds unnamed:
// - the autocomplete boxes (select2) point their combobox at the box of the
//   selected text, which is empty until something is chosen and has no name of its
//   own, and their search fields have no label: all are labelled here by the
//   field's own <label> (given an id if it has none), followed by the value;
// - an open autocomplete list is announced with aria-controls as well;
// - the "filter" icons of the two-list selector carry an aria-label on a plain
//   <span>, which ARIA forbids: they become images with that name;
// - a tabular inline's header row starts with an empty header cell, above the column
//   of each row's hidden fields: it becomes a plain cell, a header of nothing;
// - the search box of a list is labelled only by its magnifier, whose text Django writes
//   as "Search" in every language: it is said in the page's language;
// - a row «Aggiungi» adds to the offerings is a copy of a template named "nuova riga":
//   each copy is named by its own number, as the rows drawn by the server are.
// The widgets are drawn by the admin's scripts after this one runs, and again when
// an inline row is added or a dropdown opens: a MutationObserver fixes each new one.
(function () {
  "use strict";
  // The page's language, as the admin serves it (Italian or English): this file has no catalogue.
  var ENGLISH = (document.documentElement.lang || "it").indexOf("en") === 0;
  var SEARCH = ENGLISH ? "Search" : "Cerca";
  var ROW = ENGLISH ? "row" : "riga";

  function labelId(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) { return null; }
    if (!label.id) { label.id = select.id + "_etichetta"; }
    return label.id;
  }

  function nameAutocomplete(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") { return; }
    var id = labelId(select);
    if (!id) { return; }
    var boxes = ".select2-selection, .select2-search__field, .select2-selection__rendered[role=textbox]";
    container.querySelectorAll(boxes).forEach(function (box) {
      // The shown value's own box names itself by its content, after the label.
      var current = box.getAttribute("aria-labelledby") || (box.getAttribute("role") === "textbox" ? box.id : "");
      if (current.split(" ").indexOf(id) === -1) {
        box.setAttribute("aria-labelledby", (id + " " + current).trim());
      }
    });
  }

  function fix(root) {
    root.querySelectorAll("span.select2").forEach(nameAutocomplete);
    // An open list is named in aria-owns (ARIA 1.0); ARIA 1.2 wants aria-controls.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var list = box.getAttribute("aria-owns");
      if (list) { box.setAttribute("aria-controls", list); } else { box.removeAttribute("aria-controls"); }
    });
    root.querySelectorAll(".select2-search--dropdown .select2-search__field").forEach(function (field) {
      if (!field.hasAttribute("aria-label")) { field.setAttribute("aria-label", SEARCH); }
    });
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("[data-row-label]").forEach(function (input) {
      // id_offerings-3-first_year: the fourth row. The template itself keeps "__prefix__".
      var found = /-(\d+)-[^-]+$/.exec(input.id);
      if (found) {
        input.setAttribute("aria-label", input.getAttribute("data-row-label") + ", " + ROW + " " + (Number(found[1]) + 1));
      }
    });
    root.querySelectorAll('label[for="searchbar"] img').forEach(function (icon) {
      icon.setAttribute("alt", SEARCH);
    });
    root.querySelectorAll(".inline-group .tabular thead th.original:empty").forEach(function (header) {
      var cell = document.createElement("td");
      cell.className = header.className;
      header.replaceWith(cell);
    });
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; fix(document); });
  }

  function start() {
    fix(document);
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
