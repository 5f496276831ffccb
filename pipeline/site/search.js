/* Search over the edition, from file:// or any static web server.

   The index (pipeline/html/search.py) is sharded into small scripts under search/: a
   query loads the map of shards (search/meta.js), the shard of each of its words, the
   files of very frequent words, the filters it uses, and the documents of the results
   it shows. Scripts rather than fetch(), because browsers refuse fetch() from file://.

   Query syntax: words (all must occur, as whole words); "a phrase" in quotation marks;
   word* for every word that begins so; with "other forms" ticked, a word also finds the
   words of its stem (treaty → treaties). Case and accents do not matter. */
(function () {
  "use strict";

  var PAGE = 20;
  var store = {};
  var loading = {};
  var me = document.currentScript;
  var root = (me && me.getAttribute("data-root")) || "";

  function put(kind) { return function (key, data) { store[kind + ":" + key] = data; }; }
  window.EDITION_SEARCH = {
    meta: put("meta"), shard: put("shard"), word: put("word"), facet: put("facet"),
    doc: put("doc"), dates: put("dates"), names: put("names")
  };

  function load(kind, key, path) {
    if (!loading[path] && store[kind + ":" + key] !== undefined) {  // came with the page (meta.js)
      loading[path] = Promise.resolve(store[kind + ":" + key]);
    }
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + path;
        s.onload = function () { resolve(store[kind + ":" + key]); };
        s.onerror = function () { reject(new Error("The search index file " + path + " is missing.")); };
        document.head.appendChild(s);
      });
    }
    return loading[path];
  }

  // ----- words: the same folding as pipeline/html/search.py -----
  var EXTRA = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
    "ı": "i", "ħ": "h", "ŀ": "l" };
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/[łøđðþæœßıħŀ]/g, function (c) { return EXTRA[c]; });
  }
  function words(s) { return fold(s).match(/[\p{L}\p{N}]+/gu) || []; }
  function fileKey(w) {
    return /^[a-z0-9]+$/.test(w) ? w : "u" + Array.from(w).map(function (c) {
      return c.codePointAt(0).toString(16); }).join("-");
  }
  // the file of a filter value's documents: as search.py's facet_file_key
  function facetKey(k) {
    if (/^[a-z0-9_-]{1,60}$/.test(k)) { return k; }
    var h = 0x811c9dc5;
    new TextEncoder().encode(k).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
    var slug = k.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase().replace(/^-+|-+$/g, "").slice(0, 24);
    return slug + "-" + ("0000000" + h.toString(16)).slice(-8);
  }
  // folded text with, for each folded character, the index of the original one
  function foldWithMap(s) {
    var whole = fold(s);
    if (whole.length === s.length) {  // the usual case: folding kept every position
      return { text: whole, map: null };
    }
    var out = [];
    var map = [];
    var i = 0;
    for (var ch of s) {
      var f = fold(ch);
      for (var k = 0; k < f.length; k++) { out.push(f[k]); map.push(i); }
      i += ch.length;
    }
    map.push(i);
    return { text: out.join(""), map: map };
  }
  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // ----- the query -----
  function parse(query) {
    var clauses = [];
    var re = /"([^"]*)"?|(\S+)/g;
    var m;
    var q = query.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
    while ((m = re.exec(q)) !== null) {
      if (m[1] !== undefined) {
        var ws = words(m[1]);
        if (ws.length === 1) { clauses.push({ kind: "word", words: ws }); }
        else if (ws.length) { clauses.push({ kind: "phrase", words: ws }); }
      } else {
        var token = m[2];
        var ww = words(token);
        if (!ww.length) { continue; }
        if (/\*$/.test(token) && ww.length === 1) { clauses.push({ kind: "prefix", words: ww }); }
        else if (ww.length === 1) { clauses.push({ kind: "word", words: ww }); }
        else { clauses.push({ kind: "phrase", words: ww }); }  // Nagorno-Karabakh
      }
    }
    return clauses;
  }

  function shardKey(w, shards) {
    if (shards.has(w + "$")) { return w + "$"; }
    for (var k = w.length; k > 0; k--) { if (shards.has(w.slice(0, k))) { return w.slice(0, k); } }
    return null;
  }
  // the shards a prefix can reach
  function prefixShards(p, meta) {
    return meta.shards.filter(function (key) {
      var plain = key.replace(/\$$/, "");
      return plain.startsWith(p) || (key === plain && p.startsWith(plain));
    });
  }
  function loadShard(key) { return load("shard", key, "search/s/" + fileKey(key) + ".js"); }

  // "delta[.weight],…" in base 36 → into: Map(document number → summed weight × factor)
  var DEFAULT = 10;
  function decode(s, factor, into, dflt) {
    if (!s) { return; }
    var n = 0;
    var d = dflt === undefined ? DEFAULT : dflt;
    s.split(",").forEach(function (part) {
      var dot = part.indexOf(".");
      n += parseInt(dot < 0 ? part : part.slice(0, dot), 36);
      var w = (dot < 0 ? d : parseInt(part.slice(dot + 1), 36)) * factor;
      into.set(n, (into.get(n) || 0) + w);
    });
  }

  // The index words a query word stands for: [[word, entry, weight]]
  function expand(clause, w, stem, meta) {
    if (clause.kind === "prefix") {
      return Promise.all(prefixShards(w, meta).map(loadShard)).then(function (shards) {
        var out = [];
        shards.forEach(function (shard) {
          Object.keys(shard || {}).forEach(function (u) {
            if (u.startsWith(w)) { out.push([u, shard[u], u === w ? 1 : 0.8]); }
          });
        });
        return out;
      });
    }
    var key = shardKey(w, new Set(meta.shards));
    if (key === null) { return Promise.resolve([]); }
    return loadShard(key).then(function (shard) {
      shard = shard || {};
      var out = [];
      if (shard[w]) { out.push([w, shard[w], 1]); }
      if (stem && clause.kind === "word") {
        var mine = shard[w] ? (shard[w][2] || w) : null;
        Object.keys(shard).forEach(function (u) {
          if (u === w) { return; }
          var s = shard[u][2] || u;
          if (mine !== null ? s === mine : (s.length >= 3 && w.startsWith(s))) { out.push([u, shard[u], 0.8]); }
        });
      }
      return out;
    });
  }

  function postings(exp) {
    var into = new Map();
    return Promise.all(exp.map(function (x) {
      var entry = x[1];
      if (entry[1] !== 0) { decode(entry[1], x[2], into); return null; }
      return load("word", x[0], "search/w/" + fileKey(x[0]) + ".js").then(function (p) { decode(p, x[2], into); });
    })).then(function () { return into; });
  }

  // ----- filters with more values than a menu holds: a text field -----
  // the values with a word of their names beginning as each typed word does: [[key, label, count]]
  function namesLike(facet, typed, meta) {
    var typedWords = words(typed);
    var keys = (meta.names || {})[facet] || [];
    if (!typedWords.length) { return Promise.resolve([]); }
    var first = typedWords[0];
    return Promise.all(prefixShards(first, { shards: keys }).map(function (key) {
      return load("names", facet + "/" + key, "search/n/" + facet + "/" + fileKey(key) + ".js");
    })).then(function (shards) {
      var out = [];
      var seen = {};
      shards.forEach(function (shard) {
        Object.keys(shard || {}).sort().forEach(function (w) {
          if (!w.startsWith(first)) { return; }
          shard[w].forEach(function (v) {
            var own = words(String(v[1]));
            var all = typedWords.every(function (t) { return own.some(function (o) { return o.startsWith(t); }); });
            if (all && !seen[v[0]]) { seen[v[0]] = true; out.push(v); }
          });
        });
      });
      return out;
    });
  }
  // the key of a typed name (or of a key given in a link), or the text itself
  function facetValueKey(facet, typed, meta) {
    var field = document.querySelector("input[data-names='" + facet + "']");
    if (!field || !typed) { return Promise.resolve(typed); }
    return namesLike(facet, typed, meta).then(function (values) {
      var f = fold(typed).trim();
      var exact = values.filter(function (v) { return fold(String(v[1])).trim() === f || v[0] === typed; });
      return exact.length ? exact[0][0] : typed;
    });
  }
  function suggestNames() {
    document.querySelectorAll("input[data-names]").forEach(function (field) {
      var list = document.getElementById(field.getAttribute("list"));
      field.addEventListener("input", function () {
        var typed = field.value;
        load("meta", "meta", "search/meta.js").then(function (meta) {
          return namesLike(field.getAttribute("data-names"), typed, meta);
        }).then(function (values) {
          if (field.value !== typed || !list) { return; }
          list.textContent = "";
          values.slice(0, 50).forEach(function (v) {
            var o = document.createElement("option");
            o.value = String(v[1]);
            o.label = v[1] + " (" + v[2] + ")";
            list.appendChild(o);
          });
        });
      });
    });
  }

  // the documents a filter allows (a Set), or null for no filter
  function facetSet(facet, value, meta) {
    if (!value) { return Promise.resolve(null); }
    return facetValueKey(facet, value, meta).then(function (key) { return facetKeySet(facet, key); });
  }
  function facetKeySet(facet, value) {
    var name = facetKey(value);
    return load("facet", facet + "/" + name, "search/f/" + facet + "/" + name + ".js").then(function (values) {
      var set = new Map();
      if (values && values[value]) { decode(values[value][1], 1, set, 1); }
      return new Set(set.keys());
    }, function () { return new Set(); });
  }

  function dateRange(from, to, meta) {
    if (!from && !to) { return Promise.resolve(null); }
    return load("dates", "dates", "search/dates.js").then(function (dates) {
      var lo = meta.dated + 1;
      var hi = 0;
      var f = normDate(from, "0000-01-01", false);
      var t = normDate(to, "9999-12-31", true);
      for (var i = 0; i < dates.length; i++) {
        var day = dates[i][0];
        var first = dates[i][1];
        var last = i + 1 < dates.length ? dates[i + 1][1] - 1 : meta.dated;
        if (day >= f && day <= t) { lo = Math.min(lo, first); hi = Math.max(hi, last); }
      }
      return [lo, hi];
    });
  }
  // "1939" → 1939-01-01 (or -12-31 as an upper bound), "1939-03" likewise
  function normDate(s, dflt, upper) {
    s = (s || "").trim();
    if (/^\d{4}$/.test(s)) { return s + (upper ? "-12-31" : "-01-01"); }
    if (/^\d{4}-\d{2}$/.test(s)) { return s + (upper ? "-31" : "-01"); }
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) { return s; }
    return dflt;
  }

  function clausePattern(clause, exps) {
    if (clause.kind === "phrase") {
      return clause.words.map(escapeRe).join("[^\\p{L}\\p{N}]+");
    }
    var ws = exps.map(function (x) { return x[0]; });
    return ws.length ? "(?:" + ws.map(escapeRe).join("|") + ")" : null;
  }
  function boundary(p) { return "(?<![\\p{L}\\p{N}])" + p + "(?![\\p{L}\\p{N}])"; }

  // ----- results -----
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function snippet(text, re) {
    var folded = foldWithMap(text);
    var map = folded.map;
    function at(i) { return map ? map[i] : i; }
    var p = el("p", "snippet");
    re.lastIndex = 0;
    var first = re.exec(folded.text);
    if (!first) { p.textContent = text.slice(0, 200) + (text.length > 200 ? "…" : ""); return p; }
    var hit = at(first.index);
    var start = Math.max(0, hit - 100);
    var end = Math.min(text.length, hit + 160);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp > 0 && sp < hit) { start = sp + 1; } }
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > hit) { end = ep; } }
    var pos = start;
    if (start > 0) { p.appendChild(document.createTextNode("…")); }
    re.lastIndex = 0;
    var m;
    while ((m = re.exec(folded.text)) !== null) {
      var from = at(m.index);
      var to = at(m.index + m[0].length);
      if (from < start) { continue; }
      if (to > end) { break; }
      p.appendChild(document.createTextNode(text.slice(pos, from)));
      p.appendChild(el("mark", null, text.slice(from, to)));
      pos = to;
    }
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "…" : "")));
    return p;
  }

  // A document's text, its further parts loaded one by one until `enough` says so.
  function textOf(n, doc, enough) {
    var text = doc.x;
    function more(i) {
      if (i >= (doc.p || 1) || enough(text)) { return Promise.resolve(text); }
      return load("doc", n + "-" + i, "search/d/" + n + "-" + i + ".js").then(function (part) {
        text += part || "";
        return more(i + 1);
      });
    }
    return more(1);
  }

  // The index files of the query's words: meta.js, then each word's shard and postings.
  function wordWork(clauses, stem) {
    return load("meta", "meta", "search/meta.js").then(function (meta) {
      DEFAULT = meta.weight || DEFAULT;
      return Promise.all(clauses.map(function (c) {
        return Promise.all(c.words.map(function (w) {
          return expand(c, w, stem, meta).then(function (exp) {
            return postings(exp).then(function (p) { return { exp: exp, post: p }; });
          });
        }));
      })).then(function (found) { return { meta: meta, found: found }; });
    });
  }

  function run() {
    var params = new URLSearchParams(window.location.search);
    var form = document.getElementById("search-form");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var query = params.get("q") || "";
    var stem = params.get("stem") === "1";
    var filters = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) { return; }
      var v = params.get(input.name);
      if (input.type === "checkbox") { input.checked = v === input.value; }
      else if (v !== null) { input.value = v; }
    });
    ["type", "collection", "correspondent", "archive", "place"].forEach(function (f) {
      if (params.get(f)) { filters[f] = params.get(f); }
    });
    var from = params.get("from") || "";
    var to = params.get("to") || "";
    var clauses = parse(query);
    suggestNames();
    if (!clauses.length && !Object.keys(filters).length && !from && !to) {
      status.textContent = "Type words or a phrase, or choose a filter, and press Search.";
      return;
    }
    status.textContent = "Searching…";
    var asked = early || wordWork(clauses, stem);
    early = null;
    asked.then(function (w) {
      var filterWork = Object.keys(filters).map(function (f) { return facetSet(f, filters[f], w.meta); });
      return Promise.all([Promise.all(filterWork), dateRange(from, to, w.meta)]).then(function (r) {
        return { meta: w.meta, found: w.found, sets: r[0], range: r[1] };
      });
    }).then(function (res) {
      var meta = res.meta;
      var scores = null;
      var patterns = [];
      var phrases = [];
      clauses.forEach(function (c, i) {
        var parts = res.found[i];
        var docs = null;
        var all = [];
        parts.forEach(function (part) {
          all = all.concat(part.exp);
          var here = new Map();
          part.exp.forEach(function (x) { here.set(x[0], x[1][0]); });
          var df = 0;
          here.forEach(function (d) { df = Math.max(df, d); });
          var weight = Math.log(1 + meta.n / Math.max(1, df));
          var next = new Map();
          part.post.forEach(function (tf, n) {
            if (docs === null || docs.has(n)) { next.set(n, (docs ? docs.get(n) : 0) + weight * tf / 10); }
          });
          docs = next;
        });
        docs = docs || new Map();
        if (scores === null) { scores = docs; }
        else {
          var both = new Map();
          docs.forEach(function (s, n) { if (scores.has(n)) { both.set(n, scores.get(n) + s); } });
          scores = both;
        }
        var pat = clausePattern(c, all);
        if (pat) { patterns.push(pat); }
        if (c.kind === "phrase") { phrases.push(new RegExp(boundary(pat), "u")); }
      });
      var ranked;
      if (scores === null) {  // filters only: every document, in calendar order
        ranked = [];
        for (var n = 1; n <= meta.n; n++) { ranked.push([n, 0]); }
      } else {
        ranked = Array.from(scores.entries());
      }
      ranked = ranked.filter(function (h) {
        if (res.range && (h[0] < res.range[0] || h[0] > res.range[1])) { return false; }
        return res.sets.every(function (s) { return s === null || s.has(h[0]); });
      });
      ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var re = patterns.length ? new RegExp(patterns.map(boundary).join("|"), "gu") : null;
      var hl = clauses.map(function (c, i) {
        return c.kind === "phrase" ? '"' + c.words.join(" ") : res.found[i][0].exp.map(function (x) { return x[0]; }).join(" ");
      }).filter(Boolean);
      show(ranked, re, phrases, hl, status, list, more, query);
    }).catch(function (err) { status.textContent = String(err.message || err); });
  }

  function show(ranked, re, phrases, hl, status, list, more, query) {
    var next = 0;
    var shown = 0;
    var what = query ? "“" + query + "”" : "the filters";
    function found(text) {
      var f = fold(text);
      if (phrases.length) { return phrases.every(function (p) { return p.test(f); }); }
      if (!re) { return true; }
      re.lastIndex = 0;
      return re.test(f);
    }
    function item(doc, text) {
      var li = el("li");
      var a = el("a", null, doc.l + ": " + doc.h);
      var link = new URLSearchParams();
      hl.forEach(function (h) { link.append("hl", h); });
      a.href = doc.u + (hl.length ? "?" + link.toString() : "");
      li.appendChild(a);
      li.appendChild(el("div", "meta", [doc.d, doc.c].filter(Boolean).join(" · ")));
      if (re) { li.appendChild(snippet(text, re)); }
      return li;
    }
    // A page of results: their files are asked for at once, and each result is shown as
    // soon as it and those ranked above it are in, rather than all at the end.
    function page() {
      var batch = ranked.slice(next, next + PAGE);
      next += batch.length;
      var arriving = batch.map(function (h) {
        var n = h[0];
        return load("doc", String(n), "search/d/" + n + ".js").then(function (doc) {
          return doc ? textOf(n, doc, found).then(function (text) { return [doc, text]; }) : null;
        });
      });
      var inOrder = Promise.resolve();
      arriving.forEach(function (p) {
        inOrder = inOrder.then(function () { return p; }).then(function (pair) {
          if (!pair) { return; }
          if (phrases.length && !found(pair[1])) { return; }  // the words, but not as a phrase
          shown++;
          list.appendChild(item(pair[0], pair[1]));
          if (!document.documentElement.hasAttribute("data-search-first-ms")) {
            document.documentElement.setAttribute("data-search-first-ms", String(Math.round(performance.now())));
          }
        });
      });
      return inOrder.then(function () {
        if (phrases.length && shown < PAGE && next < ranked.length) { return page(); }
        return null;
      });
    }
    page().then(function () {
      var total = phrases.length ? (next >= ranked.length ? String(shown) : "at least " + shown) : String(ranked.length);
      status.textContent = (shown === 0 ? "No document matches " + what + "."
        : total + (total === "1" ? " document matches " : " documents match ") + what + ".");
      document.documentElement.setAttribute("data-search-ms", String(Math.round(performance.now())));
      more.hidden = next >= ranked.length;
      more.onclick = function () {
        var before = shown;
        page().then(function () {
          more.hidden = next >= ranked.length;
          var items = list.querySelectorAll("li > a");
          if (items[before]) { items[before].focus(); }
        });
      };
    });
  }

  // The words come from the address alone, so their files are asked for as soon as this
  // script runs (it is async), while the page is still being parsed.
  var startParams = new URLSearchParams(window.location.search);
  var early = wordWork(parse(startParams.get("q") || ""), startParams.get("stem") === "1");
  early.catch(function () { return null; });  // reported by run(), which uses it
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
