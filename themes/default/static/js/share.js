/* An article's "Copy link": copies the story's address instead of following it, where the browser allows. */
(function () {
  "use strict";
  var link = document.querySelector("a.share-copy");
  if (!link || !navigator.clipboard) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    navigator.clipboard.writeText(link.href).then(function () {
      var label = link.textContent;
      link.textContent = link.getAttribute("data-copied");
      setTimeout(function () { link.textContent = label; }, 2000);
    });
  });
})();
