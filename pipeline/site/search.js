/* Search over the edition, from file:// or any static host: the index is a script
   (search-index.js sets window.EDITION_INDEX), so nothing is fetched. All words must
   occur; "a phrase in quotes" must occur as written. Case, accents, the form of quotes,
   apostrophes and dashes, and spacing are folded on both sides. */
(function () {
  "use strict";

  var MAX_RESULTS = 200;

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u2018\u2019\u02bc\u02b9\u2032`´]/g, "'")
      .replace(/[\u201c\u201d\u201e\u00ab\u00bb\u02ba\u2033]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .replace(/\s+/g, " ")
      .toLowerCase();
  }

  // The folded text keeps the length of the original only if folding is 1:1, which NFD
  // breaks; so positions are mapped through an array built once per document.
  function foldWithMap(s) {
    var out = "";
    var map = [];
    for (var i = 0; i < s.length; i++) {
      var f = fold(s[i]);
      if (f === " " && out.endsWith(" ")) { continue; }
      for (var k = 0; k < f.length; k++) { out += f[k]; map.push(i); }
    }
    return { text: out, map: map };
  }

  function parse(query) {
    var terms = [];
    var re = /"([^"]+)"|(\S+)/g;
    var m;
    var q = fold(query);
    while ((m = re.exec(q)) !== null) {
      var t = (m[1] || m[2]).trim();
      if (t) { terms.push(t); }
    }
    return terms;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function snippet(doc, folded, term) {
    var pos = folded.text.indexOf(term);
    var start = folded.map[Math.max(0, pos)];
    var end = folded.map[Math.min(folded.map.length - 1, pos + term.length - 1)] + 1;
    var from = Math.max(0, start - 90);
    var to = Math.min(doc.x.length, end + 90);
    var p = el("p", "snippet");
    p.appendChild(document.createTextNode((from > 0 ? "…" : "") + doc.x.slice(from, start)));
    p.appendChild(el("mark", null, doc.x.slice(start, end)));
    p.appendChild(document.createTextNode(doc.x.slice(end, to) + (to < doc.x.length ? "…" : "")));
    return p;
  }

  function run() {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var coll = params.get("c") || "";
    var input = document.getElementById("q");
    var select = document.getElementById("coll");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    input.value = query;
    if (select) { select.value = coll; }
    var index = window.EDITION_INDEX || [];
    var terms = parse(query);
    if (!terms.length) {
      status.textContent = "Type words or a phrase and press Search (" + index.length + " documents).";
      return;
    }
    var hits = [];
    index.forEach(function (doc) {
      if (coll && doc.c !== coll) { return; }
      var folded = foldWithMap(doc.h + " \u2014 " + doc.x);
      var whole = { x: doc.h + " \u2014 " + doc.x };
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var n = folded.text.split(terms[i]).length - 1;
        if (!n) { return; }
        score += n;
      }
      hits.push({ doc: doc, score: score, folded: folded, whole: whole });
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    status.textContent = hits.length === 0 ? "No document contains " + query + "."
      : hits.length + (hits.length === 1 ? " document contains " : " documents contain ") + query + ".";
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var li = el("li");
      var a = el("a", null, hit.doc.l + ": " + hit.doc.h);
      a.href = hit.doc.u;
      li.appendChild(a);
      li.appendChild(el("div", "meta", [hit.doc.d, hit.doc.c.toUpperCase(),
        hit.score + (hit.score === 1 ? " match" : " matches")].filter(Boolean).join(" · ")));
      li.appendChild(snippet(hit.whole, hit.folded, terms[0]));
      list.appendChild(li);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
