// A page with form errors moves focus to its error summary, so keyboard and screen-reader
// users start from the list of what to fix (each item links to its field).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
