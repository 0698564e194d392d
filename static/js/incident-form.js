// The report form: as soon as school, category and severity are chosen, say what the
// threshold table will do and who will be alerted (the server says it too after a submit);
// show a person's student fields only for students, and offer the school's students as one
// types an ID or a name. Without JavaScript everything shows and the server finds the student.
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

  var options = form.querySelector("#student-options");
  var school = form.querySelector("#id_school");
  var timer = null;

  // Offer the school's students matching what is typed (the server resolves the text on
  // submit as well, so the form works without this).
  function search(input, url) {
    if (!options || !school || !school.value || !window.fetch || input.value.trim().length < 2) {
      return;
    }
    var query = new URLSearchParams({ school: school.value, q: input.value.trim() });
    fetch(url + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        options.replaceChildren.apply(options, data.results.map(function (result) {
          var option = document.createElement("option");
          option.value = result.label;
          return option;
        }));
      })
      .catch(function () {});
  }

  form.querySelectorAll(".person-row").forEach(function (row) {
    var kind = row.querySelector("select[name$='-kind']");
    var studentOnly = row.querySelector("[data-student-only]");
    var otherOnly = row.querySelector("[data-other-only]");
    var lookup = row.querySelector("input[name$='-student_lookup']");
    if (!kind || !studentOnly || !otherOnly) {
      return;
    }
    function sync() {
      var student = kind.value === "student";
      studentOnly.hidden = !student && !studentOnly.querySelector(".is-invalid");
      otherOnly.hidden = student && !otherOnly.querySelector(".is-invalid");
    }
    kind.addEventListener("change", sync);
    sync();
    if (lookup) {
      lookup.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { search(lookup, row.dataset.searchUrl); }, 200);
      });
    }
  });
})();
