/* Sorting and filtering for tables marked data-sortable, and for a form marked data-filters.
   The tables are complete without this script; it only reorders and hides rows. */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (type === "number") { return parseFloat(raw); }
    return raw.toLowerCase();
  }

  function sortBy(table, index, type, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return direction === "ascending" ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) { th.setAttribute("aria-sort", direction); } else { th.removeAttribute("aria-sort"); }
    });
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var type = th.getAttribute("data-type") || "text";
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        if (!th.hasAttribute("aria-sort") && type !== "text") { next = "descending"; }
        sortBy(table, index, type, next);
      });
    });
  }

  function makeFilters(form) {
    var table = document.getElementById(form.getAttribute("data-filters"));
    if (!table) { return; }
    var output = form.querySelector("output");
    function apply() {
      var wanted = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value) { wanted[field.name] = field.value; }
      });
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var keep = Object.keys(wanted).every(function (key) { return row.getAttribute("data-" + key) === wanted[key]; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      if (output) { output.textContent = shown + " of " + table.tBodies[0].rows.length + " events"; }
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("form[data-filters]").forEach(makeFilters);
})();
