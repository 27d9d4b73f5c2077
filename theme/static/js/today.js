// Marks today's row in the service-hours table, and says 暂停服务 in it when
// today is a closure day. The table is complete without this script (rows of
// the build's week carry their dated closures); the script redoes those notes
// for the reader's own week, in Shanghai days, so a resident is not sent to a
// closed office and no note from a past week lingers.
(function () {
  "use strict";
  var table = document.querySelector(".timetable");
  if (!table) { return; }
  var LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

  // Today's date in Shanghai as [year, month, day].
  function shanghaiToday() {
    try {
      var parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit"
      }).formatToParts(new Date());
      var get = function (type) {
        return parseInt(parts.filter(function (p) { return p.type === type; })[0].value, 10);
      };
      return [get("year"), get("month"), get("day")];
    } catch (e) {
      var now = new Date();
      return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The day `offset` days after `start`: its ISO date, weekday (0 = Monday) and label.
  function dayAfter(start, offset) {
    var d = new Date(Date.UTC(start[0], start[1] - 1, start[2] + offset));
    return {
      iso: d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()),
      weekday: (d.getUTCDay() + 6) % 7,
      label: (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日"
    };
  }

  function monthDay(iso) {
    return parseInt(iso.slice(5, 7), 10) + "月" + parseInt(iso.slice(8, 10), 10) + "日";
  }

  var closures = [];
  try { closures = JSON.parse(table.getAttribute("data-closures") || "[]"); } catch (e) { closures = []; }
  function covering(iso) {
    for (var i = 0; i < closures.length; i++) {
      if (closures[i].from <= iso && iso <= closures[i].to) { return closures[i]; }
    }
    return null;
  }

  function note(strong, rest) {
    var span = document.createElement("span");
    span.className = "timetable__note";
    var b = document.createElement("strong");
    b.textContent = strong;
    span.appendChild(b);
    if (rest) { span.appendChild(document.createTextNode(rest)); }
    return span;
  }

  // The notes the build wrote are for the build's week; start again from the reader's.
  Array.prototype.forEach.call(table.querySelectorAll(".timetable__note, .timetable__usual"), function (el) {
    el.parentNode.removeChild(el);
  });

  var start = shanghaiToday();
  for (var offset = 0; offset < 7; offset++) {
    var day = dayAfter(start, offset);
    var row = table.querySelector('tr[data-weekday="' + day.weekday + '"]');
    if (!row) { continue; }
    var cell = row.querySelector("td");
    var hours = row.querySelector(".timetable__hours");
    if (offset === 0) {
      row.classList.add("timetable__today");
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "今天";
      row.querySelector("th").appendChild(badge);
    }
    var closure = covering(day.iso);
    if (!closure || !row.querySelector(".range")) { continue; }
    if (offset === 0) {
      // Today the office is shut: the usual hours would only mislead.
      var dates = closure.from === closure.to
        ? monthDay(closure.from)
        : monthDay(closure.from) + "至" + monthDay(closure.to);
      row.classList.add("timetable__today--closed");
      hours.hidden = true;
      cell.insertBefore(note("暂停服务", "（" + dates + "：" + closure.reason + "）"), hours);
    } else {
      cell.insertBefore(note(day.label + "暂停服务", "（" + closure.reason + "）"), hours);
      var usual = document.createElement("span");
      usual.className = "timetable__usual";
      usual.textContent = "其他" + LABELS[day.weekday] + " ";
      hours.insertBefore(usual, hours.firstChild);
    }
  }
})();
