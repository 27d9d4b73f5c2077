// Site search, offline: loads the index the build wrote beside the search
// page (search/index.json) and finds pages in it, with no request leaving the
// site. How text is cut into terms and how the index is laid out are
// described in plugins/disclosure/search/terms.py and index.py; this script
// must cut a query exactly as terms.py cuts a page (tests hold them together).
// Without this script the search page still lists every page of the site.
(function () {
  "use strict";

  var SHOWN = 50; // results shown at first, and added by each "显示更多"
  var PARTIAL_SHOWN = 20; // pages holding part of a query that no page holds whole
  var BEFORE = 24; // characters of context before a match in a snippet
  var LENGTH = 90; // characters of a snippet at most

  // ---- terms: as plugins/disclosure/search/terms.py ---------------------------

  function fold(text) {
    return (text.normalize ? text.normalize("NFKC") : text).toLowerCase();
  }

  function codeAt(text, i) {
    var high = text.charCodeAt(i);
    if (high >= 0xd800 && high <= 0xdbff && i + 1 < text.length) {
      var low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
      }
    }
    return high;
  }

  function isHan(code) {
    return code === 0x3007 || (code >= 0x3400 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0x20000 && code <= 0x3134f);
  }

  function isWord(code) {
    return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a);
  }

  // The Han runs and words of a query, in order: [{text, han, chars, start, end}]
  // (start and end in the folded query).
  function tokens(query) {
    var text = fold(query);
    var found = [];
    var current = null;
    for (var i = 0; i < text.length;) {
      var code = codeAt(text, i);
      var size = code > 0xffff ? 2 : 1;
      var han = isHan(code);
      if (han || isWord(code)) {
        if (!current || current.han !== han) {
          current = { text: "", han: han, chars: [], start: i, end: i };
          found.push(current);
        }
        current.text += text.substr(i, size);
        current.chars.push(text.substr(i, size));
        current.end = i + size;
      } else {
        current = null;
      }
      i += size;
    }
    return found;
  }

  // The index keys a page must have to hold a token: its pairs of neighbouring
  // characters; a word, or one character alone, is its own key.
  function termsOf(token) {
    if (!token.han || token.chars.length === 1) { return [token.text]; }
    var terms = [];
    for (var i = 0; i + 1 < token.chars.length; i++) {
      var pair = token.chars[i] + token.chars[i + 1];
      if (terms.indexOf(pair) < 0) { terms.push(pair); }
    }
    return terms;
  }

  function queryTerms(query) {
    var terms = [];
    tokens(query).forEach(function (token) {
      termsOf(token).forEach(function (term) {
        if (terms.indexOf(term) < 0) { terms.push(term); }
      });
    });
    return terms;
  }

  // ---- the index: as plugins/disclosure/search/index.py -----------------------

  function Index(data) {
    this.pages = data.pages; // [title, url, lines (letters)]
    this.lines = data.lines;
    this.terms = data.terms;
    this.foldedLines = [];
    this.texts = [];
    this.pageLines = [];
  }

  // Numbers written in letters: base 26, the last letter a–z (0–25), each
  // letter before it A–Z (1–26).
  function numbers(letters) {
    var found = [];
    var value = 0;
    for (var i = 0; i < letters.length; i++) {
      var code = letters.charCodeAt(i);
      if (code <= 90) {
        value = value * 26 + code - 64;
      } else {
        found.push(value * 26 + code - 97);
        value = 0;
      }
    }
    return found;
  }

  // The pages that have a term, ascending: 2g is g pages after the last,
  // 2n+1 the n pages straight after it.
  Index.prototype.posting = function (term) {
    if (!Object.prototype.hasOwnProperty.call(this.terms, term)) { return []; }
    var pages = [];
    var last = -1;
    numbers(this.terms[term]).forEach(function (step) {
      if (step % 2 === 0) {
        last += step / 2;
        pages.push(last);
      } else {
        for (var n = 0; n < (step - 1) / 2; n++) { pages.push(++last); }
      }
    });
    return pages;
  };

  Index.prototype.linesOf = function (number) {
    if (this.pageLines[number] === undefined) { this.pageLines[number] = numbers(this.pages[number][2]); }
    return this.pageLines[number];
  };

  Index.prototype.foldedLine = function (line) {
    if (this.foldedLines[line] === undefined) { this.foldedLines[line] = fold(this.lines[line]); }
    return this.foldedLines[line];
  };

  // A page's folded text, its lines joined by "\n" as on the build's side.
  Index.prototype.text = function (number) {
    if (this.texts[number] === undefined) {
      var self = this;
      this.texts[number] = this.linesOf(number).map(function (line) {
        return self.foldedLine(line);
      }).join("\n");
    }
    return this.texts[number];
  };

  function intersect(lists) {
    lists.sort(function (a, b) { return a.length - b.length; });
    var result = lists[0] || [];
    for (var l = 1; l < lists.length && result.length; l++) {
      var other = lists[l];
      var kept = [];
      var j = 0;
      for (var i = 0; i < result.length; i++) {
        while (j < other.length && other[j] < result[i]) { j++; }
        if (other[j] === result[i]) { kept.push(result[i]); }
      }
      result = kept;
    }
    return result;
  }

  // Where `segment` is in `text` from `from`, not inside a longer word
  // ("1号楼" is not in "11号楼"); -1 if nowhere.
  function find(text, segment, from) {
    var wordAtStart = isWord(segment.charCodeAt(0));
    var wordAtEnd = isWord(segment.charCodeAt(segment.length - 1));
    for (var at = text.indexOf(segment, from); at >= 0; at = text.indexOf(segment, at + 1)) {
      var end = at + segment.length;
      if (!(wordAtStart && at > 0 && isWord(text.charCodeAt(at - 1))) &&
          !(wordAtEnd && end < text.length && isWord(text.charCodeAt(end)))) {
        return at;
      }
    }
    return -1;
  }

  function mentions(text, segment) {
    var count = 0;
    for (var at = find(text, segment, 0); at >= 0 && count < 99; at = find(text, segment, at + segment.length)) {
      count++;
    }
    return count;
  }

  // The parts of a query between spaces, folded, from its first letter or
  // character to its last ("零陵路。" is 零陵路): each must be on a page as written.
  function segments(query) {
    var found = [];
    fold(query).split(/\s+/).forEach(function (part) {
      var held = tokens(part);
      if (!held.length) { return; }
      var first = held[0];
      var last = held[held.length - 1];
      found.push(part.slice(first.start, last.end));
    });
    return found;
  }

  // Every page that holds every part of the query as written, best first:
  // the query in the title (shortest title first), then the most mentions.
  // When no page holds a longer query (three terms or more) whole, the pages
  // that hold at least half its terms, most first (then most in the title),
  // marked `partial`.
  function search(index, query) {
    var parts = segments(query).slice(0, 10);
    var terms = [];
    parts.forEach(function (part) {
      tokens(part).forEach(function (token) {
        termsOf(token).forEach(function (term) {
          if (terms.indexOf(term) < 0) { terms.push(term); }
        });
      });
    });
    if (!terms.length) { return { results: [], partial: false, needles: [] }; }
    var postings = terms.map(function (term) { return index.posting(term); });
    var results = [];
    intersect(postings.slice()).forEach(function (number) {
      var text = index.text(number);
      if (!parts.every(function (part) { return find(text, part, 0) >= 0; })) { return; }
      var title = fold(index.pages[number][0]);
      var inTitle = parts.every(function (part) { return find(title, part, 0) >= 0; });
      var count = 0;
      parts.forEach(function (part) { count += mentions(text, part); });
      results.push({ number: number, key: [inTitle ? 0 : 1, inTitle ? title.length : 0, -count, number] });
    });
    if (results.length || terms.length < 3) {
      return { results: sorted(results), partial: false, needles: parts };
    }
    var counts = {};
    postings.forEach(function (pages) {
      pages.forEach(function (number) { counts[number] = (counts[number] || 0) + 1; });
    });
    var enough = Math.max(2, Math.ceil(terms.length / 2));
    Object.keys(counts).forEach(function (key) {
      if (counts[key] < enough) { return; }
      var number = Number(key);
      var title = fold(index.pages[number][0]);
      var inTitle = terms.filter(function (term) { return find(title, term, 0) >= 0; }).length;
      results.push({ number: number, key: [-counts[key], -inTitle, number] });
    });
    return { results: sorted(results).slice(0, PARTIAL_SHOWN), partial: true, needles: terms };
  }

  function sorted(results) {
    return results.sort(function (a, b) {
      for (var i = 0; i < a.key.length; i++) {
        if (a.key[i] !== b.key[i]) { return a.key[i] - b.key[i]; }
      }
      return 0;
    });
  }

  // ---- what a result shows ------------------------------------------------------

  // Where `needles` are in `text`: [[start, end], …], in order, not overlapping.
  // Compared folded; a line whose folding changes its length is shown unmarked.
  function marks(text, needles) {
    var folded = fold(text);
    if (folded.length !== text.length) { return []; }
    var ranges = [];
    needles.forEach(function (needle) {
      for (var at = find(folded, needle, 0); at >= 0; at = find(folded, needle, at + needle.length)) {
        ranges.push([at, at + needle.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.push(range.slice());
      }
    });
    return merged;
  }

  function isLowSurrogate(text, i) {
    var code = text.charCodeAt(i);
    return code >= 0xdc00 && code <= 0xdfff;
  }

  // The line that mentions the query first (the title line only if nothing
  // else does), cut around the mention; a short line before it, such as a
  // label (地址), leads it.
  function snippet(index, number, needles) {
    var lines = index.linesOf(number);
    var found = null;
    for (var i = 0; i < lines.length && !found; i++) {
      if (i === 0 && lines.length > 1 && index.lines[lines[0]] === index.pages[number][0]) { continue; }
      var folded = index.foldedLine(lines[i]);
      var first = -1;
      needles.forEach(function (needle) {
        var at = find(folded, needle, 0);
        if (at >= 0 && (first < 0 || at < first)) { first = at; }
      });
      if (first >= 0) { found = { line: i, at: first }; }
    }
    if (!found) { found = { line: 0, at: 0 }; }
    var text = index.lines[lines[found.line]];
    var at = fold(text).length === text.length ? found.at : 0;
    var start = Math.max(0, at - BEFORE);
    if (start > 0 && isLowSurrogate(text, start)) { start--; }
    var end = Math.min(text.length, start + LENGTH);
    if (end < text.length && isLowSurrogate(text, end)) { end++; }
    var shown = (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
    var before = found.line > 0 ? index.lines[lines[found.line - 1]] : "";
    if (start === 0 && before && before.length <= 8 && found.line > 1) {
      shown = before + (/[：:]$/.test(before) ? "" : "：") + shown;
    }
    return shown;
  }

  function marked(element, text, needles) {
    var done = 0;
    marks(text, needles).forEach(function (range) {
      element.appendChild(document.createTextNode(text.slice(done, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      element.appendChild(mark);
      done = range[1];
    });
    element.appendChild(document.createTextNode(text.slice(done)));
    return element;
  }

  function element(tag, className) {
    var made = document.createElement(tag);
    made.className = className;
    return made;
  }

  // ---- the search page ----------------------------------------------------------

  var form = document.querySelector("form[data-search-index]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var root = form.getAttribute("data-search-root");
  var baseTitle = document.title;
  var index = null;
  var failed = false; // the index did not load
  var pending = null; // the query asked for before the index arrived
  var FAILED = "搜索索引载入失败，请刷新页面再试，或从下面的栏目和全部页面中查找。";
  var shown = { found: null, count: 0 };

  function say(message) {
    status.textContent = message;
  }

  function addResults(found, upTo) {
    var added = null;
    for (var i = shown.count; i < Math.min(upTo, found.results.length); i++) {
      var page = index.pages[found.results[i].number];
      var item = element("li", "search-result");
      var heading = element("h2", "search-result__title");
      var link = document.createElement("a");
      link.href = root + page[1];
      marked(link, page[0], found.needles);
      heading.appendChild(link);
      var address = element("p", "search-result__url");
      address.textContent = link.host + decodeURI(link.pathname);
      var text = marked(element("p", "search-result__snippet"),
        snippet(index, found.results[i].number, found.needles), found.needles);
      item.appendChild(heading);
      item.appendChild(address);
      item.appendChild(text);
      list.appendChild(item);
      added = added || link;
    }
    shown.count = Math.min(upTo, found.results.length);
    var left = found.results.length - shown.count;
    more.parentNode.hidden = left <= 0;
    more.textContent = "显示更多结果（还有 " + left + " 个）";
    return added;
  }

  // Search and show the results; what it found, for tests.
  function show(query) {
    query = query.trim().slice(0, 100);
    list.textContent = "";
    list.hidden = true;
    more.parentNode.hidden = true;
    document.title = query ? "“" + query + "”的搜索结果 - " + baseTitle : baseTitle;
    if (!query) {
      say("");
      return null;
    }
    if (!index) {
      pending = query;
      say(failed ? FAILED : "正在载入搜索索引……");
      return null;
    }
    var found = search(index, query);
    shown = { found: found, count: 0 };
    if (!found.needles.length) {
      say("请输入要找的文字或数字。");
      return found;
    }
    if (!found.results.length) {
      say("没有找到包含“" + query + "”的页面。请换一个词，或从下面的栏目和全部页面中查找。");
      return found;
    }
    addResults(found, SHOWN);
    list.hidden = false;
    say(found.partial ?
      "没有找到包含“" + query + "”的页面；以下 " + found.results.length + " 个页面包含其中部分字词。" :
      "找到 " + found.results.length + " 个包含“" + query + "”的页面。");
    return found;
  }

  function queryInAddress() {
    var match = /[?&]q=([^&#]*)/.exec(location.search);
    if (!match) { return ""; }
    try {
      return decodeURIComponent(match[1].replace(/\+/g, " "));
    } catch (e) {
      return "";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value.trim();
    if (window.history && history.pushState) {
      history.pushState(null, "", "?q=" + encodeURIComponent(query));
    }
    show(query);
  });

  more.addEventListener("click", function () {
    var first = addResults(shown.found, shown.count + SHOWN);
    if (first) { first.focus(); }
  });

  window.addEventListener("popstate", function () {
    input.value = queryInAddress();
    show(input.value);
  });

  input.value = queryInAddress();
  show(input.value);

  function loadFailed() {
    failed = true;
    say(FAILED);
  }

  var request = new XMLHttpRequest();
  request.open("GET", form.getAttribute("data-search-index"));
  request.onload = function () {
    try {
      if (request.status !== 200) { throw new Error(String(request.status)); }
      index = new Index(JSON.parse(request.responseText));
    } catch (e) {
      loadFailed();
      return;
    }
    form.setAttribute("data-ready", "");
    if (pending !== null) {
      var query = pending;
      pending = null;
      show(query);
    }
  };
  request.onerror = loadFailed;
  request.send();

  window.siteSearch = {
    queryTerms: queryTerms,
    search: function (query) {
      var found = search(index, query);
      return {
        partial: found.partial,
        urls: found.results.map(function (result) { return index.pages[result.number][1]; })
      };
    },
    show: function (query) {
      var found = show(query);
      return found ? found.results.length : 0;
    }
  };
})();
