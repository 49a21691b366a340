// Bulk import page (#import), for people who do not use a terminal: choose a CSV, Excel,
// JSON or YAML file, read the dry-run report (every invalid row in plain words), then
// import it or cancel. Nothing is written before "Import".
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { el, showError } = view;
  const ACCEPT = ".csv,.tsv,.txt,.xlsx,.xlsm,.json,.jsonl,.ndjson,.yaml,.yml,.graphml,.xml";
  const page = view.addPage("#import", "Import a file", "import", () => {});
  const file = el("input", { type: "file", id: "import-file", accept: ACCEPT,
    "aria-label": "File to import" });
  const type = el("select", { id: "import-type", "aria-label": "What the file holds" },
    el("option", { value: "auto" }, "assets or lineage (from the columns)"),
    el("option", { value: "assets" }, "assets"), el("option", { value: "lineage" }, "lineage"));
  const createMissing = el("input", { type: "checkbox", id: "import-create-missing" });
  const report = el("div", { id: "import-report" });
  page.append(
    el("div", { class: "page-head" },
      el("h2", {}, "Import a file"),
      el("p", { class: "hint" }, "CSV, Excel (.xlsx), JSON, JSON Lines, YAML or GraphML, with " +
        "the columns of docs/import-format.md. The file is checked first; nothing is saved " +
        "until you press Import.")),
    el("div", { class: "import-form" }, file,
      el("label", {}, "Holds ", type),
      el("label", {}, createMissing, " create assets the lineage names but the catalogue lacks"),
      el("button", { "data-action": "check", onclick: () => check() }, "Check file")),
    report);

  function form(mode) {
    const body = new FormData();
    body.append("file", file.files[0]);
    body.append("type", type.value);
    body.append("create_missing", createMissing.checked ? "true" : "false");
    if (mode) body.append("mode", mode);
    return body;
  }

  // The import routes answer a report, also with 422 (invalid rows, atomic mode).
  async function post(path, body) {
    const response = await fetch(`/api/v1${path}`, { method: "POST", body,
      headers: view.withToken({}) });
    const json = await response.json();
    if (response.ok) return json;
    const error = json.error || {};
    if (error.details && error.details.report) return error.details.report;
    if (error.details && Array.isArray(error.details.errors)) return error.details;
    throw new Error(error.message || response.statusText);
  }

  // replaceChildren would show a null as the text "null".
  const show = (...parts) => report.replaceChildren(...parts.filter(Boolean));
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  function counts(r) {
    const part = (label, c) => (c && (c.assets || c.edges)
      ? `${label} ${plural(c.assets, "asset")} and ${plural(c.edges, "edge")}` : null);
    return [part("create", r.created), part("update", r.updated),
      part("leave unchanged", r.unchanged)].filter(Boolean).join(", ") || "change nothing";
  }

  function errorTable(r) {
    if (!r.errors || !r.errors.length) return null;
    return el("div", {},
      el("h3", {}, `${plural(r.errors_total ?? r.errors.length, "row")} to fix`),
      el("table", { class: "review-table", "data-testid": "import-errors" },
        el("thead", {}, el("tr", {}, el("th", {}, "row"), el("th", {}, "column"),
          el("th", {}, "value"), el("th", {}, "what is wrong"))),
        el("tbody", {}, ...r.errors.map((e) => el("tr", { "data-row": e.row },
          el("td", { class: "num" }, e.row ?? ""), el("td", {}, e.column ?? ""),
          el("td", {}, e.value ?? ""), el("td", {}, e.message))))),
      (r.errors_total ?? 0) > r.errors.length
        ? el("p", { class: "hint" }, `and ${r.errors_total - r.errors.length} more`) : null);
  }

  async function check() {
    if (!file.files.length) {
      showError("Choose a file to import first.");
      return;
    }
    let r;
    try {
      r = await post("/import/validate", form());
    } catch (err) {
      show(el("p", { class: "error-text", "data-testid": "import-refused" },
        `${file.files[0].name} cannot be read: ${err.message}`));
      report.dataset.state = "refused";
      return;
    }
    const name = file.files[0].name;
    const valid = r.valid ?? 0;
    const invalid = r.invalid ?? 0;
    const actions = [];
    if (valid > 0) {
      const skip = invalid > 0;
      actions.push(el("button", { class: "approve", "data-action": "commit",
        onclick: () => commit(skip ? "skip_errors" : "atomic") },
      skip ? `Import the ${plural(valid, "valid row")}, skip ${invalid}` : `Import ${plural(valid, "row")}`));
    }
    actions.push(el("button", { "data-action": "cancel", onclick: cancel }, "Cancel"));
    show(
      el("h3", {}, `Checked ${name}`),
      el("p", { "data-testid": "import-summary" },
        `${plural(r.rows ?? 0, "row")} (${r.format}): ${valid} valid, ${invalid} invalid. ` +
        `Importing would ${counts(r)}.`),
      errorTable(r),
      r.warnings && r.warnings.length ? el("ul", { class: "edge-list" },
        ...r.warnings.map((w) => el("li", { class: "kind" }, w.message ?? String(w)))) : null,
      el("div", { class: "review-actions" }, ...actions));
    report.dataset.state = "checked";
  }

  async function commit(mode) {
    let r;
    try {
      r = await post("/import/execute", form(mode));
    } catch (err) {
      showError(err.message);
      return;
    }
    show(
      el("p", { class: r.committed ? "note" : "error-text", "data-testid": "import-done" },
        r.committed ? `Imported: ${counts(r).replace(/^create/, "created")
          .replace("update ", "updated ").replace("leave unchanged", "left unchanged")}` +
          (r.batch_id ? ` (batch ${r.batch_id}).` : ".")
          : `Nothing was imported: ${plural(r.invalid ?? 0, "row")} to fix.`),
      errorTable(r));
    report.dataset.state = r.committed ? "committed" : "refused";
    file.value = "";
  }

  function cancel() {
    file.value = "";
    show(el("p", { class: "hint" }, "Cancelled: nothing was imported."));
    report.dataset.state = "cancelled";
  }

  view.importPage = { check };
});
