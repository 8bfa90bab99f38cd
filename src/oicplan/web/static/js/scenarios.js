// Scenarios page: create a stored scenario from a built-in one, save the editor's text as a
// new version (with the version it was opened at: a newer save by someone else is a 409,
// shown with the user's text kept in the editor).
(function () {
  "use strict";
  const oic = window.oic;
  const data = oic.readJson("scenarios-data") || {};
  const $ = (id) => document.getElementById(id);

  const create = $("new-scenario-form");
  if (create) {
    create.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = $("new-scenario-name").value.trim();
      const yaml = data.builtins[$("new-scenario-from").value];
      try {
        await oic.api("/api/scenarios", { method: "POST", body: { name, yaml_text: yaml } });
        window.location.assign("/scenarios?name=" + encodeURIComponent(name));
      } catch (error) {
        oic.say($("new-scenario-status"), oic.problem(error), "error");
      }
    });
  }

  const editor = $("editor-form");
  const button = $("save-scenario");
  if (!editor || !button) return;
  const text = $("yaml-text");
  const opened = text.value;
  window.addEventListener("beforeunload", (event) => {
    if (text.value !== opened && !button.dataset.saved) { event.preventDefault(); event.returnValue = ""; }
  });
  // After a conflict: who saved the newer version, and a link to it in a new tab (the
  // user's text stays here to merge from).
  async function showLatest() {
    try {
      const latest = (await oic.api("/api/scenarios/" + encodeURIComponent(data.name))).version;
      const link = oic.el("a", { href: "/scenarios?name=" + encodeURIComponent(data.name),
        target: "_blank", rel: "noopener", id: "latest-version" },
      oic.t("scenarios.latest_link", { version: latest.version, author: latest.author }));
      $("save-status").append(" ", link);
    } catch (ignored) { /* the message above says enough */ }
  }

  editor.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    oic.say($("save-status"), oic.t("work.saving"));
    try {
      const answer = await oic.api("/api/scenarios/" + encodeURIComponent(data.name) + "/versions", {
        method: "POST",
        body: { yaml_text: text.value, base_version: data.base_version,
          message: $("save-message").value.trim() || null },
      });
      button.dataset.saved = "1";
      oic.say($("save-status"), oic.t("work.saved"), "ok");
      window.location.assign("/scenarios?name=" + encodeURIComponent(answer.version.name));
    } catch (error) {
      // The text stays as the user left it, whatever the error.
      const message = error.status === 409 ? oic.t("scenarios.conflict") : oic.problem(error);
      oic.say($("save-status"), message, "error");
      button.disabled = false;
      if (error.status === 409) showLatest();
    }
  });
})();
