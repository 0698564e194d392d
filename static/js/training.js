// Certificate upload: refuse a file over the limit before it is sent (a phone photo can be
// large and the upload slow); the server checks again whatever happens here.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var max = parseInt(input.dataset.maxBytes, 10);
    var note = document.createElement("div");
    note.className = "invalid-feedback d-block";
    note.id = input.id + "-size";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    function check() {
      var file = input.files && input.files[0];
      if (file && file.size > max) {
        note.textContent = "“" + file.name + "” is " + (file.size / 1048576).toFixed(1) +
          " MB; the limit is " + (max / 1048576).toFixed(1) + " MB. Choose a smaller file.";
        input.classList.add("is-invalid");
        input.setAttribute("aria-describedby", note.id);
        return false;
      }
      note.textContent = "";
      return true;
    }
    input.addEventListener("change", check);
    input.form.addEventListener("submit", function (event) {
      if (!check()) {
        event.preventDefault();
        input.focus();
      }
    });
  });
})();
