// Lineage web view: search an asset, draw its lineage with Cytoscape.js, review edges.
// Talks only to this service's /api/v1; Cytoscape.js and cytoscape-dagre are served from
// /static/vendor (copied from npm packages at build time).
(function () {
  "use strict";

  const API = "/api/v1";
  const $ = (id) => document.getElementById(id);
  // detailsToken: the details pane shows the newest request only (a slow answer for an
  // earlier click must not overwrite a later one).
  const state = { root: null, layout: "dagre", reloadTimer: null, events: null, detailsToken: 0 };
  // Parts of the view in modules of their own (src/hubs.js, ...), loaded before this file:
  // each registers `(view) => void` in window.lineageParts; graphHooks run on every drawn
  // graph before its layout (e.g. grouping a hub's many neighbours).
  const graphHooks = [];
  const detailsHooks = []; // (asset) => elements added to an asset's details pane
  const extraLayouts = {}; // name -> () => options, from parts (src/layouts.js)
  const SOURCE_COLOURS = { approved: "#16a34a", manual: "#2563eb", inferred: "#ea580c" };
  // A job's state, from the OpenLineage events of its latest run.
  const RUN_STATES = ["running", "completed", "failed", "aborted"];
  const MAX_JOBS_DECORATED = 50;
  const KIND_SHAPES = {
    table: "round-rectangle", view: "round-rectangle", column: "ellipse", dashboard: "diamond",
    model: "hexagon", job: "tag", file: "rectangle", topic: "rhomboid",
  };

  if (typeof cytoscape === "undefined") {
    showError("Cytoscape.js is missing: build the web assets with `npm ci && npm run build` " +
      "in examples/fastapi/web.");
    return;
  }
  if (typeof cytoscapeDagre !== "undefined") cytoscape.use(cytoscapeDagre);

  const cy = cytoscape({
    container: $("cy"),
    wheelSensitivity: 0.3,
    maxZoom: 2, // a lone asset is not blown up to fill the pane
    minZoom: 0.05,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
        "background-color": "#94a3b8", "shape": "data(shape)", "width": 28, "height": 28,
        "color": "#1d2330", "text-wrap": "ellipsis", "text-max-width": 140,
      } },
      { selector: "node[kind = 'table']", style: { "background-color": "#60a5fa" } },
      { selector: "node[kind = 'dashboard']", style: { "background-color": "#f472b6" } },
      { selector: "node[kind = 'model']", style: { "background-color": "#a78bfa" } },
      { selector: "node[kind = 'file']", style: { "background-color": "#fbbf24" } },
      { selector: "node.root", style: { "border-width": 4, "border-color": "#7c3aed",
        "width": 36, "height": 36, "font-weight": "bold" } },
      { selector: "node[kind = 'job']", style: { "background-color": "#cbd5e1" } },
      { selector: "node[state = 'running']", style: { "border-width": 4, "border-color": "#ca8a04" } },
      { selector: "node[state = 'completed']", style: { "border-width": 4, "border-color": "#16a34a" } },
      { selector: "node[state = 'failed']", style: { "border-width": 4, "border-color": "#dc2626" } },
      { selector: "node[state = 'aborted']", style: { "border-width": 4, "border-color": "#6b7280",
        "border-style": "dashed" } },
      { selector: "node:selected", style: { "overlay-opacity": 0.15, "overlay-color": "#7c3aed" } },
      { selector: "edge", style: {
        "width": 2, "curve-style": "bezier", "target-arrow-shape": "triangle",
        "line-color": "data(colour)", "target-arrow-color": "data(colour)",
      } },
      { selector: "edge[lineage_source = 'inferred']", style: { "line-style": "dashed" } },
      { selector: "edge:selected", style: { "width": 4, "overlay-opacity": 0.12 } },
    ],
  });

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = false;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  // -- API token (issue 15): kept in this tab's session storage, sent with every call ----

  const TOKEN_KEY = "lineage.token";
  const apiToken = () => sessionStorage.getItem(TOKEN_KEY) || "";

  function withToken(headers) {
    const token = apiToken();
    return token ? { ...(headers || {}), authorization: `Bearer ${token}` } : (headers || {});
  }

  // The service's refusals, in words for people.
  const REFUSED = {
    401: "This needs a valid API token (enter one at the top of the page)",
    403: "Not allowed",
    429: "Too many requests",
  };

  function showToken() {
    const set = Boolean(apiToken());
    $("token-state").textContent = set ? "token in use" : "no token: changes may be refused";
    document.body.dataset.token = set ? "set" : "none";
  }

  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("token").value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    $("token").value = "";
    showToken();
    if (!view.follow) listen();  // the stream again with a ticket (live.js follows /ws itself)
  });
  showToken();

  async function api(path, options) {
    const response = await fetch(API + path,
      { ...(options || {}), headers: withToken(options && options.headers) });
    const body = response.status === 204 ? null : await response.json();
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      throw new Error(REFUSED[response.status] ? `${REFUSED[response.status]}: ${message}` : message);
    }
    return body;
  }

  const enc = encodeURIComponent;
  const lastSegment = (key) => key.split(".").pop();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  // -- search ------------------------------------------------------------------------

  async function search(text) {
    const list = $("results");
    const page = await api(`/assets?search=${enc(text)}&size=20`);
    list.replaceChildren(...page.items.map((asset) => el("li", {
      tabindex: "0", "data-key": asset.key,
      onclick: () => { list.hidden = true; loadRoot(asset.key); },
      onkeydown: (e) => { if (e.key === "Enter") { list.hidden = true; loadRoot(asset.key); } },
    }, el("span", {}, asset.key), el("span", { class: "kind" }, asset.kind))));
    if (!page.items.length) list.append(el("li", { class: "kind" }, "no asset matches"));
    list.hidden = false;
    return page;
  }

  // -- the graph ---------------------------------------------------------------------

  function toElements(graph) {
    const nodes = graph.elements.nodes.map((n) => {
      const d = n.data;
      const key = d.key ?? d.id;
      return { group: "nodes", data: { ...d, id: String(d.id ?? key), key,
        label: d.label ?? d.name ?? lastSegment(key), kind: d.kind ?? "unknown",
        shape: KIND_SHAPES[d.kind] ?? "ellipse" } };
    });
    const edges = graph.elements.edges.map((e) => {
      const d = e.data;
      const edgeId = d.edge_id ?? Number(String(d.id).replace(/^e/, ""));
      return { group: "edges", data: { ...d, id: String(d.id ?? "e" + edgeId), edge_id: edgeId,
        source: String(d.source), target: String(d.target),
        colour: SOURCE_COLOURS[d.lineage_source] ?? "#94a3b8" } };
    });
    return nodes.concat(edges);
  }

  // live: a redraw for changes reported by the event stream, which keeps the user's place
  // (zoom, pan, the positions of the nodes still drawn, the details pane).
  async function loadRoot(key, { live = false } = {}) {
    document.body.dataset.busy = "1";  // a redraw is under way (tests wait for its end)
    state.root = key;
    $("search").value = key;
    const params = new URLSearchParams({
      root: key, depth: $("depth").value || "2", direction: $("direction").value,
    });
    if ($("min-source").value !== "any") params.set("min_source", $("min-source").value);
    let graph;
    try {
      graph = await api(`/graph?${params}`);
    } catch (err) {
      if (!state.reloadTimer) delete document.body.dataset.busy;
      showError(err.message);
      return;
    }
    const place = live && { zoom: cy.zoom(), pan: { ...cy.pan() },
      at: new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }])),
      selected: cy.elements(":selected").map((e) => e.id()) };
    cy.elements().remove();
    cy.add(toElements(graph));
    cy.nodes().filter((n) => n.data("key") === key).addClass("root");
    for (const hook of graphHooks) await hook(key);
    if (place) keepPlace(place);
    else runLayout(state.layout);
    await decorateJobs();
    $("status").textContent = `${cy.nodes().length} assets, ${cy.edges().length} edges` +
      (graph.truncated ? " (truncated)" : "");
    document.body.dataset.root = key;
    if (place) document.body.dataset.live = String(Number(document.body.dataset.live || 0) + 1);
    else await showAsset(key);
    if (!state.reloadTimer) delete document.body.dataset.busy;
  }

  // Nodes drawn before stay where they were; a new one goes beside a neighbour drawn before.
  function keepPlace({ zoom, pan, at, selected }) {
    // A compound node (a box, a table with its columns) follows its children: moving it
    // would move them.
    const placed = cy.nodes().filter((n) => !n.isParent());
    const fresh = placed.filter((n) => !at.has(n.id()));
    placed.forEach((n) => { if (at.has(n.id())) n.position(at.get(n.id())); });
    fresh.forEach((n, i) => {
      const anchor = n.neighborhood("node").filter((m) => at.has(m.id()));
      const base = anchor.nonempty() ? at.get(anchor[0].id()) : { x: 0, y: 0 };
      n.position({ x: base.x + 140, y: base.y + 40 * (i + 1) });
    });
    cy.viewport({ zoom, pan });
    for (const id of selected) cy.getElementById(id).select();
    document.body.dataset.fresh = fresh.map((n) => n.data("key")).join(" ");
  }

  // Jobs drawn as nodes get their state (a coloured ring and a label line).
  async function decorateJobs() {
    document.body.dataset.jobs = "";
    const jobs = cy.nodes().filter((n) => n.data("kind") === "job").slice(0, MAX_JOBS_DECORATED);
    await Promise.all(jobs.map(async (node) => {
      try {
        const job = await api(`/assets/${enc(node.data("key"))}`);
        if (RUN_STATES.includes(job.status)) {
          node.data("state", job.status);
          node.data("label", `${node.data("label")} (${job.status})`);
        }
      } catch (err) {
        showError(err.message);
      }
    }));
    document.body.dataset.jobs = "decorated";
  }

  function layoutOptions(name) {
    const common = { animate: false, fit: true, padding: 40 };
    switch (name) {
      case "dagre": return { ...common, name: "dagre", rankDir: "LR", nodeSep: 30, rankSep: 90 };
      case "breadthfirst": return { ...common, name: "breadthfirst", directed: true,
        roots: cy.nodes(".root"), spacingFactor: 1.1 };
      case "cose": return { ...common, name: "cose", randomize: false, nodeRepulsion: 9000,
        idealEdgeLength: 90 };
      case "concentric": return { ...common, name: "concentric", minNodeSpacing: 30,
        concentric: (n) => 100 - Math.abs(n.data("distance") ?? 0), levelWidth: () => 1 };
      case "grid": return { ...common, name: "grid", avoidOverlap: true };
      case "circle": return { ...common, name: "circle" };
      default:
        if (extraLayouts[name]) return { ...common, ...extraLayouts[name]() };
        throw new Error(`unknown layout ${name}`);
    }
  }

  function runLayout(name) {
    state.layout = name;
    document.body.dataset.layout = "";
    const layout = cy.layout(layoutOptions(name));
    layout.one("layoutstop", () => { document.body.dataset.layout = name; });
    layout.run();
  }

  function scheduleReload() {
    if (!state.root) return;
    clearTimeout(state.reloadTimer);
    document.body.dataset.busy = "1";
    state.reloadTimer = setTimeout(() => {
      state.reloadTimer = null;
      loadRoot(state.root, { live: true });
    }, 300);
  }

  // -- details and review --------------------------------------------------------------

  function stateBadge(runState) {
    return el("span", { class: `badge state-${runState}`, "data-testid": "run-state" }, runState);
  }

  const when = (ms) => (ms === null || ms === undefined ? "-" : new Date(ms).toISOString()
    .replace("T", " ").replace(/\.\d+Z$/, "Z"));
  const duration = (ms) => (ms === null || ms === undefined ? "" : ms < 60000
    ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)} min ${Math.round(ms / 1000) % 60} s`);

  // A job's state and its latest runs, for the details pane.
  async function jobSection(asset) {
    if (asset.kind !== "job" || !RUN_STATES.includes(asset.status)) return [];
    const history = await api(`/assets/${enc(asset.key)}/runs?limit=5`);
    return [
      el("h3", {}, "Runs"),
      el("p", {}, "State: ", stateBadge(asset.status)),
      el("ul", { class: "edge-list", "data-testid": "runs" }, ...history.runs.map((r) =>
        el("li", {}, r.state ? stateBadge(r.state) : "", ` ${when(r.started_at)} `,
          duration(r.duration_ms), el("div", { class: "kind" }, r.run_id)))),
    ];
  }

  function sourceBadge(source) {
    return el("span", { class: `badge ${source}` }, source);
  }

  function edgeItem(edge) {
    const item = el("li", { "data-edge-id": edge.id },
      el("div", {}, `${edge.source} → ${edge.target} `, sourceBadge(edge.lineage_source),
        ` ${Math.round(edge.confidence * 100)}%`));
    if (edge.lineage_source === "inferred" && edge.status === "active") {
      item.append(el("div", {},
        el("button", { class: "approve", "data-action": "approve",
          onclick: () => review(edge.id, "approve") }, "Approve"), " ",
        el("button", { class: "reject", "data-action": "reject",
          onclick: () => review(edge.id, "reject") }, "Reject")));
    }
    return item;
  }

  async function showAsset(key) {
    const pane = $("details");
    const token = ++state.detailsToken;
    try {
      const [asset, impact, edges] = await Promise.all([
        api(`/assets/${enc(key)}`),
        api(`/lineage/impact/${enc(key)}?change_type=drop`),
        api(`/assets/${enc(key)}/edges`),
      ]);
      const runs = await jobSection(asset);
      if (token !== state.detailsToken) return;
      const rows = [["kind", asset.kind], ["owner", asset.owner], ["parent", asset.parent],
        ["description", asset.description], ["tags", (asset.tags || []).join(", ")],
        ["updated", asset.updated_at]].filter(([, v]) => v);
      const summary = impact.summary || {};
      const affected = (impact.affected || []).slice(0, 12).map((a) =>
        el("li", { class: `sev-${a.severity ?? "info"}` },
          `${a.key} (${a.kind}, ${a.distance} hop${a.distance === 1 ? "" : "s"}` +
          `${a.owner ? ", " + a.owner : ""})`));
      pane.dataset.key = asset.key;
      pane.replaceChildren(
        el("h2", { "data-testid": "asset-key" }, asset.key),
        el("dl", {}, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
        ...runs,
        ...detailsHooks.flatMap((hook) => hook(asset)),
        el("h3", {}, "Impact if dropped"),
        el("p", { "data-testid": "impact-total" },
          `${summary.total ?? affected.length} downstream assets affected` +
          (summary.max_distance ? `, up to ${summary.max_distance} hops away` : "")),
        el("ul", { class: "edge-list" }, ...affected),
        el("h3", {}, "Edges"),
        el("ul", { class: "edge-list", "data-testid": "edges" }, ...edges.items.map(edgeItem)),
      );
    } catch (err) {
      showError(err.message);
    }
  }

  async function showEdge(edgeId) {
    const token = ++state.detailsToken;
    try {
      const edge = await api(`/edges/${edgeId}`);
      if (token !== state.detailsToken) return;
      const rows = [["from", edge.source], ["to", edge.target], ["kind", edge.kind],
        ["source", edge.lineage_source], ["confidence", edge.confidence],
        ["status", edge.status], ["job", edge.job], ["logic", edge.transformation],
        ["reviewed by", edge.reviewed_by]].filter(([, v]) => v !== null && v !== undefined);
      $("details").replaceChildren(
        el("h2", {}, `Edge ${edge.id}`),
        el("dl", {}, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
        el("ul", { class: "edge-list", "data-testid": "edges" }, edgeItem(edge)));
    } catch (err) {
      showError(err.message);
    }
  }

  async function review(edgeId, action) {
    try {
      await api(`/lineage/${edgeId}/${action}`, {
        method: "POST", headers: { "content-type": "application/json" },
        // with a token, the service records its user as the reviewer
        body: JSON.stringify({ by: apiToken() ? undefined : "web",
          comment: `${action}d in the web view` }),
      });
      document.body.dataset.reviewed = `${action}:${edgeId}`;
      await loadRoot(state.root);
    } catch (err) {
      showError(err.message);
    }
  }

  // -- events --------------------------------------------------------------------------

  // With a token, the stream is opened with a single-use ticket (EventSource cannot send
  // headers, and the token itself never goes into a URL); a refused or dropped stream is
  // reopened with a fresh ticket.
  async function listen() {
    if (!window.EventSource) return;
    if (state.events) state.events.close();
    let url = `${API}/events`;
    if (apiToken()) {
      try {
        const { ticket } = await api("/auth/ticket", { method: "POST" });
        url += `?ticket=${encodeURIComponent(ticket)}`;
      } catch (err) {
        return;  // a bad token is already shown by the calls the page makes
      }
      state.events = new EventSource(url);
      state.events.onerror = () => { state.events.close(); setTimeout(listen, 2000); };
    } else {
      state.events = new EventSource(url);
    }
    state.events.addEventListener("change", (event) => {
      const change = JSON.parse(event.data);
      const keys = [change.asset_key, change.target_key];
      if (keys.some((k) => k && cy.nodes().some((n) => n.data("key") === k))) scheduleReload();
    });
  }

  // -- wiring --------------------------------------------------------------------------

  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("search").value.trim();
    search(text).catch((err) => showError(err.message));
  });
  document.addEventListener("click", (e) => {
    if (!$("search-form").contains(e.target)) $("results").hidden = true;
  });
  $("layout").addEventListener("change", (e) => runLayout(e.target.value));
  for (const id of ["direction", "depth", "min-source"]) {
    $(id).addEventListener("change", () => state.root && loadRoot(state.root));
  }
  // Nodes with a `part` (a group, a column) are handled by the module that drew them.
  // A second tap on the same node soon after draws its lineage (Cytoscape's dbltap also
  // fires for two quick taps on different nodes).
  cy.on("tap", "node[!part]", (e) => {
    const now = Date.now();
    const again = state.lastTap && state.lastTap.id === e.target.id() && now - state.lastTap.at < 400;
    state.lastTap = { id: e.target.id(), at: now };
    if (again) loadRoot(e.target.data("key"));
    else showAsset(e.target.data("key"));
  });
  cy.on("tap", "edge[edge_id]", (e) => showEdge(e.target.data("edge_id")));

  const view = { cy, state, loadRoot, runLayout, search, api, el, enc, showError, toElements,
    graphHooks, detailsHooks, extraLayouts, layoutOptions, showAsset, apiToken, withToken,
    scheduleReload, listenEvents: listen };
  window.lineageView = view;
  for (const part of window.lineageParts || []) part(view);

  // live.js follows the WebSocket (and falls back to listen()); else the event stream.
  if (view.follow) view.follow();
  else listen();
  const start = new URLSearchParams(location.search).get("root");
  if (start) loadRoot(start);
})();
