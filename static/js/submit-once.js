// Forms marked data-submit-once: after the first submit the button is disabled and says so,
// so a double click or an impatient second tap cannot send the report twice. (The server
// also refuses a second submission of the same form: this is for the person, not the rule.)
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        // Disabled after the browser has taken the form's data, so the POST still goes.
        window.setTimeout(function () {
          button.disabled = true;
          if (button.dataset.sendingLabel) {
            button.textContent = button.dataset.sendingLabel;
          }
        }, 0);
      });
    });
  });
  // Back to a page the browser kept: the form may be sent again (the server will say it was).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });
})();
