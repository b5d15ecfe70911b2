// kith's charts: uPlot drawings of data the server embeds as JSON beside each chart.
// No network calls; works offline.
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function width(el) {
    return Math.max(320, el.clientWidth || el.parentElement.clientWidth || 600);
  }

  function drawScatter() {
    var el = document.getElementById("scatter");
    var d = data("scatter-data");
    if (!el || !d || d.x.length === 0) {
      if (el) el.textContent = "No profile with followers and engagement yet.";
      return;
    }
    var series = [{ label: "Followers" }];
    var columns = [d.x];
    d.series.forEach(function (s) {
      columns.push(s.y);
      if (s.kind === "points") {
        series.push({ label: s.label, stroke: s.color, fill: s.color + "55", paths: function () { return null; },
          points: { show: true, size: 4, stroke: s.color, fill: s.color + "88" }, value: function (u, v) { return v == null ? "–" : v.toFixed(1) + "%"; } });
      } else {
        series.push({ label: s.label, stroke: s.color, width: 3, dash: [10, 4], spanGaps: true, points: { show: false },
          value: function (u, v) { return v == null ? "–" : v.toFixed(2) + "%"; } });
      }
    });
    new uPlot({
      width: width(el), height: 340,
      scales: { x: { time: false, distr: 3 }, y: { range: [0, d.y_max] } },
      axes: [{ label: "Followers (log scale)" }, { label: "Engagement rate %", values: function (u, vals) { return vals.map(function (v) { return v + "%"; }); } }],
      series: series,
      cursor: { points: { show: false } }
    }, columns, el);
  }

  function drawPerson(el) {
    var d = data(el.getAttribute("data-chart"));
    if (!d || d[0].length === 0) { el.textContent = "No dated posts to chart."; return; }
    new uPlot({
      width: width(el), height: 280,
      scales: { x: { time: true } },
      axes: [{}, { label: "Engagement per post %", values: function (u, vals) { return vals.map(function (v) { return v + "%"; }); } }],
      series: [
        {},
        { label: "Post engagement", stroke: "#0b5cad", width: 2, points: { show: true, size: 5, fill: "#0b5cad" } },
        { label: "Band benchmark", stroke: "#b42318", width: 2, dash: [8, 4], points: { show: false } }
      ]
    }, d, el);
  }

  function drawProgram(el) {
    var d = data(el.getAttribute("data-chart"));
    if (!d || d[0].length === 0) { el.textContent = "No clicks or orders yet."; return; }
    new uPlot({
      width: width(el), height: 260,
      // Counts from 0; a day of few clicks should not look like a peak.
      scales: {
        x: { time: true },
        y: { range: function (u, min, max) { return [0, Math.max(2, Math.ceil(max * 1.1))]; } },
        orders: { range: function (u, min, max) { return [0, Math.max(2, Math.ceil(max * 1.1))]; } }
      },
      axes: [{}, { label: "Clicks" }, { label: "Orders", side: 1, scale: "orders", grid: { show: false } }],
      series: [
        {},
        { label: "Clicks", stroke: "#0b5cad", width: 2, fill: "#0b5cad22", points: { show: true, size: 4 } },
        { label: "Orders", stroke: "#1a7f37", width: 2, scale: "orders", points: { show: true, size: 5, fill: "#1a7f37" } }
      ]
    }, d, el);
  }

  function init() {
    if (typeof uPlot === "undefined") return;
    drawScatter();
    document.querySelectorAll(".person-chart").forEach(drawPerson);
    document.querySelectorAll(".program-chart").forEach(drawProgram);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
