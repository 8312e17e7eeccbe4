// Forms submit once: a second click while the first request runs does nothing.
// A disabled button is left out of the form data, so the button that submitted keeps its
// name=value (e.g. action=submit) in a hidden copy before the buttons are disabled.
var PAGE_SHOWN_AT = Date.now();

document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  var submitter = event.submitter;
  // The server refuses a form sent sooner than data-min-seconds after it was shown (a bot's
  // speed); a person that quick is held back until then, so attached files are not lost.
  var wait = Number(form.dataset.minSeconds || 0) * 1000 + 500 - (Date.now() - PAGE_SHOWN_AT);
  if (form.dataset.minSeconds && wait > 0) {
    event.preventDefault();
    if (form.dataset.held !== "1") {
      form.dataset.held = "1";
      setTimeout(function () {
        delete form.dataset.held;
        form.requestSubmit(submitter || undefined);
      }, wait);
    }
    return;
  }
  // What cannot be undone is asked once: the button (or form) says what will happen.
  var question = (submitter && submitter.getAttribute("data-confirm")) ||
    form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  if (submitter && submitter.name && submitter.hasAttribute("data-once")) {
    var copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = submitter.name;
    copy.value = submitter.value;
    copy.setAttribute("data-submitter-copy", "");
    form.appendChild(copy);
  }
  form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = true; });
}, true);

// A page restored from the back-forward cache can be submitted again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form[data-submitted]").forEach(function (form) {
    delete form.dataset.submitted;
    form.querySelectorAll("[data-submitter-copy]").forEach(function (c) { c.remove(); });
    form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = false; });
  });
});

// A select marked data-autosubmit submits its form when changed (inline onchange handlers
// are refused by the content security policy).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
    select.form.submit();
  }
});

// On a narrow screen a wide table scrolls inside its own box (portal.css); a box that scrolls
// is made reachable by the keyboard, so it can be scrolled without a pointer.
function markScrollingTables() {
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth + 1) {
      table.tabIndex = 0;
    } else if (table.hasAttribute("tabindex")) {
      table.removeAttribute("tabindex");
    }
  });
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
// A table inside a closed <details> has no width until it opens (toggle does not bubble).
document.addEventListener("toggle", markScrollingTables, true);

// On a phone a table marked .cards stacks each row as a card (portal.css), each cell under its
// column's name (data-label). A header cell marked data-card-label lends its name to the cells
// of its column, so that a long list need not repeat the names in every row.
document.querySelectorAll("table.cards").forEach(function (table) {
  var head = table.tHead && table.tHead.rows[0];
  var names = [];
  if (head) {
    [].forEach.call(head.cells, function (cell, i) {
      if (cell.hasAttribute("data-card-label")) { names[i] = cell.textContent.trim(); }
    });
  }
  if (!names.length) { return; }
  [].forEach.call(table.tBodies, function (body) {
    [].forEach.call(body.rows, function (row) {
      [].forEach.call(row.cells, function (cell, i) {
        if (names[i] && cell.colSpan === 1) { cell.setAttribute("data-label", names[i]); }
      });
    });
  });
});
