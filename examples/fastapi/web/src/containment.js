// Containment view: the drawn assets inside nested boxes (system › database › schema ›
// table), from their parent links (GET /api/v1/view/containment). A toggle beside the
// layouts; lineage edges stay drawn between the boxed assets. A box holds at most BOX_LIMIT
// drawn assets: the rest become one "+N tables" node in it, which takes over their edges
// and lists them when tapped (as hubs.js does for a hub's neighbours).
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const BOX_LIMIT = 12;
  const CHUNK = 200; // keys per request (the route's limit)
  const PAGE = 15;
  const { cy, api, el, enc, showError } = view;
  const BORDER = { system: "#0f766e", database: "#7c3aed", schema: "#2563eb" };
  const plural = (kind, n) => (n === 1 ? kind : kind.endsWith("s") ? kind : `${kind}s`);
  let on = false;

  cy.style()
    .selector("node[part = 'box']").style({
      "shape": "round-rectangle", "background-color": "#f8fafc", "background-opacity": 0.6,
      "border-width": 2, "border-color": "#64748b", "padding": 18,
      "label": "data(label)", "text-valign": "top", "text-halign": "center",
      "text-margin-y": -4, "font-size": 12, "font-weight": "bold", "color": "#334155",
    })
    .selector("node[part = 'box'][kind = 'system']").style({ "border-color": BORDER.system })
    .selector("node[part = 'box'][kind = 'database']").style({ "border-color": BORDER.database })
    .selector("node[part = 'box'][kind = 'schema']").style({ "border-color": BORDER.schema,
      "border-style": "dashed" })
    .selector("node[part = 'box-group']").style({
      "shape": "round-rectangle", "width": 130, "height": 30, "background-color": "#eef2ff",
      "border-width": 2, "border-color": "#6366f1", "border-style": "dashed",
      "label": "data(label)", "text-valign": "center", "text-margin-y": 0, "font-size": 12,
      "font-weight": "bold", "color": "#3730a3",
    })
    .selector("edge[part = 'box-group']").style({ "line-color": "#a5b4fc",
      "target-arrow-color": "#a5b4fc", "width": "mapData(count, 1, 50, 2, 8)" })
    .update();

  // The toggle, beside the layouts.
  const box = el("input", { type: "checkbox", id: "containment" });
  const layoutLabel = document.getElementById("layout").closest("label");
  layoutLabel.after(el("label", { title: "Draw assets inside their system, database and schema" },
    box, " Containment"));
  box.addEventListener("change", () => {
    on = box.checked;
    document.body.dataset.containment = on ? "on" : "off";
    if (view.state.root) view.loadRoot(view.state.root);
  });

  // The drawn asset of a key (not a part drawn by another module).
  const drawnAsset = (key) => cy.nodes().filter((n) => n.data("key") === key && !n.data("part"));

  async function where(keys) {
    const items = new Map();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const params = new URLSearchParams();
      for (const key of keys.slice(i, i + CHUNK)) params.append("key", key);
      const page = await api(`/view/containment?${params}`);
      for (const item of page.items) items.set(item.key, item);
    }
    return items; // outermost first
  }

  async function nest() {
    delete document.body.dataset.boxes;
    if (!on) return;
    const keys = [...new Set(cy.nodes().filter((n) => !n.data("part")).map((n) => n.data("key")))];
    let items;
    try {
      items = await where(keys);
    } catch (err) {
      showError(err.message);
      return;
    }
    // The node standing for a key: the asset itself when drawn, else a box made for it.
    const nodeOf = new Map();
    for (const item of items.values()) {
      const drawn = drawnAsset(item.key);
      nodeOf.set(item.key, drawn.nonempty() ? drawn : cy.add({ group: "nodes", data: {
        id: `box:${item.key}`, key: item.key, part: "box", kind: item.kind,
        label: `${item.kind} ${item.name || item.key}` } }));
    }
    for (const item of items.values()) {
      if (item.parent && nodeOf.has(item.parent)) {
        nodeOf.get(item.key).move({ parent: nodeOf.get(item.parent).id() });
      }
    }
    const grouped = groupCrowdedBoxes();
    const boxes = cy.nodes("[part = 'box']");
    document.body.dataset.boxes = String(boxes.length);
    document.body.dataset.boxGroups = String(grouped);
  }

  // Boxes with more than BOX_LIMIT drawn assets keep the root, the most connected and then
  // the first by key; the rest become one group node per box, which takes over their edges.
  function groupCrowdedBoxes() {
    const hiddenTo = new Map(); // hidden node id -> its group's id
    const groups = [];
    cy.nodes(":parent").forEach((parent) => {
      const members = parent.children().filter((n) => !n.data("part"));
      if (members.length <= BOX_LIMIT) return;
      const rank = (n) => (n.hasClass("root") ? -1e9 : -n.degree(false));
      const sorted = members.sort((a, b) => rank(a) - rank(b) ||
        (a.data("key") < b.data("key") ? -1 : 1));
      const hidden = sorted.slice(BOX_LIMIT).filter((n) => !n.isParent());
      if (!hidden.length) return;
      const id = `box-group:${parent.id()}`;
      const kinds = new Set(hidden.map((n) => n.data("kind")));
      const kind = kinds.size === 1 ? [...kinds][0] : "asset";
      groups.push({ group: "nodes", data: { id, part: "box-group", parent: parent.id(),
        box: parent.data("key"), kind, count: hidden.length,
        members: hidden.map((n) => ({ key: n.data("key"), kind: n.data("kind") }))
          .sort((a, b) => (a.key < b.key ? -1 : 1)),
        label: `+${hidden.length} ${plural(kind, hidden.length)}` } });
      hidden.forEach((n) => hiddenTo.set(n.id(), id));
    });
    if (!groups.length) return 0;
    cy.add(groups);
    // Each hidden asset's edges end at its group, one edge per pair of ends.
    const merged = new Map();
    cy.edges().forEach((e) => {
      const s = hiddenTo.get(e.source().id()) ?? e.source().id();
      const t = hiddenTo.get(e.target().id()) ?? e.target().id();
      if (s === e.source().id() && t === e.target().id()) return;
      if (s === t) return;
      const id = `box-group-e:${s}>${t}`;
      const m = merged.get(id) ?? { group: "edges", data: { id, part: "box-group", source: s,
        target: t, count: 0, colour: "#a5b4fc" } };
      m.data.count += 1;
      merged.set(id, m);
    });
    cy.remove(cy.nodes().filter((n) => hiddenTo.has(n.id())));
    cy.add([...merged.values()]);
    return groups.length;
  }

  // -- a group's members, in the details pane --------------------------------------------

  function showMembers(group, offset = 0) {
    const pane = document.getElementById("details");
    const filterBox = document.getElementById("box-group-filter");
    const filter = filterBox && pane.dataset.boxGroup === group.id() ? filterBox.value.trim() : "";
    const all = group.data("members").filter((m) => m.key.toLowerCase().includes(filter.toLowerCase()));
    const pages = Math.max(1, Math.ceil(all.length / PAGE));
    const at = Math.floor(offset / PAGE) + 1;
    const input = el("input", { type: "search", id: "box-group-filter", value: filter,
      placeholder: "Filter", "aria-label": "Filter members" });
    input.addEventListener("input", () => showMembers(group, 0));
    pane.dataset.key = "";
    pane.dataset.boxGroup = group.id();
    pane.replaceChildren(
      el("h2", {}, `${group.data("count")} more in ${group.data("box")}`),
      el("p", { class: "hint" }, "Pick one to draw its lineage."),
      input,
      el("ul", { class: "edge-list members", "data-testid": "box-group-members" },
        ...all.slice(offset, offset + PAGE).map((m) => el("li", { "data-key": m.key },
          el("button", { class: "member", onclick: () => view.loadRoot(m.key) }, m.key),
          el("span", { class: "kind" }, ` ${m.kind}`)))),
      el("div", { class: "pager" },
        pager("‹ Prev", at <= 1, () => showMembers(group, offset - PAGE)),
        el("span", {}, ` page ${at} of ${pages} `),
        pager("Next ›", at >= pages, () => showMembers(group, offset + PAGE))));
    if (filter) input.focus();
  }

  function pager(label, disabled, onclick) {
    const button = el("button", { onclick }, label);
    button.disabled = disabled;
    return button;
  }

  view.graphHooks.push(nest);
  cy.on("tap", "node[part = 'box-group']", (e) => showMembers(e.target, 0));
  cy.on("tap", "node[part = 'box']", (e) => view.showAsset(e.target.data("key")));
  view.containment = { BOX_LIMIT, enabled: () => on };
});
