// The report form: as soon as school, category and severity are chosen, say what the
// threshold table will do and who will be alerted (the server says it too after a submit);
// show a person's reporting fields only for students. Without JavaScript everything shows.
(function () {
  "use strict";
  var form = document.querySelector("form.incident-form");
  if (!form) {
    return;
  }
  var text = form.querySelector("[data-preview-text]");
  var fields = ["school", "category", "severity"].map(function (name) {
    return form.querySelector("#id_" + name);
  });

  function preview() {
    var values = fields.map(function (field) { return field ? field.value : ""; });
    if (!text || values.some(function (v) { return !v; }) || !window.fetch) {
      return;
    }
    var query = new URLSearchParams({ school: values[0], category: values[1], severity: values[2] });
    fetch(form.dataset.previewUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.text) { text.textContent = data.text; } })
      .catch(function () {});
  }
  fields.forEach(function (field) { if (field) { field.addEventListener("change", preview); } });
  preview();

  form.querySelectorAll(".person-row").forEach(function (row) {
    var kind = row.querySelector("select[name$='-kind']");
    var studentOnly = row.querySelector("[data-student-only]");
    if (!kind || !studentOnly) {
      return;
    }
    function sync() {
      var hasError = studentOnly.querySelector(".is-invalid");
      studentOnly.hidden = kind.value !== "student" && !hasError;
    }
    kind.addEventListener("change", sync);
    sync();
  });
})();
