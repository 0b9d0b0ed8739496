/* Sorting for tables marked data-sortable; filtering, text search and totals for a form marked data-filters.
   The tables are complete without this script; it only reorders and hides rows and recounts the totals.
   The filters live in the address (?company=scale-ai&kind=layoff&year=2025&q=dallas&headcount=1), so a
   filtered tracker can be bookmarked and cited. */
(function () {
  "use strict";

  var t = window.digestWords.t, language = window.digestWords.language;  /* js/words.js */

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

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
    each(table.tHead.rows[0].cells, function (th, i) {
      if (i === index) { th.setAttribute("aria-sort", direction); } else { th.removeAttribute("aria-sort"); }
    });
    var select = table.sortSelect;
    if (select) { select.value = index + " " + direction; }
  }

  /* A heading button per column, and a "Sort by" select for phones, where the headings are hidden. */
  function makeSortable(table) {
    var label = document.createElement("label");
    label.className = "sort-control";
    label.appendChild(document.createTextNode(t("Sort by") + " "));
    var select = document.createElement("select");
    label.appendChild(select);
    each(table.tHead.rows[0].cells, function (th, index) {
      var type = th.getAttribute("data-type") || "text";
      var name = th.textContent.trim();
      var orders = type === "text" ? [["ascending", t("A to Z")], ["descending", t("Z to A")]]
        : type === "date" ? [["descending", t("newest first")], ["ascending", t("oldest first")]]
        : [["descending", t("most first")], ["ascending", t("fewest first")]];
      orders.forEach(function (order) {
        var option = document.createElement("option");
        option.value = index + " " + order[0];
        option.textContent = name + ", " + order[1];
        select.appendChild(option);
      });
      if (th.hasAttribute("aria-sort")) { select.value = index + " " + th.getAttribute("aria-sort"); }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        if (!th.hasAttribute("aria-sort") && type !== "text") { next = "descending"; }
        sortBy(table, index, type, next);
      });
    });
    select.addEventListener("change", function () {
      var parts = select.value.split(" "), index = parseInt(parts[0], 10);
      sortBy(table, index, table.tHead.rows[0].cells[index].getAttribute("data-type") || "text", parts[1]);
    });
    table.sortSelect = select;
    var wrapper = table.closest(".table-scroll") || table;
    wrapper.parentNode.insertBefore(label, wrapper);
  }

  /* The precision of a sum, as digest/figures.py combined_qualifier decides it. */
  function combinedQualifier(qualifiers) {
    var found = {};
    qualifiers.forEach(function (q) { if (q !== "exactly") { found[q] = true; } });
    var kinds = Object.keys(found);
    if (kinds.length === 0) { return "exactly"; }
    if (kinds.length === 1 && kinds[0] !== "about") { return kinds[0]; }  // only lower (or upper) bounds
    return "about";
  }

  function inWords(value, qualifier) {
    var number = value.toLocaleString(language);
    return {"exactly": number, "about": t("about %(n)s", {n: number}), "at-least": t("at least %(n)s", {n: number}),
            "up-to": t("up to %(n)s", {n: number})}[qualifier];
  }

  /* Events, companies and people affected over the rows shown, worded as the build words them. */
  function totals(rows) {
    var sum = 0, qualifiers = [], companies = {}, notes = [];
    rows.forEach(function (row) {
      var headcount = row.getAttribute("data-headcount");
      if (headcount !== "") { sum += parseInt(headcount, 10); qualifiers.push(row.getAttribute("data-qualifier")); }
      row.getAttribute("data-company").split(" ").forEach(function (slug) { companies[slug] = true; });
      var note = row.getAttribute("data-note");
      if (note && notes.indexOf(note) < 0) { notes.push(note); }
    });
    var counted = qualifiers.length, events = rows.length;
    var people = counted ? inWords(sum, combinedQualifier(qualifiers)) : t("not reported");
    var sentence;
    if (!counted) {
      sentence = t("No headcount reported") + (notes.length ? "; " + notes.join("; ") : "");
    } else {
      var one = sum === 1 && combinedQualifier(qualifiers) === "exactly";
      sentence = t(one ? "%(n)s person" : "%(n)s people", {n: people});
      if (counted < events) {
        sentence += " " + t("in %(counted)s of %(events)s events with a reported headcount",
                             {counted: counted, events: events});
      } else if (events > 1) { sentence += " " + t("in all events"); }
      if (notes.length) { sentence += t(", plus %(notes)s", {notes: notes.join("; ")}); }
      sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    }
    return {events: String(events), companies: String(Object.keys(companies).length), people: people,
            sentence: sentence + "."};
  }

  function makeFilters(form) {
    var table = document.getElementById(form.getAttribute("data-filters"));
    if (!table) { return; }
    var output = form.querySelector("output");
    var figures = document.querySelectorAll('[data-totals="' + table.id + '"] [data-total], [data-total="sentence"]');
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);

    function wanted() {
      var out = {};
      each(form.elements, function (field) {
        if (!field.name) { return; }
        var value = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value.trim();
        if (value) { out[field.name] = value; }
      });
      return out;
    }

    function keeps(row, filters) {
      return Object.keys(filters).every(function (key) {
        var value = filters[key];
        if (key === "q") { return row.getAttribute("data-text").indexOf(value.toLowerCase()) >= 0; }
        if (key === "headcount") { return row.getAttribute("data-headcount") !== ""; }
        return (" " + (row.getAttribute("data-" + key) || "") + " ").indexOf(" " + value + " ") >= 0;
      });
    }

    function apply() {
      var filters = wanted();
      var shown = rows.filter(function (row) { var keep = keeps(row, filters); row.hidden = !keep; return keep; });
      var sums = totals(shown);
      each(figures, function (element) { element.textContent = sums[element.getAttribute("data-total")]; });
      if (output) { output.textContent = t("%(shown)s of %(total)s events", {shown: shown.length, total: rows.length}); }
      var query = new URLSearchParams(filters).toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    var params = new URLSearchParams(location.search);
    each(form.elements, function (field) {
      if (!field.name || !params.has(field.name)) { return; }
      if (field.type === "checkbox") { field.checked = params.get(field.name) === field.value; }
      else { field.value = params.get(field.name); }
    });
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
  document.querySelectorAll("form[data-filters]").forEach(makeFilters);
})();
