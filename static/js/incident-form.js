// The report form: as soon as school, category and severity are chosen, say what the
// threshold table will do and who will be alerted (the server says it too after a submit);
// show a person's student fields only for students, and offer the school's students as one
// types an ID or a name; add a row per person. Without JavaScript everything shows, the server
// finds the student, and people are added one row at a time.
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

  // Answers can arrive out of order (a quick change of category sends two questions): only
  // the answer to the latest question is shown, never one about a category no longer chosen.
  var asked = 0;

  function preview() {
    var values = fields.map(function (field) { return field ? field.value : ""; });
    if (!text || values.some(function (v) { return !v; }) || !window.fetch) {
      return;
    }
    var mine = ++asked;
    var query = new URLSearchParams({ school: values[0], category: values[1], severity: values[2] });
    fetch(form.dataset.previewUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (mine === asked && data && data.text) { text.textContent = data.text; } })
      .catch(function () {});
  }
  fields.forEach(function (field) { if (field) { field.addEventListener("change", preview); } });
  preview();

  var options = form.querySelector("#student-options");
  var school = form.querySelector("#id_school");
  var timer = null;

  var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");

  // Offer the school's students matching what is typed (the server resolves the text on
  // submit as well, so the form works without this). Sent in a POST body: what is typed may
  // be a student's name, which never goes into a URL.
  function search(input, url) {
    if (!options || !school || !school.value || !csrf || !window.fetch || input.value.trim().length < 2) {
      return;
    }
    var body = new URLSearchParams({ school: school.value, q: input.value.trim() });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value },
    })
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

  function setUpRow(row) {
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
  }
  form.querySelectorAll(".person-row").forEach(setUpRow);

  // "Add another person": a copy of the last row, emptied, numbered as the formset's next
  // form (Django's people-N- prefix), with no error left from the row it was copied from.
  var rows = form.querySelector("[data-person-rows]");
  var add = form.querySelector("[data-add-person]");
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var most = form.querySelector("input[name$='-MAX_NUM_FORMS']");
  if (!rows || !add || !total) {
    return;
  }
  function full() {
    return most && Number(total.value) >= Number(most.value);
  }
  add.hidden = full();
  add.addEventListener("click", function () {
    var all = rows.querySelectorAll(".person-row");
    if (!all.length || full()) {
      return;
    }
    var index = Number(total.value);
    var row = all[all.length - 1].cloneNode(true);
    var numbered = /-\d+-/g;
    // No error messages, and no choice among students (it is offered only after a lookup).
    row.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    var choice = row.querySelector("[name$='-student']");
    if (choice) {
      (choice.closest(".col-12") || choice).remove();
    }
    row.querySelectorAll("*").forEach(function (node) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = node.getAttribute(attr);
        if (value !== null) {
          node.setAttribute(attr, value.replace(numbered, "-" + index + "-"));
        }
      });
      if (node.getAttribute("aria-describedby")) {
        var kept = node.getAttribute("aria-describedby").split(" ").filter(function (id) {
          return !/_error$/.test(id);
        });
        if (kept.length) { node.setAttribute("aria-describedby", kept.join(" ")); } else { node.removeAttribute("aria-describedby"); }
      }
      node.classList.remove("is-invalid");
      node.removeAttribute("aria-invalid");
      if (node.matches("select")) {
        Array.prototype.forEach.call(node.options, function (option) { option.removeAttribute("selected"); });
        node.selectedIndex = 0;
      } else if (node.matches("input[type=checkbox], input[type=radio]")) {
        node.checked = false;
        node.removeAttribute("checked");
      } else if (node.matches("input, textarea")) {
        node.value = "";
        node.removeAttribute("value");
      }
    });
    var legend = row.querySelector("legend");
    if (legend) {
      legend.textContent = "Person " + (index + 1);
    }
    rows.appendChild(row);
    total.value = String(index + 1);
    setUpRow(row);
    add.hidden = full();
    var first = row.querySelector("select, input");
    if (first) {
      first.focus();
    }
  });
})();
