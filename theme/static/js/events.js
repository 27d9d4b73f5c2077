// Keeps event listings right on the day a resident reads them, not only on
// the day the site was built. Every listed occurrence carries its end as an
// absolute time (data-ends); what is over by the reader's clock is hidden
// from "upcoming" lists and marked on event pages. Without this script the
// pages still list everything by date, with what was over at build time
// marked "已结束".
(function () {
  "use strict";
  var now = Date.now();

  function isOver(element) {
    var ends = Date.parse(element.getAttribute("data-ends"));
    return !isNaN(ends) && ends <= now;
  }

  function each(root, selector, callback) {
    var found = root.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) { callback(found[i]); }
  }

  var hidden = 0;
  each(document, "[data-hide-over]", function (list) {
    each(list, "li[data-ends]", function (item) {
      if (isOver(item)) {
        if (!item.hidden) { hidden++; }
        item.hidden = true;
        item.removeAttribute("data-spare");
      }
    });
    // A short list keeps spares: show the first few still to come.
    var wanted = parseInt(list.getAttribute("data-show"), 10);
    if (!isNaN(wanted)) {
      var shown = 0;
      each(list, "li[data-ends]", function (item) {
        if (isOver(item)) { return; }
        item.hidden = shown >= wanted;
        if (!item.hidden) { shown++; }
      });
    }
    each(list, ".event-month", function (month) {
      month.hidden = month.querySelectorAll("li[data-ends]:not([hidden])").length === 0;
    });
    var section = list.parentNode;
    var empty = section.querySelector("[data-when-empty]");
    if (empty) {
      empty.hidden = list.querySelectorAll("li[data-ends]:not([hidden])").length > 0;
    }
  });

  each(document, "[data-over-notice]", function (notice) {
    if (hidden > 0) {
      notice.textContent = "已结束的 " + hidden + " 场活动已隐藏（按您手机或电脑上的当前时间）。";
      notice.hidden = false;
    }
  });

  // On an event page: say it is over, and stop offering to add it to a calendar.
  each(document, "article[data-ends]", function (article) {
    if (!isOver(article)) { return; }
    each(article, "[data-over-note]", function (note) { note.hidden = false; });
    each(article, "[data-hide-when-over]", function (offer) { offer.hidden = true; });
  });
  each(document, ".schedule li[data-ends]", function (line) {
    if (isOver(line)) { line.classList.add("is-over"); }
  });
})();
