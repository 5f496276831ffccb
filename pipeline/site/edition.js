/* Small enhancements of the edition's pages; every page reads without them.
   - note previews: hovering or focusing a note marker shows the note beside it;
   - sortable tables: the column buttons of the document tables sort the rows. */
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
})();
