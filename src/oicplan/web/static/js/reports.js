// Reports page: start a plan run (POST /api/plans), follow its progress, then show its
// report files (HTML, XLSX, DOCX, PDF) for download.
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("reports-data") || {};
  const $ = (id) => document.getElementById(id);
  const target = (id) => "/reports?run=" + encodeURIComponent(id);

  const form = $("plan-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = $("plan-start");
      const job = { scenario: $("plan-scenario").value, lang: $("plan-lang").value };
      const centers = oic.numberOf($("plan-centers"));
      if (centers !== undefined) job.centers = centers;
      button.disabled = true;
      try {
        const answer = await oic.api("/api/plans", { method: "POST", body: job });
        $("plan-progress").hidden = false;
        oic.say($("plan-status"), oic.t("run.started", { run_id: answer.run.id.slice(0, 8) }));
        oic.followRun(answer.run.id, (run) => {
          oic.showRun(run, $("plan-progress"), $("plan-status"), target(run.id));
          if (run.status === "failed" || run.status === "cancelled") button.disabled = false;
        });
      } catch (error) {
        oic.say($("plan-status"), oic.problem(error), "error");
        button.disabled = false;
      }
    });
  }

  const run = data.run;
  if (run && (run.status === "queued" || run.status === "running")) {
    oic.followRun(run.id, (now) => oic.showRun(now, $("run-progress"), $("run-status"), target(now.id)));
  }
})();
