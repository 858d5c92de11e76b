// The score distribution of a sitting, from the JSON block named by data-chart (CSP: no inline script).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll(".exams-chart").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 32, right: 12, top: 16, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: data.x },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.name, type: "bar", data: data.y }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
