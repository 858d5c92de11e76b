/* Completion chart on the task progress board (ECharts, vendored). */
(function () {
  var source = document.getElementById("completion-data");
  var el = document.getElementById("completion-chart");
  if (!window.echarts || !source || !el) { return; }
  var data = JSON.parse(source.textContent);
  var names = [el.dataset.submitted || "累计已提交", el.dataset.accepted || "累计已通过"];
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {data: names},
    grid: {left: 40, right: 16, top: 30, bottom: 30},
    xAxis: {type: "category", data: data.days},
    yAxis: {type: "value", max: data.total || null, minInterval: 1},
    series: [
      {name: names[0], type: "line", data: data.submitted, smooth: true},
      {name: names[1], type: "line", data: data.accepted, smooth: true, areaStyle: {}}
    ]
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
