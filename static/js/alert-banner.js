// Every page of a signed-in user asks every 8 seconds for their alerts not yet acknowledged
// and shows each as a banner at the top (incident, school, place) with an Acknowledge button,
// so an officer on any page sees a weapons report within seconds. No student data comes here.
// A banner arrives at the top of the page and moves what is below it, possibly under a
// finger about to tap: its Acknowledge button answers only after the banner has been on the
// screen for ARMED_AFTER_MS, so an acknowledgement (which tells the school the SRO is
// responding and stops the escalation) is never a tap meant for something else.
(function () {
  "use strict";
  var ARMED_AFTER_MS = 800;
  var banner = document.getElementById("alert-banner");
  if (!banner || !window.fetch) {
    return;
  }
  var url = banner.dataset.url;
  var csrf = banner.dataset.csrf;
  var shown = "";

  function render(alerts) {
    var key = alerts.map(function (a) { return a.id; }).join(",");
    if (key === shown) {
      return;
    }
    shown = key;
    banner.replaceChildren();
    alerts.forEach(function (alert) {
      if (window.location.pathname === alert.url) {
        return; // the page itself shows it, with its own button
      }
      var box = document.createElement("div");
      box.className = "alert alert-danger d-flex flex-wrap justify-content-between align-items-center gap-2";
      box.setAttribute("role", "alert");
      var text = document.createElement("div");
      var strong = document.createElement("strong");
      strong.textContent = alert.level + ": ";
      var link = document.createElement("a");
      link.href = alert.url;
      link.className = "alert-link";
      link.textContent = alert.title;
      text.append(strong, link, document.createTextNode(" (" + alert.where + ")"));
      var form = document.createElement("form");
      form.method = "post";
      form.action = alert.acknowledge_url;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf;
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn btn-light";
      button.textContent = "Acknowledge";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + alert.title;
      button.append(hidden);
      button.disabled = true;
      window.setTimeout(function () { button.disabled = false; }, ARMED_AFTER_MS);
      form.append(token, button);
      box.append(text, form);
      banner.append(box);
    });
  }

  function poll() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data.alerts); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  poll();
  window.setInterval(poll, 8000);
  document.addEventListener("visibilitychange", poll);
})();
