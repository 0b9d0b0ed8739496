/* The words the theme's scripts write, in the page's language: the page's `interface-strings` JSON maps our
   English text to its translation (none on an English site); %(name)s placeholders are filled from `values`.
   Loaded before the scripts that use it (search.js, tables.js). */
(function () {
  "use strict";
  var element = document.getElementById("interface-strings");
  var words = element ? JSON.parse(element.textContent) : {};
  function t(text, values) {
    var out = words[text] || text;
    Object.keys(values || {}).forEach(function (key) { out = out.split("%(" + key + ")s").join(values[key]); });
    return out;
  }
  window.digestWords = {t: t, language: document.documentElement.lang || "en"};
}());
