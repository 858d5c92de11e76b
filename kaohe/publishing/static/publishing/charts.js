// Draws every .kaohe-chart from the JSON block with the same id (no inline scripts: CSP).
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll(".kaohe-chart").forEach(function (el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.x, axisLabel: { rotate: data.x.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: data.series.map(function (s) {
        return { name: s.name, type: data.kind === "line" ? "line" : "bar", data: s.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
