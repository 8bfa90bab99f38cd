// What the working pages share (experts, optimizer, scenarios, centers, reports):
// the text of an API error, and following a run's progress (Server-Sent Events,
// with polling when the stream breaks). Adds to window.oic (see app.js).
(function () {
  "use strict";
  const oic = window.oic;

  // Parts of a validation error's location that name no field: the body, the job's kind.
  const WRAPPERS = ["body", "plan", "ranking", "sensitivity", "optimize"];

  // A one-line message for an oic.ApiError (or any error), in the page's language.
  function problem(error) {
    if (!error || error.status === undefined) return String(error && error.message || error);
    if (error.status === 403) return oic.t("work.forbidden");
    if (error.status === 413) return oic.t("work.too_large");
    const detail = error.detail;
    let text;
    if (Array.isArray(detail)) {
      text = detail.map((item) => {
        const where = (item.loc || []).filter((part) => !WRAPPERS.includes(part)).join(".");
        return where ? oic.t("work.field_error", { field: where, detail: item.msg }) : item.msg;
      }).join("; ");
    } else if (detail && typeof detail === "object") {
      text = JSON.stringify(detail);
    } else {
      text = String(detail);
    }
    if (error.status === 409) return oic.t("work.conflict", { detail: text });
    return text;
  }

  function say(node, text, kind) {
    if (!node) return;
    node.textContent = text || "";
    node.classList.toggle("alert", kind === "error");
    node.classList.toggle("notice", kind === "ok");
  }

  const FINAL = ["done", "failed", "cancelled"];

  // Calls onUpdate(run) on every change of the run's status or progress, until it ends.
  function followRun(runId, onUpdate) {
    let stopped = false;
    const path = "/api/runs/" + encodeURIComponent(runId);
    function poll() {
      if (stopped) return;
      oic.api(path).then((answer) => {
        onUpdate(answer.run);
        if (!FINAL.includes(answer.run.status)) setTimeout(poll, 1000);
      }).catch(() => setTimeout(poll, 3000));
    }
    if (!window.EventSource) { poll(); return () => { stopped = true; }; }
    const source = new EventSource(path + "/events");
    const handle = (event) => {
      const run = JSON.parse(event.data);
      onUpdate(run);
      if (FINAL.includes(run.status)) { source.close(); stopped = true; }
    };
    source.addEventListener("progress", handle);
    source.addEventListener("end", handle);
    source.onerror = () => {
      if (stopped) return;
      source.close();
      poll();
    };
    return () => { stopped = true; source.close(); };
  }

  // The job runner's stage messages (English) in the page's language, where the catalog
  // knows them (run.stage.<the message as a slug>); other messages as they are.
  function stageText(message) {
    const slug = String(message).toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
    const key = "run.stage." + slug;
    const known = oic.t(key);
    if (known !== key) return known;
    const sites = /^ranking the candidate sites of (.+)$/.exec(message);
    if (sites) return oic.t("run.stage.ranking_sites", { scenario: sites[1] });
    return message;
  }

  function statusText(run) {
    let text = oic.t("run.status." + run.status);
    if (run.status === "running" || run.status === "queued") {
      text += " · " + Math.round((run.progress || 0) * 100) + "%";
      if (run.message) text += " · " + stageText(run.message);
    }
    if (run.status === "failed" && run.error) text = oic.t("run.failed", { error: run.error });
    return text;
  }

  // Shows a run's progress in a <progress> and a status line; when the run is done,
  // goes to `doneUrl` (the page that shows its results).
  function showRun(run, bar, line, doneUrl) {
    if (bar) bar.value = run.progress || 0;
    say(line, statusText(run), run.status === "failed" ? "error" : null);
    if (run.status === "done" && doneUrl) window.location.assign(doneUrl);
  }

  // Numbers of a form: "" -> undefined (the service's default), else a Number.
  function numberOf(input) {
    const raw = input ? input.value.trim() : "";
    return raw === "" ? undefined : Number(raw);
  }

  // The language switch keeps what the page shows (?panel=, ?run=, ?name= ...).
  for (const link of document.querySelectorAll("#lang-zh, #lang-en")) {
    const params = new URLSearchParams(window.location.search);
    params.set("lang", link.id === "lang-en" ? "en" : "zh");
    link.setAttribute("href", window.location.pathname + "?" + params.toString());
  }

  // A "cancel the run" button (data-run: the run's id): editors cancel their own runs.
  const cancel = document.getElementById("run-cancel");
  if (cancel) {
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try {
        await oic.api("/api/runs/" + encodeURIComponent(cancel.dataset.run) + "/cancel",
          { method: "POST", body: {} });
        window.location.reload();
      } catch (error) {
        say(document.getElementById("run-status"), problem(error), "error");
        cancel.disabled = false;
      }
    });
  }

  Object.assign(oic, { problem, say, followRun, statusText, showRun, numberOf });
})();
