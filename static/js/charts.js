/* Draws every <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
   (Django's json_script). No inline scripts: the page's data travels as JSON, not code.
   Each canvas has role="img" and an aria-label; the table behind each chart is on the page. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#212529";
  Chart.defaults.animation = false;

  function build(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    var cfg = JSON.parse(source.textContent);
    var round = cfg.type === "doughnut" || cfg.type === "pie";
    var datasets = cfg.datasets.map(function (ds) {
      var colour = round ? cfg.palette.slice(0, ds.data.length) : ds.color;
      return {
        label: ds.label,
        data: ds.data,
        backgroundColor: colour,
        borderColor: round ? "#ffffff" : ds.color,
        borderWidth: cfg.type === "line" ? 2 : 1,
        tension: 0.2,
        spanGaps: true
      };
    });
    var scales = {};
    if (!round) {
      var value = { beginAtZero: true, stacked: cfg.stacked, ticks: { precision: 0 } };
      if (cfg.yTitle) value.title = { display: true, text: cfg.yTitle };
      var category = { stacked: cfg.stacked };
      scales = cfg.horizontal ? { x: value, y: category } : { x: category, y: value };
    }
    return new Chart(canvas, {
      type: cfg.type,
      data: { labels: cfg.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: cfg.horizontal ? "y" : "x",
        scales: scales,
        plugins: {
          legend: { display: round || datasets.length > 1, position: "bottom" }
        }
      }
    });
  }

  var charts = [];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = build(canvas);
    if (chart) charts.push(chart);
  });

  // Charts are drawn for the screen width; redraw them at the paper's width when printing.
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
