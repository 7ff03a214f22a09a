// The list page (templates/registrar/batches/detail.html): tick every row of the page at once, and ask
// before a button with data-confirm (删除名单, 从名单中移除) does what cannot be undone.
// A file, not an inline script, so that the Content-Security-Policy can forbid inline scripts.
(function () {
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.row-select").forEach(function (box) { box.checked = all.checked; });
    });
  }
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
})();
