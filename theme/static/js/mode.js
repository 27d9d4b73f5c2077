// Remembers a reader's choice of the 长辈版 (elder mode) for their next visit.
// The mode works without this script: its pages link only to each other. The
// script only adds that a reader who chose it and comes back by another way
// (a bookmark, a QR code, a search engine) lands on the elder page again.
(function () {
  "use strict";
  var KEY = "disclosure-reading-mode";
  var root = document.documentElement;
  var chosen = null;
  try {
    chosen = window.localStorage.getItem(KEY);
  } catch (e) {
    return; // storage refused (private mode, settings): the links still work
  }
  var twin = root.getAttribute("data-twin");
  if (root.getAttribute("data-mode") === "standard" && chosen === "elder" && twin) {
    var elder = new URL(twin, window.location.href);
    elder.search = window.location.search;
    elder.hash = window.location.hash;
    window.location.replace(elder.href);
    return;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-mode-switch]") : null;
    if (!link) { return; }
    try {
      window.localStorage.setItem(KEY, link.getAttribute("data-mode-switch"));
    } catch (e) { /* the link still leads there */ }
  });
})();
