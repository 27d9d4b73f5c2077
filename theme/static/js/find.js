// 找我的居委会: from what a resident types (零陵路80弄3号, 零陵路 80 弄 3 号楼,
// 零陵路80弄, 日晖六村) to the committee, the block leader of that building and
// whether the office is open now. The directory page answers the same
// without this script; addresses are read by the rules of values/addresses.py.
(function () {
  "use strict";
  var form = document.querySelector("form[data-lookup]");
  var answer = document.querySelector("[data-answer]");
  if (!form || !answer || !window.fetch) { return; }
  form.hidden = false;
  var input = form.querySelector("input");
  var data = null;

  function normalise(text) {
    return text.normalize("NFKC").replace(/\s+/g, "")
      .replace(/[\u2010-\u2015\uff0d~\uff5e至到]/g, "-")
      .replace(/号楼/g, "号").replace(/弄堂/g, "弄")
      .replace(/^(上海市?)?(徐汇区)?/, "");
  }

  function inRuns(runs, n) {
    if (!runs) { return true; }
    return runs.some(function (run) {
      if (n < run[0] || n > run[1]) { return false; }
      return !run[2] || (n % 2 === 1) === (run[2] === "单");
    });
  }

  function sameRoad(recorded, typed) {
    var a = normalise(recorded);
    return a === typed || (typed.length >= 2 && a.indexOf(typed) === 0);
  }

  function read(text) {
    var t = normalise(text);
    var m = t.match(/^(\D+?)(\d+)弄(?:(\d+)号?)?/);
    if (m) { return { road: m[1], lane: +m[2], number: m[3] ? +m[3] : null }; }
    m = t.match(/^(\D+?)(\d+)号?$/);
    if (m) { return { road: m[1], lane: null, number: +m[2] }; }
    return { road: null, words: t.replace(/(居民区|居委会|居委)$/, "") };
  }

  function find(text) {
    var q = read(text);
    var found = [];
    if (q.road) {
      data.addresses.forEach(function (a) {
        if (!sameRoad(a.road, q.road)) { return; }
        var ok = q.lane === null
          ? a.lanes === null && inRuns(a.numbers, q.number)
          : a.lanes !== null && inRuns(a.lanes, q.lane) && (q.number === null || inRuns(a.numbers, q.number));
        if (ok) { found.push({ slug: a.committee, lane: q.lane, number: q.number }); }
      });
      if (!found.length && q.lane === null) {
        // a road alone, or a number we do not know: every committee on the road
        data.addresses.forEach(function (a) {
          if (sameRoad(a.road, q.road)) { found.push({ slug: a.committee }); }
        });
      }
    }
    if (!found.length && q.words && q.words.length >= 2) {
      // a committee's name first, then every committee on a road of that name
      Object.keys(data.committees).forEach(function (slug) {
        if (data.committees[slug].name.indexOf(q.words) !== -1) { found.push({ slug: slug }); }
      });
      data.addresses.forEach(function (a) {
        if (sameRoad(a.road, q.words)) { found.push({ slug: a.committee }); }
      });
    }
    var seen = {};
    return found.filter(function (f) {
      if (seen[f.slug]) { return false; }
      seen[f.slug] = true;
      return true;
    });
  }

  function shanghaiNow() {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", weekday: "short", hourCycle: "h23"
    }).formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    var days = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
    return {
      day: parts.year + "-" + parts.month + "-" + parts.day,
      weekday: days[parts.weekday],
      minutes: (+parts.hour) * 60 + (+parts.minute)
    };
  }

  function clock(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  function openNow(c) {
    var now = shanghaiNow();
    var closed = c.closures.some(function (r) { return r[0] <= now.day && now.day <= r[1]; });
    if (closed) { return "今天暂停服务。"; }
    var today = c.hours.filter(function (h) { return h[0] === now.weekday; })
      .sort(function (a, b) { return a[1] - b[1]; });
    if (!today.length) { return c.hours.length ? "今天不开放。" : "服务时间尚未公开。"; }
    var ranges = today.map(function (h) { return clock(h[1]) + "–" + clock(h[2]); }).join("、");
    var open = today.some(function (h) { return h[1] <= now.minutes && now.minutes < h[2]; });
    return (open ? "现在开放" : "现在不开放") + "（今天 " + ranges + "）。";
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  // A number may wrap between its groups (021- | 6418 | 1185), never inside
  // one: as the pages' phone_groups macro writes it.
  function groups(node, text) {
    var parts = text.replace(/-/g, "- ").split(" ");
    parts.forEach(function (group, i) {
      node.appendChild(el("span", group, "phone__group"));
      if (i < parts.length - 1) {
        node.appendChild(/-$/.test(group) ? document.createElement("wbr") : document.createTextNode(" "));
      }
    });
    return node;
  }

  function phone(p, label) {
    if (!p) { return el("span", "未公开"); }
    if (!p.tel) {
      // the stars are not read out; the digits left are, one by one
      var masked = el("span", null, "phone phone--masked");
      var shown = groups(el("span"), p.text);
      shown.setAttribute("aria-hidden", "true");
      masked.appendChild(shown);
      masked.appendChild(el("span", p.spoken, "visually-hidden"));
      return masked;
    }
    var a = groups(el("a", null, "phone"), p.text);
    a.href = p.tel;
    a.setAttribute("aria-label", "拨打" + label + " " + p.text + "（" + p.spoken + "）");
    return a;
  }

  function link(text, href) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function show(results, typed) {
    answer.textContent = "";
    var base = form.action;
    // committee URLs in lookup.json are relative to its folder, the addresses
    // page; read from this mode's addresses page (the elder pages mirror the
    // standard ones under elder/)
    var from = new URL(form.getAttribute("data-links-from"), window.location.href);
    var at = function (url) { return new URL(url, from).href; };
    if (!results.length) {
      var none = el("p", "没有找到“" + typed + "”。请检查路名和弄号，或");
      none.appendChild(link("按路名查找", base));
      none.appendChild(document.createTextNode("。"));
      answer.appendChild(none);
      return;
    }
    results.slice(0, 6).forEach(function (r) {
      var c = data.committees[r.slug];
      var card = el("div", "", "find__result");
      var title = el("p", "", "find__committee");
      title.appendChild(link(c.name, at(c.url)));
      card.appendChild(title);
      var office = el("p", "电话 ");
      office.appendChild(phone(c.phone, c.name));
      office.appendChild(document.createTextNode(" · " + openNow(c)));
      card.appendChild(office);
      if (r.lane !== undefined && r.lane !== null && r.number !== null && r.number !== undefined) {
        var b = c.buildings[r.lane + ":" + r.number];
        var line = el("p");
        if (b && b[1] >= 0) {
          var leader = c.leaders[b[1]];
          line.appendChild(document.createTextNode((b[0] || r.number + "号") + " 的块长："));
          line.appendChild(link(leader.name, at(c.url) + "#" + leader.anchor));
          line.appendChild(document.createTextNode(" "));
          line.appendChild(phone(leader.phone, leader.name));
        } else if (b) {
          line.textContent = (b[0] || r.number + "号") + " 暂无块长，请联系居委会。";
        } else {
          line.appendChild(link("查看块长名单", at(c.url) + "#block-leaders"));
        }
        card.appendChild(line);
      }
      answer.appendChild(card);
    });
  }

  function lookup(event) {
    if (event) { event.preventDefault(); }
    var typed = input.value.trim();
    if (!typed) { answer.textContent = ""; return; }
    var run = function () { show(find(typed), typed); };
    if (data) { run(); return; }
    answer.textContent = "正在查找……";
    fetch(form.getAttribute("data-lookup"))
      .then(function (r) { return r.json(); })
      .then(function (d) { data = d; run(); })
      .catch(function () {
        answer.textContent = "";
        var p = el("p", "暂时无法查找，请");
        p.appendChild(link("按路名查找", form.action));
        answer.appendChild(p);
      });
  }

  form.addEventListener("submit", lookup);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); lookup(); }
})();
