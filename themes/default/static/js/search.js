/* The search page: queries the Pagefind index built with the site and lists title, date and companies. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-pagefind]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var engine = null;

  var t = window.digestWords.t, language = window.digestWords.language;  /* js/words.js */

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value;
    return node;
  }

  function load() {
    if (!engine) {
      engine = import(form.getAttribute("data-pagefind")).catch(function () { return null; });
    }
    return engine;
  }

  /* Pagefind matches words by their stem, so "severance" also finds "several" and may rank a page that
     repeats "several" first. For short queries, pages where each word of the query appears as written
     (or as the start of a word) come first; Pagefind's order is kept otherwise. */
  function exactFirst(results, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length > 3) { return results; }
    var patterns = words.map(function (w) {
      return new RegExp("(^|[^\\p{L}\\p{N}])" + w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
    });
    function found(data) {
      var text = ((data.meta.title || "") + " " + (data.content || "")).toLowerCase();
      return patterns.filter(function (p) { return p.test(text); }).length;
    }
    return results.map(function (data, i) { return { data: data, found: found(data), i: i }; })
      .sort(function (a, b) { return b.found - a.found || a.i - b.i; })
      .map(function (entry) { return entry.data; });
  }

  function run(query) {
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    status.textContent = t("Searching…");
    load().then(function (pagefind) {
      if (!pagefind) {
        status.textContent = t("Search is not available on this copy of the site: its index was not built.");
        return null;
      }
      return pagefind.options({ excerptLength: 24 }).then(function () {
        return pagefind.search(query);
      }).then(function (search) {
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      }).then(function (results) {
        results = exactFirst(results, query);
        var found = new Intl.PluralRules(language).select(results.length) === "one"
          ? "%(n)s story found for “%(query)s”" : "%(n)s stories found for “%(query)s”";
        status.textContent = results.length ? t(found, {n: results.length.toLocaleString(language), query: query})
          : t("No story mentions “%(query)s”.", {query: query});
        results.forEach(function (data) {
          var item = document.createElement("li");
          var title = text("a", "", data.meta.title || data.url);
          title.href = data.url;
          var heading = document.createElement("h2");
          heading.className = "card-title";
          heading.appendChild(title);
          item.appendChild(heading);
          var meta = [data.meta.date, data.meta.companies].filter(Boolean).join(" · ");
          if (meta) { item.appendChild(text("p", "meta", meta)); }
          var excerpt = document.createElement("p");
          excerpt.className = "summary";
          excerpt.innerHTML = data.excerpt; /* Pagefind's excerpt: escaped text with <mark> around matches */
          item.appendChild(excerpt);
          list.appendChild(item);
        });
      });
    });
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  document.querySelectorAll("input[name=q]").forEach(function (box) { box.value = query; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(value));
    run(value);
  });
  run(query);
})();
