// The Job page's Results charts (ECharts): a chosen metric against a chosen parameter, one point
// per run, coloured by a second parameter; and parallel coordinates of every parameter and the
// metric. The data is the page's #chart-data element (data-chart: the runs as JSON).
(function () {
  "use strict";
  var charts = [];
  // What the user chose on this page: a live refresh whose request left before the choice carries
  // the old one in its address, and must not undo it.
  var chosen = {};

  function numeric(values) {
    return values.length > 0 && values.every(function (v) { return typeof v === "number"; });
  }

  function distinct(values) {
    var seen = [];
    values.forEach(function (v) {
      var k = JSON.stringify(v);
      if (seen.indexOf(k) < 0) { seen.push(k); }
    });
    return seen;
  }

  function fill(select, names, chosen) {
    select.innerHTML = "";
    names.forEach(function (n) {
      var o = document.createElement("option");
      o.value = n; o.textContent = n; o.selected = n === chosen;
      select.appendChild(o);
    });
  }

  function axis(name, values, dim) {
    if (numeric(values)) { return { dim: dim, name: name, type: "value" }; }
    return { dim: dim, name: name, type: "category", data: distinct(values) };
  }

  function value(v, axisDef) {
    return axisDef.type === "category" ? JSON.stringify(v) : v;
  }

  // The choices go into the address (bookmarkable, and kept by the page's live refresh, which
  // reloads the current address).
  function remember(choices) {
    var url = new URL(window.location.href);
    Object.keys(choices).forEach(function (k) {
      if (choices[k]) { url.searchParams.set(k, choices[k]); }
    });
    if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
  }

  function render() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var holder = document.getElementById("chart-data");
    if (!holder || !window.echarts) { return; }
    var data = JSON.parse(holder.getAttribute("data-chart"));
    var metricSel = document.getElementById("chart-metric");
    var xSel = document.getElementById("chart-x");
    var colorSel = document.getElementById("chart-color");
    var numericMetrics = data.metrics.filter(function (m) {
      return numeric(data.runs.map(function (r) { return r.metrics[m]; }).filter(function (v) { return v !== undefined; }));
    });
    if (!metricSel.options.length) {
      fill(metricSel, numericMetrics, chosen.metric || holder.dataset.metric || numericMetrics[0]);
      fill(xSel, data.parameters, chosen.x || holder.dataset.x || data.parameters[0]);
      fill(colorSel, data.parameters,
        chosen.color || holder.dataset.color || data.parameters[1] || data.parameters[0]);
      [[metricSel, "metric"], [xSel, "x"], [colorSel, "color"]].forEach(function (p) {
        p[0].addEventListener("change", function () { chosen[p[1]] = p[0].value; render(); });
      });
    }
    var metric = metricSel.value, x = xSel.value, color = colorSel.value;
    remember({ metric: metric, x: x, color: color });
    var runs = data.runs.filter(function (r) { return r.metrics[metric] !== undefined; });
    if (!metric || !x || runs.length === 0) { return; }

    var xAxis = axis(x, runs.map(function (r) { return r.parameters[x]; }), 0);
    var groups = {};
    runs.forEach(function (r) {
      var key = color + "=" + JSON.stringify(r.parameters[color]);
      (groups[key] = groups[key] || []).push([value(r.parameters[x], xAxis), r.metrics[metric], r.index]);
    });
    var scatter = echarts.init(document.getElementById("scatter"));
    scatter.setOption({
      animation: false,
      title: { text: metric + " by " + x, left: "center", textStyle: { fontSize: 14 } },
      legend: { top: 24, type: "scroll" },
      grid: { top: 64, left: 64, right: 24, bottom: 48 },
      tooltip: { formatter: function (p) { return "run " + p.value[2] + "<br>" + x + " = " + p.value[0] + "<br>" + metric + " = " + p.value[1]; } },
      xAxis: { type: xAxis.type, name: x, nameLocation: "middle", nameGap: 28, data: xAxis.data, scale: true },
      yAxis: { type: "value", name: metric, scale: true },
      series: Object.keys(groups).map(function (k) {
        return { name: k, type: "scatter", symbolSize: 10, data: groups[k] };
      })
    });
    charts.push(scatter);

    var names = data.parameters.concat([metric]);
    var axes = names.map(function (n, i) {
      var values = runs.map(function (r) { return i < data.parameters.length ? r.parameters[n] : r.metrics[n]; });
      return axis(n, values, i);
    });
    var parallel = echarts.init(document.getElementById("parallel"));
    parallel.setOption({
      animation: false,
      title: { text: "Parallel coordinates: every parameter and " + metric, left: "center", textStyle: { fontSize: 14 } },
      parallel: { top: 64, left: 48, right: 64, bottom: 32 },
      parallelAxis: axes,
      visualMap: numeric(runs.map(function (r) { return r.metrics[metric]; })) ? {
        show: true, dimension: names.length - 1, right: 0, top: 64,
        min: Math.min.apply(null, runs.map(function (r) { return r.metrics[metric]; })),
        max: Math.max.apply(null, runs.map(function (r) { return r.metrics[metric]; })),
        inRange: { color: ["#2e8540", "#f0c419", "#c62828"] }, calculable: true
      } : undefined,
      series: [{
        type: "parallel", lineStyle: { width: 2, opacity: 0.7 },
        data: runs.map(function (r) {
          return names.map(function (n, i) {
            return value(i < data.parameters.length ? r.parameters[n] : r.metrics[n], axes[i]);
          });
        })
      }]
    });
    charts.push(parallel);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target && e.target.id === "results-panel") { render(); }
  });
})();
