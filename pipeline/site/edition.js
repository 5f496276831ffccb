/* Small enhancements of the edition's pages; every page reads without them.
   - note previews: hovering or focusing a note marker shows the note beside it;
   - sortable tables: the column buttons of the document tables sort the rows;
   - search hits: a document opened from the search results (?hl=words&hl=a+phrase)
     marks every match and scrolls to the first. */
(function () {
  "use strict";

  // ----- note previews -----
  var preview = null;
  var hideTimer = null;

  function hide() {
    if (preview) { preview.remove(); preview = null; }
  }

  function show(marker) {
    var id = decodeURIComponent(marker.getAttribute("href").slice(1));
    var note = document.getElementById(id);
    if (!note) { return; }
    hide();
    var body = note.querySelector(".fn-body");
    preview = document.createElement("div");
    preview.className = "fn-preview";
    preview.setAttribute("role", "tooltip");
    preview.id = "fn-preview";
    var num = document.createElement("span");
    num.className = "fn-preview-num";
    num.textContent = marker.textContent.trim();
    preview.appendChild(num);
    var copy = (body || note).cloneNode(true);
    // ids must stay unique in the page: the copy drops them
    copy.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    copy.querySelectorAll("[aria-describedby]").forEach(function (el) { el.removeAttribute("aria-describedby"); });
    preview.appendChild(copy);
    document.body.appendChild(preview);
    marker.setAttribute("aria-describedby", "fn-preview");
    var r = marker.getBoundingClientRect();
    var width = Math.min(preview.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(window.scrollX + r.left - 20,
      window.scrollX + document.documentElement.clientWidth - width - 8));
    preview.style.left = left + "px";
    preview.style.top = (window.scrollY + r.bottom + 6) + "px";
    preview.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    preview.addEventListener("mouseleave", function () { hideSoon(marker); });
  }

  function hideSoon(marker) {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      marker.removeAttribute("aria-describedby");
      hide();
    }, 250);
  }

  document.querySelectorAll("a.fn-ref").forEach(function (marker) {
    marker.addEventListener("mouseenter", function () { clearTimeout(hideTimer); show(marker); });
    marker.addEventListener("focus", function () { clearTimeout(hideTimer); show(marker); });
    marker.addEventListener("mouseleave", function () { hideSoon(marker); });
    marker.addEventListener("blur", function () { hideSoon(marker); });
    marker.addEventListener("click", hide);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });

  // ----- sortable tables -----
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("th[data-key]");
    heads.forEach(function (th) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var key = th.getAttribute("data-key");
        var descending = th.getAttribute("aria-sort") === "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.getAttribute("data-" + key) || "";
          var y = b.getAttribute("data-" + key) || "";
          var c = x < y ? -1 : x > y ? 1 : 0;
          if (c === 0) {  // ties keep the calendar order
            c = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
            return c;
          }
          return descending ? -c : c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // ----- search hits: mark every match of ?hl= in the document, scroll to the first -----
  var EXTRA = { "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
    "ı": "i", "ħ": "h", "ŀ": "l" };
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "")
      .replace(/[łøđðþæœßıħŀ]/g, function (c) { return EXTRA[c]; });
  }
  function highlight() {
    var wanted = new URLSearchParams(window.location.search).getAll("hl");
    var article = document.querySelector("article.document");
    if (!wanted.length || !article) { return; }
    var pats = [];
    wanted.forEach(function (h) {
      // one hl value: alternative words, or (after a quotation mark) the words of a phrase
      var phrase = h.charAt(0) === "\"";
      var ws = (fold(h).match(/[\p{L}\p{N}]+/gu) || []).map(function (w) {
        return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
      if (!ws.length) { return; }
      pats.push(phrase ? ws.join("[^\\p{L}\\p{N}]+") : "(?:" + ws.join("|") + ")");
    });
    if (!pats.length) { return; }
    var re = new RegExp(pats.map(function (p) { return "(?<![\\p{L}\\p{N}])" + p + "(?![\\p{L}\\p{N}])"; }).join("|"), "gu");
    // the text of the article (not the tooltips), folded, with each folded character's node and offset
    var nodes = [];
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, { acceptNode: function (n) {
      return n.parentElement.closest(".tip, script, style") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; } });
    var folded = "";
    var where = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push(n);
      var i = 0;
      for (var ch of n.data) {
        var f = fold(ch);
        for (var k = 0; k < f.length; k++) { where.push([n, i, i + ch.length]); }
        folded += f;
        i += ch.length;
      }
    }
    var ranges = [];
    var m;
    while ((m = re.exec(folded)) !== null) {
      var a = where[m.index];
      var b = where[m.index + m[0].length - 1];
      var range = document.createRange();
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[2]);
      ranges.push(range);
    }
    var marks = [];
    // from the last to the first, so that earlier ranges stay valid
    ranges.reverse().forEach(function (range) {
      // a match across elements: mark each text node's part of it
      var parts = [];
      nodes.forEach(function (t) {
        if (!range.intersectsNode(t)) { return; }
        var s = t === range.startContainer ? range.startOffset : 0;
        var e = t === range.endContainer ? range.endOffset : t.data.length;
        if (e > s) { parts.push([t, s, e]); }
      });
      parts.reverse().forEach(function (p) {
        var r = document.createRange();
        r.setStart(p[0], p[1]);
        r.setEnd(p[0], p[2]);
        var mark = document.createElement("mark");
        mark.className = "hit";
        r.surroundContents(mark);
        marks.unshift(mark);
      });
    });
    if (!marks.length) { return; }
    var bar = document.createElement("p");
    bar.className = "hit-bar";
    bar.setAttribute("role", "status");
    bar.textContent = marks.length + (marks.length === 1 ? " match" : " matches") + " of your search marked. ";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next match";
    var current = 0;
    next.addEventListener("click", function () {
      current = (current + 1) % marks.length;
      marks[current].scrollIntoView({ block: "center" });
    });
    bar.appendChild(next);
    article.parentNode.insertBefore(bar, article);
    marks[0].id = "first-hit";
    marks[0].scrollIntoView({ block: "center" });
  }
  highlight();

  // ----- citations: the reader's access date -----
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var today = new Date();
  document.querySelectorAll(".access-date").forEach(function (span) {
    span.textContent = today.getDate() + " " + MONTHS[today.getMonth()] + " " + today.getFullYear();
  });
})();
