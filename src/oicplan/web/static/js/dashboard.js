// Dashboard: the ranking, weight sliders and method choice that re-rank through
// GET /api/rankings (debounced; a newer request aborts the older one), the pillar
// contribution bars (ECharts) and the rank intervals of the uncertainty analysis.
// After each re-ranking #rerank-status gets data-ms: the time from the last
// slider move to the new ranking on screen (performance.now()).
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("dashboard-data");
  const pillars = data.pillars;
  const defaults = Object.fromEntries(pillars.map((p) => [p.id, p.weight]));
  const body = document.getElementById("ranking-body");
  const status = document.getElementById("rerank-status");
  const method = document.getElementById("method-select");
  const topSelect = document.getElementById("top-select");
  const count = document.getElementById("ranking-count");
  const chartNode = document.getElementById("pillar-chart");
  const chart = window.echarts ? window.echarts.init(chartNode, null, { renderer: "canvas" }) : null;
  const cache = new Map();
  let ranking = data.ranking;
  let inflight = null;
  let startedAt = 0;
  let sequence = 0;

  function sliders() {
    return Array.from(document.querySelectorAll("#weights-form input[type=range]"));
  }

  function weights() {
    return Object.fromEntries(sliders().map((s) => [s.dataset.pillar, Number(s.value)]));
  }

  function showShares() {
    const w = weights();
    const total = Object.values(w).reduce((a, b) => a + b, 0);
    for (const slider of sliders()) {
      const share = total > 0 ? (100 * Number(slider.value)) / total : 0;
      document.getElementById("share-" + slider.dataset.pillar).textContent = share.toFixed(0) + "%";
    }
    return total;
  }

  function interval(row) {
    const r = row.rank_interval;
    return r ? `${Math.round(r.p5)}–${Math.round(r.p95)}` : "–";
  }

  function renderTable() {
    const limit = topSelect.value === "all" ? ranking.sites.length : Number(topSelect.value);
    const rows = ranking.sites.slice(0, limit).map((row) => oic.el("tr", { dataset: { siteId: row.site_id } },
      oic.el("td", { class: "num", text: row.rank }),
      oic.el("td", {}, oic.el("a", { href: "/sites/" + encodeURIComponent(row.site_id), text: oic.siteName(row) })),
      oic.el("td", { text: data.economies[row.iso3] || row.iso3 }),
      oic.el("td", { class: "num", text: row.score.toFixed(3) }),
      oic.el("td", { class: "num", text: interval(row) }),
      oic.el("td", { class: "num", text: row.rank_interval ? Math.round(row.rank_interval.top_k_frequency * 100) + "%" : "–" })));
    body.replaceChildren(...rows);
    count.textContent = oic.t("dashboard.candidates", { count: ranking.candidates });
  }

  function renderChart() {
    if (!chart) return;
    const top = ranking.sites.slice(0, 20);
    const w = weights();
    const total = Object.values(w).reduce((a, b) => a + b, 0) || 1;
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => Number(v).toFixed(3) },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: top.map((r) => `${r.rank}. ${oic.siteName(r)}`) },
      series: pillars.map((p) => ({
        name: p.name, type: "bar", stack: "pillars",
        data: top.map((r) => Number(((w[p.id] / total) * (r.pillars[p.id] || 0)).toFixed(4))),
      })),
    }, { notMerge: true });
  }

  function render() {
    renderTable();
    renderChart();
  }

  function query(quick) {
    const params = new URLSearchParams({ scenario: data.scenario, weights: JSON.stringify(weights()) });
    if (method.value !== data.method) params.set("method", method.value);
    // intervals=false: the ranking first, without the Monte Carlo rank intervals (an API
    // that does not know the option answers with them, and nothing more is asked).
    if (quick) params.set("intervals", "false");
    return "/api/rankings?" + params.toString();
  }

  function finished(took, cached) {
    status.dataset.ms = String(Math.round(took));
    status.dataset.state = "done";
    status.textContent = oic.t("dashboard.updated", { ms: Math.round(took) }) + (cached ? " ·" : "");
  }

  const hasIntervals = (result) => result.sites.length === 0 || result.sites[0].rank_interval !== null;
  const wantIntervals = hasIntervals(data.ranking);

  async function fetchRanking(path) {
    if (cache.has(path)) return cache.get(path);
    const result = await oic.api(path, { signal: inflight.signal });
    cache.set(path, result);
    return result;
  }

  async function rerank() {
    if (showShares() <= 0) {
      status.textContent = oic.t("dashboard.all_zero");
      return;
    }
    const full = query(false);
    const mine = ++sequence;
    if (cache.has(full)) {
      ranking = cache.get(full);
      render();
      finished(performance.now() - startedAt, true);
      return;
    }
    if (inflight) inflight.abort();
    inflight = new AbortController();
    status.dataset.state = "loading";
    try {
      const first = await fetchRanking(wantIntervals ? query(true) : full);
      if (mine !== sequence) return;
      ranking = first;
      render();
      finished(performance.now() - startedAt, false);
      if (wantIntervals && !hasIntervals(first)) {
        const complete = await fetchRanking(full);
        if (mine !== sequence) return;
        ranking = complete;
        renderTable();
      } else {
        cache.set(full, first);
      }
    } catch (error) {
      if (error.name === "AbortError") return;
      status.dataset.state = "error";
      status.textContent = oic.t("common.error", { detail: error.message });
    }
  }

  const debounced = oic.debounce(rerank, 40);
  function changed() {
    startedAt = performance.now();
    showShares();
    debounced();
  }

  for (const slider of sliders()) slider.addEventListener("input", changed);
  method.addEventListener("change", changed);
  topSelect.addEventListener("change", renderTable);
  document.getElementById("scenario-select").addEventListener("change", (event) => {
    event.target.form.submit();
  });
  document.getElementById("reset-weights").addEventListener("click", () => {
    for (const slider of sliders()) slider.value = defaults[slider.dataset.pillar];
    method.value = data.method;
    changed();
  });
  window.addEventListener("resize", () => chart && chart.resize());

  cache.set(query(false), ranking);
  showShares();
  render();
})();
