// A progress bar for an upload form: the bytes sent fill the first half, the server's phases (polled) the second.
// A file, not an inline script, so that the Content-Security-Policy can forbid inline scripts.
// Its <script> tag carries the form's id, the progress URL (with TOKEN) and the texts, as data attributes.
(function () {
  var config = document.currentScript.dataset;
  var form = document.getElementById(config.formId);
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    var bar = document.getElementById("progress-bar"), text = document.getElementById("progress-text");
    document.getElementById("progress").hidden = false;
    var token = form.querySelector("[name=token]").value, timer = null;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);  // form.action may be its input named "action"
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { bar.value = Math.round(50 * e.loaded / e.total); text.textContent = config.uploading + " " + Math.round(100 * e.loaded / e.total) + "%"; }
    };
    xhr.upload.onload = function () {
      bar.value = 50; text.textContent = config.processing;
      timer = setInterval(function () {
        fetch(config.progressUrl.replace("TOKEN", token)).then(function (r) { return r.json(); }).then(function (p) {
          if (p.phase) { text.textContent = p.phase; bar.value = 50 + Math.round((p.percent || 0) / 2); }
        });
      }, 500);
    };
    xhr.onload = function () { clearInterval(timer); bar.value = 100; document.open(); document.write(xhr.responseText); document.close(); };
    xhr.onerror = function () { clearInterval(timer); text.textContent = config.failed; };
    xhr.send(new FormData(form));
  });
})();
