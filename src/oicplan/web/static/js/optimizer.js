// Optimizer page: start an optimize run (POST /api/runs, kind "optimize") from the form,
// follow its progress, and draw a finished run's Pareto frontier and phasing timeline.
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("optimizer-data") || {};
  const $ = (id) => document.getElementById(id);

  function regions(text) {
    const out = {};
    for (const part of text.split(/[;；]/)) {
      if (!part.trim()) continue;
      const match = part.match(/^\s*([^=]+?)\s*=\s*(\d+)\s*$/);
      if (!match) throw new Error(oic.t("optimizer.bad_region"));
      out[match[1]] = Number(match[2]);
    }
    return Object.keys(out).length ? out : undefined;
  }

  function body() {
    const job = { kind: "optimize", scenario: $("opt-scenario").value };
    const numbers = {
      max_centers: "opt-max-centers", budget: "opt-budget", horizon: "opt-horizon",
      annual_budget: "opt-annual-budget", first_year: "opt-first-year",
      per_country_cap: "opt-per-country", max_mean_risk: "opt-mean-risk",
      max_total_risk: "opt-total-risk", points: "opt-points", time_limit: "opt-time-limit",
    };
    for (const [field, id] of Object.entries(numbers)) {
      const value = oic.numberOf($(id));
      if (value !== undefined) job[field] = value;
    }
    const strategies = {};
    for (const input of document.querySelectorAll("[data-strategy]")) {
      const value = oic.numberOf(input);
      if (value) strategies[input.dataset.strategy] = value;
    }
    if (Object.keys(strategies).length) job.min_per_strategy = strategies;
    const region = regions($("opt-min-region").value);
    if (region) job.min_per_region = region;
    const avoid = Array.from($("opt-avoid").selectedOptions, (option) => option.value);
    if (avoid.length) job.avoid = avoid;
    job.pareto = $("opt-pareto").checked;
    job.against = $("opt-against").value;
    return job;
  }

  const form = $("optimize-form");
  const bar = $("optimize-progress");
  const line = $("optimize-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $("optimize-start");
    if (!button) return;
    let job;
    try { job = body(); } catch (error) { oic.say(line, error.message, "error"); return; }
    button.disabled = true;
    try {
      const answer = await oic.api("/api/runs", { method: "POST", body: job });
      bar.hidden = false;
      oic.say(line, oic.t("run.started", { run_id: answer.run.id }));
      oic.followRun(answer.run.id, (run) => {
        oic.showRun(run, bar, line, "/optimizer?run=" + encodeURIComponent(run.id));
        if (run.status === "failed" || run.status === "cancelled") button.disabled = false;
      });
    } catch (error) {
      oic.say(line, oic.problem(error), "error");
      button.disabled = false;
    }
  });

  const run = data.run;
  if (run && (run.status === "queued" || run.status === "running")) {
    oic.followRun(run.id, (now) => oic.showRun(now, $("run-progress"), $("run-status"),
      "/optimizer?run=" + encodeURIComponent(now.id)));
  }

  const result = data.result;
  if (!result || !window.echarts) return;
  const siteName = (row) => (data.names && data.names[row.site_id]) || row.name;

  const paretoNode = $("pareto-chart");
  if (paretoNode && result.pareto && result.pareto.length) {
    const against = result.pareto[0].against || "cost";
    const axisName = oic.t(against === "risk" ? "optimizer.risk" : "optimizer.cost");
    const points = result.pareto.filter((p) => p.benefit !== null && p[against] !== null)
      .map((p) => ({ value: [p[against], p.benefit], centers: p.centers, sites: p.sites || "" }));
    points.sort((a, b) => a.value[0] - b.value[0]);
    const chosen = against === "risk" ? result.total_risk : result.cost;
    const chart = window.echarts.init(paretoNode);
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 30, top: 30, bottom: 50 },
      tooltip: {
        trigger: "item",
        formatter: (item) => {
          const div = oic.el("div", null,
            oic.el("div", { text: axisName + ": " + Number(item.value[0]).toFixed(2) }),
            oic.el("div", { text: oic.t("optimizer.benefit") + ": " + Number(item.value[1]).toFixed(3) }));
          if (item.data && item.data.centers !== undefined) {
            div.append(oic.el("div", { text: "n = " + item.data.centers }));
          }
          return div;
        },
      },
      xAxis: { type: "value", name: axisName, nameLocation: "middle", nameGap: 30, scale: true },
      yAxis: { type: "value", name: oic.t("optimizer.benefit"), scale: true },
      series: [
        { type: "line", data: points, symbolSize: 9, itemStyle: { color: "#0b6e99" } },
        { type: "scatter", data: [{ value: [chosen, result.benefit.total] }], symbolSize: 16,
          symbol: "diamond", itemStyle: { color: "#b42318" }, z: 5 },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  const timelineNode = $("timeline-chart");
  if (timelineNode && result.horizon) {
    const horizon = result.horizon;
    const rows = result.chosen.slice().sort((a, b) => (a.existing ? 0 : a.year || 9999) - (b.existing ? 0 : b.year || 9999));
    const labels = rows.map((row) => siteName(row) + " · " + (data.modes[row.mode] || row.mode));
    // Opening years are plan years (1..horizon), or calendar years when a first year was given.
    const first = result.first_year || null;
    const planYear = (row) => (first && row.year >= first ? row.year - first + 1 : row.year || 1);
    const start = rows.map((row) => (row.existing ? 0 : planYear(row) - 1));
    const span = rows.map((row, i) => ({ value: horizon - start[i],
      itemStyle: { color: row.existing ? "#9aa5b1" : "#0b6e99" } }));
    timelineNode.style.height = Math.max(220, rows.length * 34 + 80) + "px";
    const chart = window.echarts.init(timelineNode);
    chart.setOption({
      animation: false,
      grid: { left: 10, right: 30, top: 20, bottom: 40, containLabel: true },
      xAxis: { type: "value", min: 0, max: horizon, interval: 1,
        axisLabel: { formatter: (v) => (v >= horizon ? "" : first
          ? oic.t("optimizer.calendar_year", { year: first + v })
          : oic.t("optimizer.plan_year", { year: v + 1 })) } },
      yAxis: { type: "category", data: labels, inverse: true },
      series: [
        { type: "bar", stack: "t", data: start, itemStyle: { color: "transparent" }, silent: true },
        { type: "bar", stack: "t", data: span, barWidth: 16 },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }
})();
