// The incident page: each alerted person's delivery and acknowledgement, refreshed every 5
// seconds from the page's JSON without a reload (the page is complete without it).
(function () {
  "use strict";
  var table = document.getElementById("alert-status");
  if (!table || !window.fetch) {
    return;
  }
  var next = document.getElementById("alert-next-step");

  function update(data) {
    data.alerts.forEach(function (alert) {
      var row = table.querySelector('[data-alert="' + alert.id + '"]');
      if (!row) {
        return;
      }
      var list = row.querySelector("[data-deliveries]");
      list.replaceChildren();
      alert.deliveries.forEach(function (d) {
        var item = document.createElement("li");
        item.className = "delivery delivery-" + d.status;
        var channel = document.createElement("span");
        channel.className = "fw-semibold";
        channel.textContent = d.channel + ": ";
        item.append(channel, document.createTextNode(d.words + (d.sent_at ? " (" + d.sent_at + ")" : "")));
        list.append(item);
      });
      var ack = row.querySelector("[data-ack]");
      ack.textContent = alert.acknowledged
        ? "Acknowledged " + alert.acknowledged + (alert.acknowledged_by ? " by " + alert.acknowledged_by : "")
        : alert.escalated ? "Not acknowledged in time: escalated " + alert.escalated : "Not yet";
    });
    if (next) {
      next.textContent = data.next_step;
    }
  }

  function poll() {
    if (document.hidden) {
      return;
    }
    fetch(table.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { update(data); } })
      .catch(function () {});
  }

  window.setInterval(poll, 5000);
})();
