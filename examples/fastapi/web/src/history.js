// An asset's history, in its details pane: the audit trail of the asset and of its edges
// (who, when, what changed, in which batch), newest first, a page at a time from
// GET /api/v1/assets/{key}/history.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const PAGE = 10;
  const { api, el, enc, showError } = view;
  // Fields that change with every write: not "what changed".
  const BOOKKEEPING = new Set(["id", "created_at", "updated_at", "content_hash"]);

  const shown = (v) => (v === null || v === undefined || v === "" ? "none"
    : typeof v === "object" ? JSON.stringify(v) : String(v));
  const when = (at) => String(at).replace("T", " ").replace(/\.\d+Z$/, "Z");

  // "owner: analytics → finance; tags: [] → ["gold"]"
  function changed(before, after) {
    const keys = new Set([...Object.keys(before || {}), ...Object.keys(after || {})]);
    const parts = [];
    for (const k of [...keys].sort()) {
      if (BOOKKEEPING.has(k)) continue;
      const [a, b] = [(before || {})[k], (after || {})[k]];
      if (JSON.stringify(a) !== JSON.stringify(b)) parts.push(`${k}: ${shown(a)} → ${shown(b)}`);
    }
    return parts.join("; ");
  }

  function what(ch) {
    const subject = ch.entity === "edge"
      ? `edge ${ch.entity_id} ${ch.asset_key ?? "?"} → ${ch.target_key ?? "?"}` : "asset";
    const verb = { create: "created", update: "updated", delete: "deleted", approve: "approved",
      reject: "rejected", retire: "retired" }[ch.action] ?? ch.action;
    const detail = ch.action === "update" ? changed(ch.before, ch.after)
      : ch.action === "create" && ch.entity === "asset" && ch.after ? `kind ${ch.after.kind}`
        : "";
    return [`${subject} ${verb}`, detail, ch.comment ? `“${ch.comment}”` : ""]
      .filter(Boolean).join(": ");
  }

  async function fill(section, key, offset) {
    let page;
    try {
      page = await api(`/assets/${enc(key)}/history?limit=${PAGE}&offset=${offset}`);
    } catch (err) {
      showError(err.message);
      return;
    }
    if (!section.isConnected) return; // the pane shows another asset by now
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    const at = Math.floor(offset / PAGE) + 1;
    const button = (label, action, disabled, to) => {
      const b = el("button", { "data-action": action, onclick: () => fill(section, key, to) }, label);
      b.disabled = disabled;
      return b;
    };
    section.replaceChildren(
      el("h3", {}, `History (${page.total} change${page.total === 1 ? "" : "s"})`),
      el("table", { class: "history" }, el("tbody", {}, ...page.items.map((ch) =>
        el("tr", { "data-seq": ch.seq },
          el("td", { class: "when" }, when(ch.at)),
          el("td", { class: "who" }, ch.actor),
          el("td", { class: "what" }, what(ch)),
          el("td", { class: "batch", title: "batch (revert it as one)" }, `#${ch.batch_id}`)))),
      ),
      el("div", { class: "pager" },
        button("‹ Newer", "history-newer", at <= 1, offset - PAGE),
        el("span", { "data-testid": "history-page" }, ` page ${at} of ${pages} `),
        button("Older ›", "history-older", at >= pages, offset + PAGE)));
    section.dataset.page = `${at}/${pages}`;
  }

  view.detailsHooks.push((asset) => {
    const section = el("section", { class: "history", "data-testid": "history" },
      el("h3", {}, "History"), el("p", { class: "hint" }, "Loading…"));
    fill(section, asset.key, 0);
    return [section];
  });
});
