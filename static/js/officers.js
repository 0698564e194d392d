// Activity note form: show the topic only for classroom teaching, and the follow-up
// date only when a follow-up is needed. Without JavaScript every field simply shows.
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  var topic = document.getElementById("div_id_topic");
  var followUp = document.getElementById("id_follow_up");
  var followUpDate = document.getElementById("div_id_follow_up_date");

  function hasError(wrapper) {
    return wrapper && wrapper.querySelector(".is-invalid, .invalid-feedback");
  }
  function sync() {
    if (category && topic) {
      var input = topic.querySelector("input");
      topic.hidden = category.value !== "teaching" && !(input && input.value) && !hasError(topic);
    }
    if (followUp && followUpDate) {
      var dateInput = followUpDate.querySelector("input");
      followUpDate.hidden = !followUp.checked && !(dateInput && dateInput.value) && !hasError(followUpDate);
    }
  }
  if (category) category.addEventListener("change", sync);
  if (followUp) followUp.addEventListener("change", sync);
  sync();
})();
