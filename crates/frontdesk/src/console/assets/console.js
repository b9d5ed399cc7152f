// frontdesk console: the only script. Copy buttons and confirmations; everything else works without it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  var text = source.value !== undefined ? source.value : source.textContent;
  if (navigator.clipboard) {
    navigator.clipboard.writeText(text).then(function () { button.textContent = button.getAttribute("data-done") || "✓"; });
  } else {
    source.select && source.select();
    document.execCommand("copy");
  }
});
// A form with data-confirm asks first ("Termin stornieren von Anna Schmidt, 01.12.2026 10:00?").
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
