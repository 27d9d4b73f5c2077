// Marks today's row in the service-hours table. The table is complete
// without this script; it only saves a resident from working out the day.
(function () {
  "use strict";
  var names = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
  var today;
  try {
    var short = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", weekday: "short" }).format(new Date());
    today = names[short];
  } catch (e) {
    today = (new Date().getDay() + 6) % 7;
  }
  var row = document.querySelector('.timetable tr[data-weekday="' + today + '"]');
  if (!row) { return; }
  row.classList.add("timetable__today");
  var badge = document.createElement("span");
  badge.className = "badge";
  badge.textContent = "今天";
  row.querySelector("th").appendChild(badge);
})();
