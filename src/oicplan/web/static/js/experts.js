// Expert panel page: the AHP questionnaire with its consistency ratio computed while the
// expert answers (POST /api/experts/assess: nothing stored), the judgment that most hurts
// consistency marked; submitting, withdrawing, a new panel, saving the group weights.
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("experts-data") || {};
  const $ = (id) => document.getElementById(id);

  const newPanel = $("new-panel-form");
  if (newPanel) {
    newPanel.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = $("new-panel-name").value.trim();
      const title = $("new-panel-title").value.trim();
      const scenario = $("new-panel-scenario") ? $("new-panel-scenario").value : undefined;
      try {
        await oic.api("/api/experts/panels",
          { method: "POST", body: { name, title: title || null, scenario } });
        window.location.assign("/experts?panel=" + encodeURIComponent(name));
      } catch (error) {
        oic.say($("new-panel-status"), oic.problem(error), "error");
      }
    });
  }
  if (!data.panel) return;

  const criteria = data.criteria;
  const names = criteria.map((c) => c.name);
  const pairs = Array.from(document.querySelectorAll("#questionnaire .pair"));

  function valueOf(position) {
    // Slider left (negative) = the left (row) criterion matters more.
    return position <= 0 ? 1 - position : 1 / (1 + position);
  }

  // A judgment as the scale writes it: 3 or 1/3 (a suggestion to the nearest scale step).
  function fraction(value) {
    const step = Math.min(9, Math.max(1, Math.round(value >= 1 ? value : 1 / value)));
    return value >= 1 || step === 1 ? String(step) : "1/" + step;
  }

  function matrix() {
    const n = criteria.length;
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 1)));
    for (const pair of pairs) {
      const i = Number(pair.dataset.row), j = Number(pair.dataset.column);
      const value = valueOf(Number(pair.querySelector("input").value));
      m[i][j] = value;
      m[j][i] = 1 / value;
    }
    return m;
  }

  function verdict(pair) {
    const i = Number(pair.dataset.row), j = Number(pair.dataset.column);
    const position = Number(pair.querySelector("input").value);
    const strength = Math.abs(position) + 1;
    let text;
    if (position === 0) text = oic.t("experts.equal", { a: names[i], b: names[j] });
    else if (position < 0) {
      text = oic.t("experts.prefer", { a: names[i], b: names[j], label: data.scale[strength], value: strength });
    } else {
      text = oic.t("experts.prefer", { a: names[j], b: names[i], label: data.scale[strength], value: strength });
    }
    pair.querySelector("output").textContent = text;
  }

  let chart = null;
  function drawWeights(weights) {
    const node = $("own-weights");
    if (!node || !window.echarts) return;
    chart = chart || window.echarts.init(node);
    const ids = criteria.map((c) => c.id).reverse();
    chart.setOption({
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, axisLabel: { show: false }, splitLine: { show: false } },
      yAxis: { type: "category", data: ids.map((id) => names[criteria.findIndex((c) => c.id === id)]) },
      series: [{ type: "bar", data: ids.map((id) => Math.round(weights[id] * 1000) / 1000),
        label: { show: true, position: "right" }, itemStyle: { color: "#0b6e99" } }],
      animation: false,
    });
  }

  let controller = null;
  async function assess() {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const answer = await oic.api("/api/experts/assess", {
        method: "POST", signal: controller.signal,
        body: { criteria: criteria.map((c) => c.id), matrix: matrix() },
      });
      $("cr-value").textContent = oic.t("experts.cr_value", { cr: answer.cr.toFixed(3) });
      const verdictNode = $("cr-verdict");
      verdictNode.textContent = answer.consistent ? oic.t("experts.consistent") : oic.t("experts.inconsistent");
      verdictNode.className = answer.consistent ? "notice" : "alert";
      for (const pair of pairs) pair.classList.remove("worst");
      const worst = answer.worst;
      if (worst && !answer.consistent) {
        const r = criteria.findIndex((c) => c.id === worst.row);
        const c = criteria.findIndex((x) => x.id === worst.column);
        const pair = pairs.find((p) => (Number(p.dataset.row) === r && Number(p.dataset.column) === c)
          || (Number(p.dataset.row) === c && Number(p.dataset.column) === r));
        if (pair) pair.classList.add("worst");
        $("worst").textContent = oic.t("experts.worst", {
          row: names[r], column: names[c], value: fraction(worst.value),
          suggested: fraction(worst.suggested), cr_after: worst.cr_after.toFixed(3),
        });
      } else {
        $("worst").textContent = "";
      }
      drawWeights(answer.weights);
    } catch (error) {
      if (error.name === "AbortError") return;
      $("worst").textContent = oic.problem(error);
    }
  }
  const assessSoon = oic.debounce(assess, 120);

  for (const pair of pairs) {
    verdict(pair);
    pair.querySelector("input").addEventListener("input", () => { verdict(pair); assessSoon(); });
  }
  assess();

  const submit = $("submit-judgment");
  if (submit) {
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      try {
        const answer = await oic.api("/api/experts/panels/" + encodeURIComponent(data.panel) + "/judgments",
          { method: "POST", body: { matrix: matrix() } });
        oic.say($("submit-status"), oic.t("experts.submitted", { cr: answer.judgment.cr.toFixed(3) }), "ok");
        setTimeout(() => window.location.reload(), 900);
      } catch (error) {
        oic.say($("submit-status"), oic.problem(error), "error");
      } finally {
        submit.disabled = false;
      }
    });
  }

  const withdraw = $("withdraw-judgment");
  if (withdraw) {
    withdraw.addEventListener("click", async () => {
      try {
        await oic.api("/api/experts/panels/" + encodeURIComponent(data.panel) + "/judgments/"
          + encodeURIComponent(data.user), { method: "DELETE" });
        window.location.reload();
      } catch (error) {
        oic.say($("submit-status"), oic.problem(error), "error");
      }
    });
  }

  const save = $("save-weights-form");
  if (save && $("save-scenario")) {
    save.addEventListener("submit", async (event) => {
      event.preventDefault();
      const select = $("save-scenario");
      const option = select.options[select.selectedIndex];
      oic.say($("save-status"), oic.t("work.saving"));
      try {
        const answer = await oic.api("/api/experts/panels/" + encodeURIComponent(data.panel) + "/weights/save", {
          method: "POST",
          body: { scenario: select.value, base_version: Number(option.dataset.version),
            message: $("save-message").value.trim() || null },
        });
        option.dataset.version = String(answer.version.version);
        option.textContent = answer.version.name + " (v" + answer.version.version + ")";
        oic.say($("save-status"), oic.t("experts.save_done",
          { scenario: answer.version.name, version: answer.version.version }), "ok");
      } catch (error) {
        oic.say($("save-status"), oic.problem(error), "error");
      }
    });
  }
})();
