// Forms submit once: a second click while the first request runs does nothing.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = true; });
}, true);
