// Review queue page (#review): inferred edges waiting for review, least confident first;
// select several and approve or reject them at once; the list then refreshes.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { api, el, showError } = view;
  const LIMIT = 200;
  const page = view.addPage("#review", "Review queue", "review", () => refresh());
  const selected = new Set();

  function pct(confidence) {
    return `${Math.round(confidence * 100)}%`;
  }

  async function refresh(note) {
    let body;
    try {
      body = await api(`/edges/pending?limit=${LIMIT}`);
    } catch (err) {
      showError(err.message);
      return;
    }
    const items = body.items;
    const total = body.total ?? items.length;
    for (const id of [...selected]) if (!items.some((e) => e.id === id)) selected.delete(id);
    const count = el("span", { "data-testid": "review-selected" });
    const buttons = [];
    const update = () => {
      count.textContent = `${selected.size} selected`;
      for (const b of buttons) b.disabled = selected.size === 0;
    };
    const all = el("input", { type: "checkbox", "aria-label": "Select all" });
    all.checked = items.length > 0 && items.every((e) => selected.has(e.id));
    all.addEventListener("change", () => {
      for (const e of items) (all.checked ? selected.add(e.id) : selected.delete(e.id));
      for (const box of page.querySelectorAll("tbody input")) box.checked = all.checked;
      update();
    });
    const comment = el("input", { type: "text", id: "review-comment",
      placeholder: "Comment (optional), saved with each review", "aria-label": "Comment" });
    for (const action of ["approve", "reject"]) {
      buttons.push(el("button", { class: action, "data-action": `${action}-selected`,
        onclick: () => decide(action, comment.value.trim()) },
      action === "approve" ? "Approve selected" : "Reject selected"));
    }
    const rows = items.map((e) => {
      const box = el("input", { type: "checkbox", "aria-label": `Select edge ${e.id}` });
      box.checked = selected.has(e.id);
      box.addEventListener("change", () => {
        (box.checked ? selected.add(e.id) : selected.delete(e.id));
        update();
      });
      return el("tr", { "data-edge-id": e.id },
        el("td", {}, box),
        el("td", { class: "num" }, pct(e.confidence)),
        el("td", {}, e.source), el("td", {}, "→"), el("td", {}, e.target),
        el("td", { class: "kind" }, e.kind),
        el("td", { class: "kind" }, e.origin || e.transformation_type || ""));
    });
    page.replaceChildren(
      el("div", { class: "page-head" },
        el("h2", {}, "Review queue"),
        el("p", { class: "hint", "data-testid": "review-total" },
          `${total} inferred edge${total === 1 ? "" : "s"} waiting, least confident first` +
          (total > items.length ? ` (the first ${items.length} shown)` : "")),
        note ? el("p", { class: "note", "data-testid": "review-note" }, note) : null,
        el("div", { class: "review-actions" }, ...buttons, comment, count)),
      items.length
        ? el("table", { class: "review-table" },
          el("thead", {}, el("tr", {}, el("th", {}, all), el("th", {}, "confidence"),
            el("th", {}, "from"), el("th", {}), el("th", {}, "to"), el("th", {}, "kind"),
            el("th", {}, "origin"))),
          el("tbody", {}, ...rows))
        : el("p", { class: "hint" }, "Nothing to review."));
    update();
    page.dataset.count = String(items.length);
  }

  // One request per edge (the service has no batch route); each failure is reported.
  async function decide(action, comment) {
    const ids = [...selected];
    const failed = [];
    for (const id of ids) {
      try {
        await api(`/lineage/${id}/${action}`, {
          method: "POST", headers: { "content-type": "application/json" },
          // with a token, the service records its user as the reviewer
          body: JSON.stringify({ by: view.apiToken() ? undefined : "web",
            comment: comment || `${action}d in the review queue` }),
        });
        selected.delete(id);
      } catch (err) {
        failed.push(`edge ${id}: ${err.message}`);
      }
    }
    const done = ids.length - failed.length;
    const verb = action === "approve" ? "Approved" : "Rejected";
    if (failed.length) showError(`Not ${action}d: ${failed.join("; ")}`);
    await refresh(`${verb} ${done} edge${done === 1 ? "" : "s"}.`);
    document.body.dataset.reviewed = `${action}:${ids.join(",")}`;
  }

  view.review = { refresh };
});
