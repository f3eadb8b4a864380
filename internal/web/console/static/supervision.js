// Draws the supervision pages' charts from each .chart element's
// data-chart attribute (JSON written by the server; no inline script).
// "diffs": one row per unit and dimension, the mean self-check minus
// inspected difference as a dot with its 95% interval as a horizontal
// bar, a vertical line at 0, and the rows judged inflated as black
// squares — shapes, not colours, so grayscale print keeps them apart.
"use strict";
(function () {
  var NAVY = "#1f3a68", GREY = "#6b7280", BLACK = "#111111";
  function two(v) { return typeof v === "number" ? v.toFixed(2) : v; }

  function diffs(d) {
    var bars = d.mean.map(function (_, i) { return [d.low[i], d.high[i], i]; });
    var normal = [], flagged = [];
    d.mean.forEach(function (m, i) { (d.inflated[i] ? flagged : normal).push([m, i]); });
    var lo = Math.min.apply(null, d.low.concat([0])), hi = Math.max.apply(null, d.high.concat([0]));
    var step = hi - lo > 50 ? 10 : hi - lo > 10 ? 5 : 1;
    return {
      animation: false, textStyle: { fontFamily: "sans-serif" },
      grid: { left: 230, right: 40, top: 36, bottom: 56 },
      tooltip: { trigger: "item", formatter: function (p) {
        var i = p.value[p.value.length - 1];
        return d.categories[i] + "<br>平均差值 " + two(d.mean[i]) + "<br>95% 区间 " + two(d.low[i]) + " – " + two(d.high[i]) +
          (d.inflated[i] ? "<br><b>虚报</b>" : "");
      } },
      legend: { data: ["平均差值", "95% 置信区间", "虚报"], top: 0 },
      xAxis: { type: "value", name: "平均差值（自查 − 检查）", nameLocation: "middle", nameGap: 28,
        min: Math.floor(lo / step) * step - step, max: Math.ceil(hi / step) * step + step },
      yAxis: { type: "category", data: d.categories, inverse: true, axisLabel: { interval: 0 } },
      series: [
        { name: "95% 置信区间", type: "custom", data: bars, itemStyle: { color: GREY },
          renderItem: function (params, api) {
            var y = api.value(2), a = api.coord([api.value(0), y]), b = api.coord([api.value(1), y]);
            var h = 6, style = { stroke: GREY, lineWidth: 2 };
            return { type: "group", children: [
              { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style: style },
              { type: "line", shape: { x1: a[0], y1: a[1] - h, x2: a[0], y2: a[1] + h }, style: style },
              { type: "line", shape: { x1: b[0], y1: b[1] - h, x2: b[0], y2: b[1] + h }, style: style }
            ] };
          }, encode: { x: [0, 1], y: 2 }, z: 1,
          markLine: { silent: true, symbol: "none", lineStyle: { color: BLACK, type: "solid", width: 1 }, label: { show: false },
            data: [{ xAxis: 0 }] } },
        { name: "平均差值", type: "scatter", data: normal, symbol: "circle", symbolSize: 10, itemStyle: { color: NAVY }, z: 3 },
        { name: "虚报", type: "scatter", data: flagged, symbol: "rect", symbolSize: 12, itemStyle: { color: BLACK }, z: 4 }
      ]
    };
  }

  var kinds = { diffs: diffs };
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var d = JSON.parse(el.getAttribute("data-chart"));
    var build = kinds[d.kind];
    if (!build || typeof echarts === "undefined") { return; }
    if (d.categories) { el.style.height = Math.max(220, 80 + 30 * d.categories.length) + "px"; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(d));
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  });
})();
