// What the pages ask for with data attributes. No script sits inside a page, so the Content
// Security Policy can refuse every inline one (an injected <script> or onclick does not run).
"use strict";

// A choice that applies at once, such as the language: <select data-submit-on-change>.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.submit();
  }
});

// A read-only address to copy: <input data-select-on-focus> selects it all when focused.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) {
    event.target.select();
  }
});
