// Uploads with progress: a form marked data-upload-progress sends each chosen file on its own
// (XHR, asking for JSON), shows the bytes sent and the percentage, then whether the file was
// stored or why not; a refused file leaves the others. Without this script the form posts as
// usual and the page lists each file's outcome.
(function () {
  function size(bytes) {
    if (bytes >= 1048576) { return (bytes / 1048576).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function row(list, file) {
    var item = document.createElement("li");
    item.dataset.file = file.name;
    var name = document.createElement("strong");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = size(0) + " / " + size(file.size) + " · 0%";
    item.append(name, bar, status);
    list.appendChild(item);
    return { item: item, bar: bar, status: status };
  }

  function send(form, file, shown, finished) {
    var data = new FormData(form);
    data.delete("file");
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var part = Math.min(e.loaded / e.total, 1);
      shown.bar.value = part * shown.bar.max;
      shown.status.textContent = size(part * file.size) + " / " + size(file.size) + " · " +
        Math.round(part * 100) + "%";
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
      var outcome = answer && answer.files && answer.files[0];
      var ok = xhr.status === 200 && outcome && outcome.uploaded;
      var problem = outcome && outcome.problem || answer && answer.problem ||
        form.dataset.uploadFailed;
      shown.bar.value = shown.bar.max;
      shown.item.classList.add(ok ? "uploaded" : "failed");
      shown.status.textContent = ok ? size(file.size) + " / " + size(file.size) + " · 100% ✓" : problem;
      finished(ok);
    });
    xhr.addEventListener("error", function () {
      shown.item.classList.add("failed");
      shown.status.textContent = form.dataset.uploadFailed;
      finished(false);
    });
    xhr.send(data);
  }

  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !window.FormData) { return; }
    var list = document.createElement("ul");
    list.className = "upload-progress";
    list.dataset.testid = "upload-progress";
    list.setAttribute("aria-live", "polite");
    form.appendChild(list);
    form.addEventListener("submit", function (event) {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { return; } // the server says what is missing
      event.preventDefault();
      var button = form.querySelector('[type="submit"]');
      if (button) { button.disabled = true; }
      list.textContent = "";
      var rows = files.map(function (file) { return row(list, file); });
      var failed = 0;
      var index = 0;
      function next() {
        if (index < files.length) {
          var i = index++;
          send(form, files[i], rows[i], function (ok) { failed += ok ? 0 : 1; next(); });
          return;
        }
        if (button) { button.disabled = false; }
        if (!failed) { window.location.hash = "files"; window.location.reload(); return; }
        var more = document.createElement("li");
        var link = document.createElement("a");
        link.href = window.location.pathname;
        link.textContent = form.dataset.uploadList;
        link.dataset.testid = "upload-refresh";
        more.appendChild(link);
        list.appendChild(more);
      }
      next();
    });
  });
})();
