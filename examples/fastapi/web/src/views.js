// Saved views (the designs' dashboards): save what the page shows — the root, the
// direction, depth and source filters, the layout, the zoom and the positions nodes were
// dragged to — under a name in the lineage database (/api/v1/views), list them, reopen one
// as it was saved, rename or delete one. A view is also reopened from the address: ?view=NAME.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { cy, state, api, el, enc, showError } = view;
  const $ = (id) => document.getElementById(id);
  const LIST_LIMIT = 200;

  const list = el("select", { id: "view-list", "aria-label": "Saved views" });
  const bar = el("div", { class: "views-bar", "data-testid": "views" },
    el("button", { type: "button", id: "view-save", onclick: () => save() }, "Save view"),
    list,
    el("button", { type: "button", id: "view-open", onclick: () => open(list.value) }, "Open"),
    el("button", { type: "button", id: "view-rename", onclick: () => rename(list.value) },
      "Rename"),
    el("button", { type: "button", id: "view-delete", onclick: () => remove(list.value) },
      "Delete"));
  document.querySelector("header .controls").after(bar);
  // The bar may add a row to the header, moving the graph down: Cytoscape keeps where its
  // container was, so clicks would land beside the nodes until it is told.
  if (window.ResizeObserver) new ResizeObserver(() => cy.resize()).observe(cy.container());
  cy.resize();

  // What the page shows now, as the library stores it (include/lineage/view.h). A compound
  // node (a containment box, a table with its columns) is where its children are: only
  // the children are kept.
  function current() {
    const positions = {};
    cy.nodes().forEach((n) => {
      const key = n.data("key");
      if (key && !n.data("part") && !n.isParent()) {
        const p = n.position();
        positions[key] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
      }
    });
    return {
      root: state.root, direction: $("direction").value,
      depth: Number($("depth").value) || 2, min_source: $("min-source").value,
      layout: state.layout, positions,
      zoom: cy.zoom(), pan: { x: cy.pan().x, y: cy.pan().y },
    };
  }

  async function refresh(selected) {
    let page;
    try {
      page = await api(`/views?limit=${LIST_LIMIT}`);
    } catch (err) {
      showError(`Saved views could not be listed: ${err.message}`);
      return;
    }
    const names = page.items.map((v) => v.name);
    list.replaceChildren(
      el("option", { value: "" }, names.length ? "Saved views…" : "no saved view"),
      ...page.items.map((v) => el("option", { value: v.name },
        v.root ? `${v.name} (${v.root})` : v.name)));
    list.value = names.includes(selected) ? selected : "";
    document.body.dataset.views = String(page.total);
  }

  async function save() {
    if (!state.root) {
      showError("Draw an asset's lineage first: a view is saved with its root asset");
      return;
    }
    const name = (window.prompt("Name of the view", list.value || state.root) || "").trim();
    if (!name) return;
    const body = current();
    const exists = [...list.options].some((o) => o.value === name);
    if (exists && !window.confirm(`A view named "${name}" is already saved. Replace it?`)) return;
    try {
      await api(exists ? `/views/${enc(name)}` : "/views", {
        method: exists ? "PUT" : "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify(exists ? { view: body } : { name, view: body }) });
    } catch (err) {
      showError(`The view was not saved: ${err.message}`);
      return;
    }
    document.body.dataset.viewSaved = name;
    await refresh(name);
  }

  // Reopen a view: the controls as saved, its root drawn, then every node it placed put
  // back where it was (nodes new since then keep the layout's place).
  async function open(name) {
    if (!name) return;
    let saved;
    try {
      saved = await api(`/views/${enc(name)}`);
    } catch (err) {
      showError(`The view could not be opened: ${err.message}`);
      return;
    }
    const v = saved.view || {};
    if (!v.root) {
      showError(`The view "${name}" has no root asset to draw`);
      return;
    }
    if (v.direction) $("direction").value = v.direction;
    if (v.depth) $("depth").value = String(v.depth);
    if (v.min_source) $("min-source").value = v.min_source;
    if (v.layout && [...$("layout").options].some((o) => o.value === v.layout)) {
      $("layout").value = v.layout;
      state.layout = v.layout;
    }
    delete document.body.dataset.viewOpened;
    await view.loadRoot(v.root);
    const positions = v.positions || {};
    cy.batch(() => cy.nodes().forEach((n) => {
      const p = positions[n.data("key")];
      if (p && !n.data("part") && !n.isParent()) n.position({ x: p.x, y: p.y });
    }));
    if (typeof v.zoom === "number" && v.pan) cy.viewport({ zoom: v.zoom, pan: v.pan });
    else cy.fit(undefined, 40);
    list.value = name;
    document.body.dataset.viewOpened = name;
  }

  async function rename(name) {
    if (!name) {
      showError("Choose a saved view to rename");
      return;
    }
    const to = (window.prompt(`New name of the view "${name}"`, name) || "").trim();
    if (!to || to === name) return;
    try {
      await api(`/views/${enc(name)}`, { method: "PUT",
        headers: { "content-type": "application/json" }, body: JSON.stringify({ name: to }) });
    } catch (err) {
      showError(`The view was not renamed: ${err.message}`);
      return;
    }
    document.body.dataset.viewRenamed = to;
    await refresh(to);
  }

  async function remove(name) {
    if (!name) {
      showError("Choose a saved view to delete");
      return;
    }
    if (!window.confirm(`Delete the saved view "${name}"? This cannot be undone.`)) return;
    try {
      await api(`/views/${enc(name)}`, { method: "DELETE" });
    } catch (err) {
      showError(`The view was not deleted: ${err.message}`);
      return;
    }
    document.body.dataset.viewDeleted = name;
    await refresh("");
  }

  list.addEventListener("change", () => open(list.value));
  view.openView = open;
  refresh("").then(() => {
    const start = new URLSearchParams(location.search).get("view");
    if (start) open(start);
  });
});
