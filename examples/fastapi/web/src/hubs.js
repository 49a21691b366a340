// Hubs stay readable: when a drawn asset has more than HUB_LIMIT neighbours on one side,
// the first HUB_LIMIT (by key) stay and the rest become one group node per kind
// ("+680 tables"). Tapping a group opens a panel listing its members from the service
// (paged, with a filter box); picking one draws it beside the hub.
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  const HUB_LIMIT = 12;
  const PAGE = 15;
  const { cy, api, el, enc, showError } = view;
  const plural = (kind, n) => (n === 1 ? kind : kind.endsWith("s") ? kind : `${kind}s`);

  cy.style().selector("node[part = 'group']").style({
    "shape": "round-rectangle", "width": 150, "height": 34, "background-color": "#eef2ff",
    "border-width": 2, "border-color": "#6366f1", "border-style": "dashed",
    "label": "data(label)", "text-valign": "center", "text-margin-y": 0, "font-size": 13,
    "font-weight": "bold", "color": "#3730a3", "text-max-width": 146,
  }).update();

  // Hops from the root, ignoring direction: a hub never hides the way back to the root.
  function hops(root) {
    const dist = new Map([[root.id(), 0]]);
    cy.elements().bfs({ roots: root, directed: false,
      visit: (v, e, u) => { if (u) dist.set(v.id(), dist.get(u.id()) + 1); } });
    return dist;
  }

  async function groupHubs(rootKey) {
    const root = cy.nodes(".root");
    if (root.empty()) return;
    const dist = hops(root);
    const far = (n) => dist.get(n.id()) ?? Infinity;
    const groups = [];
    const hubs = cy.nodes().sort((a, b) => far(a) - far(b));
    for (const hub of hubs) {
      if (hub.removed()) continue;
      for (const direction of ["out", "in"]) {
        const side = (direction === "out" ? hub.outgoers("node") : hub.incomers("node"))
          .filter((n) => far(n) > far(hub) && n.data("part") === undefined);
        if (side.length <= HUB_LIMIT) continue;
        const sorted = side.sort((a, b) => (a.data("key") < b.data("key") ? -1 : 1));
        const hidden = sorted.slice(HUB_LIMIT);
        const kept = sorted.slice(0, HUB_LIMIT);
        groups.push({ hub, direction, kept, hidden: hidden.map((n) => n.data("kind")) });
        cy.remove(hidden);
      }
    }
    // What only a hidden neighbour led to is not drawn either.
    const reach = cy.elements().bfs({ roots: root, directed: false }).path;
    cy.remove(cy.nodes().difference(reach.nodes()));
    // Drawn at once (a redraw never shows the hub without its groups), counted after.
    const added = groups.map(addGroups);
    await Promise.all(added.map(count));
    document.body.dataset.hubs = String(groups.length);
  }

  // One group node per kind, first counted from what was drawn.
  function addGroups({ hub, direction, kept, hidden }) {
    const key = hub.data("key");
    const nodes = [];
    for (const kind of new Set(hidden)) {
      const id = `group:${direction}:${kind}:${hub.id()}`;
      const shown = kept.filter((n) => n.data("kind") === kind).map((n) => n.data("key"));
      const total = shown.length + hidden.filter((k) => k === kind).length;
      const node = cy.add({ group: "nodes", data: { id, part: "group", hub: key, hubId: hub.id(),
        direction, kind, shown, total: counts.get(id) ?? total } });
      relabel(node);
      cy.add({ group: "edges", data: { id: `${id}:edge`, part: "group",
        source: direction === "out" ? hub.id() : id, target: direction === "out" ? id : hub.id(),
        colour: "#a5b4fc" } });
      nodes.push(node);
    }
    return { key, direction, nodes };
  }

  // Then counted by the service (the drawn graph may be truncated); kept for redraws.
  const counts = new Map();
  async function count({ key, direction, nodes }) {
    let byKind;
    try {
      byKind = (await api(`/view/neighbours/${enc(key)}?direction=${direction}&limit=1`)).by_kind;
    } catch (err) {
      showError(err.message);
      return;
    }
    for (const node of nodes) {
      counts.set(node.id(), byKind[node.data("kind")] ?? 0);
      node.data("total", counts.get(node.id()));
      relabel(node);
    }
  }

  function relabel(group) {
    const rest = group.data("total") - group.data("shown").length;
    group.data("count", rest);
    group.data("label", `+${rest} ${plural(group.data("kind"), rest)}`);
  }

  // -- the group's panel ---------------------------------------------------------------

  async function showGroup(group, offset = 0) {
    const filter = $filter(group);
    const params = new URLSearchParams({ direction: group.data("direction"),
      kind: group.data("kind"), filter, limit: String(PAGE), offset: String(offset) });
    let page;
    try {
      page = await api(`/view/neighbours/${enc(group.data("hub"))}?${params}`);
    } catch (err) {
      showError(err.message);
      return;
    }
    const pane = document.getElementById("details");
    const shown = new Set(group.data("shown"));
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    const at = Math.floor(offset / PAGE) + 1;
    const box = el("input", { type: "search", id: "group-filter", value: filter,
      placeholder: `Filter ${plural(group.data("kind"), 2)}`, "aria-label": "Filter members" });
    box.addEventListener("input", () => {
      clearTimeout(showGroup.timer);
      showGroup.timer = setTimeout(() => showGroup(group, 0), 250);
    });
    const side = group.data("direction") === "out" ? "downstream of" : "upstream of";
    pane.dataset.key = "";
    pane.dataset.group = group.id();
    pane.replaceChildren(
      el("h2", {}, `${page.total} ${plural(group.data("kind"), page.total)} ${side} ${group.data("hub")}`),
      el("p", { class: "hint" }, "Pick one to draw it beside the hub."),
      box,
      el("ul", { class: "edge-list members", "data-testid": "group-members" },
        ...page.items.map((m) => el("li", { "data-key": m.key },
          off(el("button", { class: "member", onclick: () => draw(group, m) }, m.key),
            shown.has(m.key)), " ",
          el("span", { class: `badge ${m.lineage_source}` }, m.lineage_source)))),
      el("div", { class: "pager" },
        off(el("button", { "data-action": "prev", onclick: () => showGroup(group, offset - PAGE) },
          "‹ Prev"), at <= 1),
        el("span", { "data-testid": "group-page" }, ` page ${at} of ${pages} `),
        off(el("button", { "data-action": "next", onclick: () => showGroup(group, offset + PAGE) },
          "Next ›"), at >= pages)));
    if (document.activeElement?.id !== "group-filter" && filter) box.focus();
    pane.dataset.groupPage = `${at}/${pages}:${filter}`;
  }

  const off = (button, disabled) => { button.disabled = disabled; return button; };

  function $filter(group) {
    const box = document.getElementById("group-filter");
    const pane = document.getElementById("details");
    return box && pane.dataset.group === group.id() ? box.value.trim() : "";
  }

  function draw(drawnGroup, member) {
    // The group drawn when the panel opened may have been redrawn since (live changes).
    const group = cy.getElementById(drawnGroup.id());
    if (group.empty()) return;
    const hub = cy.getElementById(group.data("hubId"));
    let node = cy.nodes().filter((n) => n.data("key") === member.key);
    const out = group.data("direction") === "out";
    const nodes = node.empty() ? [{ data: { id: `m:${member.key}`, key: member.key,
      kind: member.kind } }] : [];
    const id = node.empty() ? `m:${member.key}` : node.id();
    const edges = cy.getElementById(`e${member.edge_id}`).empty() ? [{ data: {
      id: `e${member.edge_id}`, edge_id: member.edge_id, lineage_source: member.lineage_source,
      source: out ? hub.id() : id, target: out ? id : hub.id() } }] : [];
    cy.add(view.toElements({ elements: { nodes, edges } }));
    node = cy.getElementById(id);
    group.data("shown", [...group.data("shown"), member.key]);
    relabel(group);
    view.runLayout(view.state.layout);
    document.body.dataset.picked = member.key;
    cy.nodes(":selected").unselect();
    node.select();
    const btn = document.querySelector(`[data-testid="group-members"] li[data-key="${CSS.escape(member.key)}"] button`);
    if (btn) btn.disabled = true;
  }

  view.graphHooks.push(groupHubs);
  cy.on("tap", "node[part = 'group']", (e) => showGroup(e.target, 0));
  view.hubs = { HUB_LIMIT, showGroup };
});
