// Draws the console's charts with ECharts from each .chart element's
// data-chart attribute (JSON written by the server; no inline script).
// Colours are navy, grey and black with distinct marker shapes, so a chart
// printed in grayscale still reads. Labels are Chinese; numbers show two
// decimals as in the API documentation.
"use strict";
(function () {
  var NAVY = "#1f3a68", GREY = "#6b7280", BLACK = "#111111";
  var base = { animation: false, textStyle: { fontFamily: "sans-serif" }, grid: { left: 48, right: 24, top: 36, bottom: 48 } };
  function two(v) { return typeof v === "number" ? v.toFixed(2) : v; }

  function trend(d) {
    var bars = d.index.map(function (_, i) { return [i, d.low[i], d.high[i]]; });
    var sig = d.significant.map(function (i) { return [i, d.index[i]]; });
    return Object.assign({}, base, {
      tooltip: { trigger: "axis", valueFormatter: two },
      legend: { data: ["文明指数", "95% 置信区间", "显著变化"], top: 0 },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: "指数", scale: true },
      series: [
        { name: "文明指数", type: "line", data: d.index, symbol: "circle", symbolSize: 9,
          itemStyle: { color: NAVY }, lineStyle: { color: NAVY, width: 2 },
          label: { show: true, position: "right", formatter: function (p) { return two(p.value); } } },
        { name: "95% 置信区间", type: "custom", data: bars, itemStyle: { color: GREY },
          renderItem: function (params, api) {
            var x = api.value(0), lo = api.coord([x, api.value(1)]), hi = api.coord([x, api.value(2)]);
            var w = 8, style = { stroke: GREY, lineWidth: 2 };
            return { type: "group", children: [
              { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
              { type: "line", shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style: style },
              { type: "line", shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style: style }
            ] };
          }, encode: { x: 0, y: [1, 2] }, z: 1 },
        { name: "显著变化", type: "scatter", data: sig, symbol: "triangle", symbolSize: 16,
          symbolOffset: [0, -16], itemStyle: { color: BLACK } }
      ]
    });
  }

  function bars(d) {
    return Object.assign({}, base, {
      tooltip: { trigger: "axis", valueFormatter: two },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: "得分", max: d.max },
      series: [{ name: "得分", type: "bar", data: d.values, barMaxWidth: 48,
        itemStyle: { color: NAVY, decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 3], color: "rgba(255,255,255,0.25)" } },
        label: { show: true, position: "top", formatter: function (p) { return two(p.value); } } }]
    });
  }

  function hist(d) {
    return Object.assign({}, base, {
      // The axis title sits centred under the labels: at the axis's end it
      // was cut off by the chart's right edge.
      grid: { left: 48, right: 24, top: 36, bottom: 60 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: d.categories, name: d.xName || "", nameLocation: "middle", nameGap: 30 },
      yAxis: { type: "value", name: d.yName || "人数", minInterval: 1 },
      series: [{ name: d.yName || "人数", type: "bar", data: d.values, barCategoryGap: "5%", itemStyle: { color: GREY } }]
    });
  }

  // pair: two rounds' dimension scores side by side; the second has a
  // hatch so the two stay apart in grayscale.
  function pair(d) {
    var lbl = { show: true, position: "top", formatter: function (p) { return two(p.value); } };
    return Object.assign({}, base, {
      tooltip: { trigger: "axis", valueFormatter: two },
      legend: { data: d.names, top: 0 },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: "得分", max: d.max },
      series: [
        { name: d.names[0], type: "bar", data: d.a, itemStyle: { color: GREY }, label: lbl },
        { name: d.names[1], type: "bar", data: d.b, label: lbl,
          itemStyle: { color: NAVY, decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: 0.8, color: "rgba(255,255,255,0.35)" } } }
      ]
    });
  }

  // rates: satisfaction (solid) and bad-review (dashed) rates as lines over
  // the counts as grey bars on a second axis.
  function rates(d) {
    function p(v) { return (v * 100).toFixed(1) + "%"; }
    return Object.assign({}, base, {
      grid: { left: 56, right: 56, top: 40, bottom: 48 },
      tooltip: { trigger: "axis" },
      legend: { data: ["满意率", "差评率", "评价数"], top: 0 },
      xAxis: { type: "category", data: d.categories },
      yAxis: [{ type: "value", name: "比率", min: 0, max: 1, axisLabel: { formatter: p } },
        { type: "value", name: "评价数", minInterval: 1, splitLine: { show: false } }],
      series: [
        { name: "评价数", type: "bar", yAxisIndex: 1, data: d.counts, itemStyle: { color: "#d1d5db" }, z: 1 },
        { name: "满意率", type: "line", data: d.satisfaction, symbol: "circle", itemStyle: { color: NAVY }, lineStyle: { width: 2 }, z: 3 },
        { name: "差评率", type: "line", data: d.bad, symbol: "triangle", symbolSize: 8, itemStyle: { color: BLACK }, lineStyle: { type: "dashed", width: 2 }, z: 3 }
      ]
    });
  }

  // participation: all communities' attempts as grey bars, the busiest
  // communities as lines told apart by marker and dash as well as shade.
  function participation(d) {
    var shades = [NAVY, BLACK, "#374151", NAVY, BLACK];
    var marks = ["circle", "triangle", "rect", "diamond", "pin"];
    var dashes = ["solid", "dashed", "dotted", "dashed", "solid"];
    var series = [{ name: "全部社区", type: "bar", data: d.all, itemStyle: { color: "#d1d5db" }, barMaxWidth: 40, z: 1 }];
    (d.lines || []).forEach(function (l, i) {
      series.push({ name: l.name, type: "line", data: l.values, symbol: marks[i], symbolSize: 8,
        itemStyle: { color: shades[i] }, lineStyle: { type: dashes[i], width: 2 }, z: 3 });
    });
    return Object.assign({}, base, {
      grid: { left: 56, right: 24, top: 48, bottom: 48 },
      tooltip: { trigger: "axis" },
      legend: { data: series.map(function (s) { return s.name; }), top: 0 },
      xAxis: { type: "category", data: d.categories },
      yAxis: { type: "value", name: "答卷数", minInterval: 1 },
      series: series
    });
  }

  var kinds = { trend: trend, bars: bars, hist: hist, pair: pair, rates: rates, participation: participation };
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var d = JSON.parse(el.getAttribute("data-chart"));
    var build = kinds[d.kind];
    if (!build || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(build(d));
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  });
})();
