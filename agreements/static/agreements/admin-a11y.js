// Select2 (Django's autocomplete widget) draws a combobox that does not carry the name of the <select> it
// replaces: copy the select's aria-label onto it whenever select2 draws one (at start, and for added rows).
(function () {
  "use strict";
  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection[role=combobox]");
      var name = select.getAttribute("aria-label");
      if (box && name && box.getAttribute("aria-label") !== name) {
        box.setAttribute("aria-label", name);
        box.removeAttribute("aria-labelledby");
      }
      // The chosen value inside the combobox is its text, not a second (unnamed) textbox.
      var shown = box && box.querySelector(".select2-selection__rendered[role=textbox]");
      if (shown) {
        shown.removeAttribute("role");
        shown.removeAttribute("aria-readonly");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameComboboxes();
    new MutationObserver(nameComboboxes).observe(document.body, {childList: true, subtree: true});
  });
})();
