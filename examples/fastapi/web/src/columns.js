// A table expands into its columns: a toggle in its details pane draws its columns inside
// it (a compound node) and the column-level edges between drawn columns; an edge whose
// other end is a column of a table drawn but not expanded ends at that table.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { cy, api, el, enc, showError } = view;
  const EXPANDABLE = new Set(["table", "view", "model", "file", "topic", "dataset"]);
  const expanded = new Set(); // keys of expanded assets, kept across redraws

  cy.style()
    .selector("node:parent").style({
      "shape": "round-rectangle", "background-color": "#eff6ff", "background-opacity": 0.9,
      "border-width": 2, "border-color": "#60a5fa", "padding": 12,
      "label": "data(key)", "text-valign": "top", "text-halign": "center", "text-margin-y": -4,
      "font-weight": "bold",
    })
    .selector("node[part = 'column']").style({
      "shape": "round-rectangle", "width": 110, "height": 22, "background-color": "#fff",
      "border-width": 1, "border-color": "#93c5fd", "label": "data(label)",
      "text-valign": "center", "text-margin-y": 0, "font-size": 11, "text-max-width": 104,
    })
    .selector("edge[part = 'column']").style({ "width": 1.5, "curve-style": "bezier" })
    .update();

  const byKey = (key) => cy.nodes().filter((n) => n.data("key") === key && !n.data("part"));
  const columnNode = (key) => cy.nodes().filter((n) => n.data("key") === key &&
    n.data("part") === "column");

  // The drawn node an end of a column edge attaches to: its column, else its table.
  function endOf(key) {
    const col = columnNode(key);
    if (col.nonempty()) return col;
    const drawn = byKey(key);
    if (drawn.nonempty()) return drawn;
    const dot = key.lastIndexOf(".");
    return dot > 0 ? byKey(key.slice(0, dot)) : cy.collection();
  }

  const fetched = new Map(); // key -> the columns last fetched, redrawn at once on a redraw

  async function expand(key) {
    if (byKey(key).empty()) return;
    try {
      fetched.set(key, await api(`/view/columns/${enc(key)}`));
    } catch (err) {
      showError(err.message);
      return;
    }
    draw(key, fetched.get(key));
  }

  function draw(key, cols) {
    const table = byKey(key);
    if (table.empty()) return;
    cy.remove(cy.nodes().filter((n) => cols.items.some((c) => c.key === n.data("key"))));
    cy.add(cols.items.map((c) => ({ group: "nodes", data: { id: `col:${c.key}`, key: c.key,
      kind: "column", part: "column", parent: table.id(),
      label: c.name || c.key.slice(key.length + 1) } })));
    expanded.add(key);
    table.data("expanded", "yes");
    drawColumnEdges(cols.edges);
  }

  function drawColumnEdges(edges) {
    const colour = { approved: "#16a34a", manual: "#2563eb", inferred: "#ea580c" };
    for (const e of edges) {
      const [source, target] = [endOf(e.source), endOf(e.target)];
      const id = `col-e${e.id}`;
      if (source.empty() || target.empty() || source.same(target)) continue;
      cy.remove(cy.getElementById(id));
      cy.add({ group: "edges", data: { id, edge_id: e.id, part: "column",
        source: source.id(), target: target.id(), lineage_source: e.lineage_source,
        colour: colour[e.lineage_source] ?? "#94a3b8" } });
    }
  }

  async function collapse(key) {
    const table = byKey(key);
    expanded.delete(key);
    table.removeData("expanded");
    cy.remove(table.children());
    cy.remove(cy.edges("[part = 'column']"));
    // Edges of the tables still expanded, ending now at this table.
    for (const other of expanded) await expand(other);
  }

  async function toggle(key) {
    if (expanded.has(key)) await collapse(key);
    else {
      await expand(key);
      // Columns of other expanded tables that edges of this one reach.
      for (const other of expanded) if (other !== key) await expand(other);
    }
    view.runLayout(view.state.layout);
    document.body.dataset.expanded = [...expanded].sort().join(" ");
    await view.showAsset(key);
  }

  view.detailsHooks.push((asset) => (EXPANDABLE.has(asset.kind) && byKey(asset.key).nonempty()
    ? [el("p", {}, el("button", { "data-action": "columns", onclick: () => toggle(asset.key) },
      expanded.has(asset.key) ? "Hide columns" : "Show columns"))]
    : []));
  // A redraw (depth, live changes) keeps the tables expanded that are still drawn.
  // Drawn at once from what was fetched before, then fetched again.
  view.graphHooks.push(async () => {
    for (const key of [...expanded]) {
      if (byKey(key).empty()) expanded.delete(key);
      else if (fetched.has(key)) draw(key, fetched.get(key));
    }
    for (const key of [...expanded]) await expand(key);
  });
  cy.on("tap", "node[part = 'column']", (e) => view.showAsset(e.target.data("key")));
  view.columns = { toggle, expanded };
});
