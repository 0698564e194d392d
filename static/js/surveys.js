// Survey results: a stacked bar chart of each question's answers, from the table's data.
// The table stays the accessible source; the chart is a visual summary.
(function () {
  "use strict";
  var source = document.getElementById("distribution-data");
  var canvas = document.getElementById("distribution-chart");
  if (!source || !canvas || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Colour-blind-safe diverging palette (ColorBrewer RdBu), darkest at the extremes.
  var colours = ["#2166ac", "#67a9cf", "#bdbdbd", "#ef8a62", "#b2182b"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.topics,
      datasets: data.series.map(function (series, i) {
        return { label: series.label, data: series.percents, backgroundColor: colours[i] };
      })
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } }, y: { stacked: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
