/* Search of the report site, offline: reads the prebuilt index (search-index.js) and lists
   the pages whose title, names, kind, year or section headings hold every word searched for.
   Letters are compared without case and diacritics ("molndal" finds "Mölndal"). */
(function () {
  "use strict";
  var data = window.FINSAM_SEARCH;
  var input = document.getElementById("finsam-search-input");
  var form = input && input.form;
  var status = document.getElementById("finsam-search-status");
  var list = document.getElementById("finsam-search-results");
  if (!data || !input || !status || !list) return;
  var LIMIT = 50;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var pages = data.pages.map(function (p) {
    var headings = data.headings[p[4]];
    return {
      url: p[0], title: p[1], about: p[2], headings: headings,
      head: fold(p[1] + " " + p[2] + " " + p[3]),
      body: headings.map(fold)
    };
  });

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var hits = [];
    pages.forEach(function (page) {
      var score = 0, matched = [];
      for (var i = 0; i < words.length; i++) {
        var word = words[i];
        if (page.head.indexOf(word) >= 0) { score += 10; continue; }
        var at = -1;
        for (var j = 0; j < page.body.length; j++) {
          if (page.body[j].indexOf(word) >= 0) { at = j; break; }
        }
        if (at < 0) return;
        score += 1;
        if (matched.indexOf(page.headings[at]) < 0) matched.push(page.headings[at]);
      }
      hits.push({ page: page, score: score, matched: matched });
    });
    hits.sort(function (a, b) {
      return b.score - a.score || a.page.title.localeCompare(b.page.title, "sv");
    });
    return hits;
  }

  function show(query) {
    var hits = search(query);
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = hits.length === 0 ? "Inga träffar."
      : hits.length === 1 ? "1 träff."
      : hits.length + " träffar" + (hits.length > LIMIT ? ", de " + LIMIT + " första visas." : ".");
    hits.slice(0, LIMIT).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.page.url;
      link.textContent = hit.page.title;
      item.appendChild(link);
      var about = document.createElement("span");
      about.className = "finsam-search-about";
      about.textContent = " – " + hit.page.about;
      item.appendChild(about);
      if (hit.matched.length) {
        var where = document.createElement("div");
        where.className = "finsam-search-where";
        where.textContent = "Avsnitt: " + hit.matched.join(", ");
        item.appendChild(where);
      }
      list.appendChild(item);
    });
  }

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  show(initial);
  input.addEventListener("input", function () { show(input.value); });
  if (form) form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
  });
})();
