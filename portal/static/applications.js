// Application form: live count of Chinese characters, and adding rows to the member tables.
(function () {
  // CJK Unified Ideographs with extension A and the supplementary-plane extensions,
  // the same ranges the server counts (portal/applications/rules.py).
  var CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\u{20000}-\u{2A6DF}\u{2A700}-\u{2EBEF}\u{30000}-\u{3134F}]/gu;

  function count(text) {
    var m = text.match(CJK);
    return m ? m.length : 0;
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var out = document.getElementById(area.dataset.counter);
    var state = document.querySelector('[data-counter-state="' + area.dataset.counter + '"]');
    var min = parseInt(area.dataset.minChars, 10);
    var max = parseInt(area.dataset.maxChars, 10);
    function update() {
      var n = count(area.value);
      out.textContent = n;
      var bad = area.value.trim() !== "" && (n < min || n > max);
      out.parentNode.classList.toggle("error", bad);
      if (state) { state.textContent = bad ? (n < min ? "▲" : "▼") : ""; }
    }
    area.addEventListener("input", update);
    update();
  });

  // Clone the last row of a table, empty it, and renumber members-3-name → members-4-name.
  document.querySelectorAll("button[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var body = document.querySelector('table[data-rows="' + prefix + '"] tbody');
      var rows = body.querySelectorAll("tr[data-row]");
      var last = rows[rows.length - 1];
      var index = rows.length;
      var copy = last.cloneNode(true);
      var pattern = new RegExp("^" + prefix + "-\\d+-");
      copy.querySelectorAll("input, select").forEach(function (input) {
        var renamed = input.name.replace(pattern, prefix + "-" + index + "-");
        input.name = renamed;
        input.id = renamed;
        if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
      });
      copy.querySelectorAll("small.error").forEach(function (e) { e.remove(); });
      body.appendChild(copy);
      var first = copy.querySelector("input");
      if (first) { first.focus(); }
    });
  });
})();
