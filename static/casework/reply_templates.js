// 常用答复语: a button with data-reply-template fills the field named by data-target with its
// data-text (asking first, data-confirm, when the field already holds other words).
// Delegated from the document, so it works on pages Turbo swaps in; no inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-reply-template]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var field = document.getElementById(button.dataset.target || "id_content");
    if (!field) {
      return;
    }
    var text = button.dataset.text || "";
    var current = field.value.trim();
    if (current && current !== text && !window.confirm(button.dataset.confirm || "")) {
      return;
    }
    field.value = text;
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.focus();
  });
})();
