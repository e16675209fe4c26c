(function () {
  "use strict";
  var table = document.getElementById("lc-findings");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var search = document.getElementById("lc-search");
  var shown = document.getElementById("lc-shown");
  var empty = document.getElementById("lc-empty");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var lang = document.documentElement.lang || "en";
  var collator = window.Intl ? new Intl.Collator(lang, { numeric: true, sensitivity: "base" }) : null;

  function normalise(text) {
    text = String(text || "");
    if (text.normalize) { text = text.normalize("NFKC"); }
    return text.toLowerCase();
  }

  function applyFilter() {
    var terms = normalise(search ? search.value : "").split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (select) {
        return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
      });
      if (visible && terms.length) {
        var haystack = row.getAttribute("data-search") || "";
        visible = terms.every(function (term) { return haystack.indexOf(term) !== -1; });
      }
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    if (shown) {
      shown.textContent = shown.getAttribute("data-template")
        .replace("{shown}", String(count)).replace("{total}", String(rows.length));
    }
    if (empty) { empty.hidden = count !== 0; }
    table.setAttribute("data-visible", String(count));
  }

  function sortKey(row, column) {
    var cell = row.cells[column];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compare(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== "" && b !== "" && !isNaN(na) && !isNaN(nb)) { return na - nb; }
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var keyed = rows.map(function (row, index) { return [sortKey(row, column), index, row]; });
      keyed.sort(function (x, y) {
        var result = compare(x[0], y[0]);
        if (!ascending) { result = -result; }
        return result || x[1] - y[1];
      });
      rows = keyed.map(function (item) { return item[2]; });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });

  if (search) { search.addEventListener("input", applyFilter); }
  selects.forEach(function (select) { select.addEventListener("change", applyFilter); });
  var form = document.getElementById("lc-filters");
  if (form) { form.addEventListener("submit", function (event) { event.preventDefault(); }); }
  applyFilter();
  document.documentElement.setAttribute("data-ready", "true");
})();
