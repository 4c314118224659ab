/* portplan: sortable, filterable port tables. Vendored, no dependencies, no network.
 *
 * A table opts in with `data-pp-sortable`. Header buttons sort by the cells' `data-sort`
 * (else their text); columns marked `data-pp-numeric` sort as numbers, so port 3000 comes
 * before 8011 and a block 8020-8029 sorts by its low end. A `.pp-filter` box next to the
 * table narrows the rows to those containing every typed word.
 *
 * In the plan table a click on clamped text (`.pp-clamp`) shows it in full; on a phone, where
 * each row is a card, a tap on the card opens the fields it does not show.
 */
(function () {
  "use strict";

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function compareKeys(a, b, numeric) {
    // Empty cells go last whichever way the column is sorted.
    if (a === "" || b === "") return (a === "") - (b === "");
    if (numeric) {
      var x = parseFloat(a), y = parseFloat(b);
      if (!isNaN(x) && !isNaN(y) && x !== y) return x - y;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, th) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(th);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var numeric = th.hasAttribute("data-pp-numeric");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellKey(row, index), position: position };
    });
    rows.sort(function (p, q) {
      if (p.key === "" || q.key === "") return compareKeys(p.key, q.key, numeric) || p.position - q.position;
      var order = compareKeys(p.key, q.key, numeric);
      return (ascending ? order : -order) || p.position - q.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function filterRows(table, input, counter) {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      rows[i].hidden = !match;
      if (match) shown++;
    }
    if (counter) counter.textContent = shown + " of " + rows.length + " ports";
  }

  var CARDS = "(max-width: 59.9375em)";  // the card layout's breakpoint in portplan.css

  function onTableClick(event) {
    if (event.target.closest("a, button, input")) return;
    var clamp = event.target.closest(".pp-clamp");
    var row = event.target.closest("tbody tr");
    if (row && window.matchMedia && window.matchMedia(CARDS).matches) {
      var open = row.classList.toggle("pp-open");
      row.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (clamp) {
      clamp.classList.toggle("pp-open");
    }
  }

  function setUp(table) {
    if (table.hasAttribute("data-pp-ready") || !table.tHead || !table.tBodies.length) return;
    table.setAttribute("data-pp-ready", "");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var button = th.querySelector("button.pp-sort");
      if (button) button.addEventListener("click", function () { sortBy(table, th); });
    });
    if (table.classList.contains("pp-plan")) table.addEventListener("click", onTableClick);
    var box = table.closest(".pp-table");
    var tools = box && box.querySelector(".pp-tools");
    if (tools) {
      var input = tools.querySelector(".pp-filter");
      var counter = tools.querySelector(".pp-count");
      input.addEventListener("input", function () { filterRows(table, input, counter); });
      tools.hidden = false;
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pp-sortable]"), setUp);
  }

  // Material's instant navigation swaps pages without a load event; document$ tells us.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
