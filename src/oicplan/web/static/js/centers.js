// Centers page: upload a KPI file to POST /api/centers/kpis (the import's own checks: the
// first bad row is named with its file, row and field, and nothing is stored).
(function () {
  "use strict";
  const oic = window.oic;
  const form = document.getElementById("kpi-form");
  if (!form) return;
  const status = document.getElementById("kpi-status");
  const MAX = 4 * 1048576;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("kpi-file").files[0];
    if (!file) return;
    if (file.size > MAX) { oic.say(status, oic.t("work.too_large"), "error"); return; }
    const body = new FormData();
    body.append("file", file, file.name);
    oic.say(status, oic.t("work.saving"));
    try {
      const answer = await oic.api("/api/centers/kpis", { method: "POST", body });
      oic.say(status, oic.t("centers.imported",
        { file: answer.file, rows: answer.rows, count: answer.centers.length }), "ok");
      setTimeout(() => window.location.reload(), 1500);
    } catch (error) {
      oic.say(status, oic.t("centers.import_error", { detail: oic.problem(error) }), "error");
    }
  });
})();
