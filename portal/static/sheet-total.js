// The score sheet adds itself up while the expert types: a criterion line gives its score,
// a bonus line its count times its points (up to the line's cap), a deduction line takes
// its count times its points off; the bonus lines together give at most the rubric's
// maximum. The server computes and checks the same sums when the draft is saved.
(function () {
  "use strict";

  function number(text) {
    var value = Number(String(text || "").trim());
    return isFinite(value) && value >= 0 ? value : 0;
  }

  function show(value) {
    return (Math.round(value * 100) / 100).toFixed(2);
  }

  function linePoints(row) {
    var input = row.querySelector("input");
    var entry = number(input && input.value);
    if (row.dataset.line === "criterion") { return entry; }
    var points = Math.floor(entry) * number(row.dataset.points);
    if (row.dataset.line === "bonus" && row.dataset.cap !== "") {
      points = Math.min(points, number(row.dataset.cap));
    }
    return points;
  }

  function update(table) {
    var sums = { criterion: 0, bonus: 0, deduction: 0 };
    table.querySelectorAll("tr[data-line]").forEach(function (row) {
      var points = linePoints(row);
      sums[row.dataset.line] += points;
      var cell = row.querySelector("[data-line-points]");
      if (cell) {
        cell.textContent = (row.dataset.line === "deduction" && points ? "\u2212" : "") +
          show(points);
      }
    });
    if (table.dataset.maxBonus !== "") {
      sums.bonus = Math.min(sums.bonus, number(table.dataset.maxBonus));
    }
    var total = sums.criterion + sums.bonus - sums.deduction;
    var cells = {
      criterion: show(sums.criterion),
      bonus: show(sums.bonus),
      deduction: (sums.deduction ? "\u2212" : "") + show(sums.deduction),
      total: show(total)
    };
    Object.keys(cells).forEach(function (key) {
      var cell = table.querySelector('[data-sum="' + key + '"]');
      if (cell) { cell.textContent = cells[key]; }
    });
  }

  function start() {
    document.querySelectorAll("table[data-sheet-total]").forEach(function (table) {
      table.addEventListener("input", function () { update(table); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
