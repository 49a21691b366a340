// Editing lineage in the page: in "Edit lineage" mode, click a source node then a target
// node, choose the edge kind and confirm to declare a manual edge (POST /lineage); click an
// edge and remove it (DELETE /edges/{id}, after a confirmation; the Delete key too). Writes
// go with the page's API token; a refusal (a viewer's token, no token) is shown in words.
// The drawing is then refreshed in place: nodes stay where the user put them.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const { cy, state, api, el, showError } = view;
  const BUILT_IN_KINDS = ["flow", "update", "incremental"];
  const edit = { on: false, source: null, edge: null };
  // Edges made here between two drawn nodes that the root's lineage does not pass through
  // (a traversal from the root would not draw them): drawn anyway while both ends are.
  const declared = new Map(); // edge id -> { from, to, kind }

  const toggle = el("button", { type: "button", id: "edit-mode", "aria-pressed": "false",
    onclick: () => setMode(!edit.on) }, "Edit lineage");
  const panel = el("div", { id: "edit-panel", class: "edit-panel", "data-testid": "edit-panel",
    hidden: "" });
  const pane = document.getElementById("graph-pane");
  pane.append(el("div", { class: "edit-bar" }, toggle), panel);

  cy.style().selector("node.edit-source").style({ "border-width": 5, "border-color": "#0891b2",
    "border-style": "double" }).selector("edge.edit-selected").style({ "width": 5,
    "line-color": "#dc2626", "target-arrow-color": "#dc2626" }).update();

  function drawDeclared() {
    for (const [id, e] of declared) {
      if (cy.edges().some((x) => x.data("edge_id") === id)) continue;
      const ends = [e.from, e.to].map((k) => cy.nodes().filter((n) => n.data("key") === k && !n.data("part")));
      if (ends.some((n) => n.empty())) continue;
      cy.add(view.toElements({ elements: { nodes: [], edges: [{ data: { id: `e${id}`,
        edge_id: id, source: ends[0].id(), target: ends[1].id(), kind: e.kind,
        lineage_source: "manual", confidence: 1 } }] } }));
    }
  }
  view.graphHooks.push(async () => drawDeclared());

  // The details pane lists an asset's edges: shown again when it is one of the ends.
  function refreshDetails(from, to) {
    const shown = document.getElementById("details").dataset.key;
    if (shown === from || shown === to) view.showAsset(shown);
  }

  function say(...children) {
    panel.replaceChildren(...children);
    panel.hidden = false;
  }

  function refused(action, err) {
    const text = `${action}: ${err.message}`;
    say(el("p", { class: "error-text", "data-testid": "edit-error" }, text),
      el("button", { type: "button", onclick: () => reset() }, "OK"));
    showError(text);
  }

  function clearMarks() {
    cy.nodes(".edit-source").removeClass("edit-source");
    cy.edges(".edit-selected").removeClass("edit-selected");
  }

  function reset() {
    clearMarks();
    edit.source = null;
    edit.edge = null;
    if (edit.on) say(el("p", {}, "Click the node the data comes from, then the node it goes to. ",
      "Click an edge to remove it."));
    else panel.hidden = true;
  }

  function setMode(on) {
    edit.on = on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Stop editing" : "Edit lineage";
    document.body.dataset.edit = on ? "on" : "off";
    reset();
  }

  function kindChoices() {
    const drawn = cy.edges().map((e) => e.data("kind")).filter(Boolean);
    return [...new Set([...BUILT_IN_KINDS, ...drawn])];
  }

  // Both ends chosen: ask for the kind, then create the edge.
  function confirmEdge(source, target) {
    const from = source.data("key"), to = target.data("key");
    const kind = el("input", { id: "edit-kind", list: "edit-kinds", value: "flow",
      "aria-label": "Edge kind" });
    const kinds = el("datalist", { id: "edit-kinds" },
      ...kindChoices().map((k) => el("option", { value: k })));
    say(el("p", {}, "New edge ", el("strong", {}, from), " → ", el("strong", {}, to)),
      el("label", {}, "Kind ", kind), kinds,
      el("div", { class: "edit-actions" },
        el("button", { type: "button", id: "edit-create", class: "approve",
          onclick: () => create(from, to, kind.value.trim() || "flow") }, "Create edge"),
        el("button", { type: "button", id: "edit-cancel", onclick: () => reset() }, "Cancel")));
    kind.focus();
  }

  async function create(from, to, kind) {
    let edge;
    try {
      edge = await api("/lineage", { method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ source: from, target: to, kind, lineage_source: "manual" }) });
    } catch (err) {
      refused("The edge was not created", err);
      return;
    }
    declared.set(edge.id, { from, to, kind: edge.kind });
    await view.loadRoot(state.root, { live: true });
    refreshDetails(from, to);
    reset();
    say(el("p", { class: "note", "data-testid": "edit-done" },
      `Edge ${edge.id} created: ${from} → ${to} (${edge.kind}).`));
    document.body.dataset.edgeCreated = String(edge.id);
  }

  function confirmRemove(edge) {
    const from = edge.source().data("key"), to = edge.target().data("key");
    say(el("p", {}, "Edge ", el("strong", {}, from), " → ", el("strong", {}, to),
      ` (${edge.data("kind") || "flow"}, ${edge.data("lineage_source")})`),
    el("div", { class: "edit-actions" },
      el("button", { type: "button", id: "edit-remove", class: "reject",
        onclick: () => remove(edge) }, "Remove edge"),
      el("button", { type: "button", id: "edit-cancel", onclick: () => reset() }, "Cancel")));
  }

  async function remove(edge) {
    const id = edge.data("edge_id");
    const from = edge.source().data("key"), to = edge.target().data("key");
    if (!window.confirm(`Remove the edge ${from} → ${to}? It leaves the lineage for everyone.`)) {
      return;
    }
    try {
      await api(`/edges/${id}`, { method: "DELETE" });
    } catch (err) {
      refused("The edge was not removed", err);
      return;
    }
    declared.delete(id);
    await view.loadRoot(state.root, { live: true });
    refreshDetails(from, to);
    reset();
    say(el("p", { class: "note", "data-testid": "edit-done" }, `Edge ${id} removed: ${from} → ${to}.`));
    document.body.dataset.edgeRemoved = String(id);
  }

  cy.on("tap", "node[!part]", (e) => {
    if (!edit.on) return;
    const node = e.target;
    if (!edit.source || edit.source.id() === node.id()) {
      clearMarks();
      edit.source = node;
      edit.edge = null;
      node.addClass("edit-source");
      say(el("p", {}, "From ", el("strong", {}, node.data("key")),
        ": now click the node the data goes to."),
      el("button", { type: "button", id: "edit-cancel", onclick: () => reset() }, "Cancel"));
      return;
    }
    confirmEdge(edit.source, node);
  });

  cy.on("tap", "edge[edge_id]", (e) => {
    if (!edit.on) return;
    clearMarks();
    edit.source = null;
    edit.edge = e.target;
    e.target.addClass("edit-selected");
    confirmRemove(e.target);
  });

  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName || "");
    if (!edit.on || typing) return;
    if ((e.key === "Delete" || e.key === "Backspace") && edit.edge) {
      e.preventDefault();
      remove(edit.edge);
    } else if (e.key === "Escape") {
      reset();
    }
  });

  setMode(false);
});
