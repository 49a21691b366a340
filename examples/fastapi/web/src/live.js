// Live: the page follows the service's WebSocket (/ws, ws.py), subscribed to the assets
// drawn, and falls back to the event stream (app.js) when the socket cannot be opened.
// A change to a drawn asset's fields, or an approval of a drawn edge, is patched into its
// node or edge; a change of the graph's shape (an edge or an asset added, removed, rejected)
// redraws with the user's place kept (zoom, pan, selection, dragged positions: app.js's
// live redraw).
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  if (!window.WebSocket) return; // app.js follows the event stream
  const { cy } = view;
  const RETRY_MS = [1000, 2000, 5000, 10000];
  // refused: the socket was refused without credentials once (asked with a ticket since)
  const live = { socket: null, lastSeq: null, retries: 0, subscribed: "", refused: false };
  const PATCHED = ["name", "owner", "description", "status", "tags"];

  // The socket's address: the only place that knows how /ws takes credentials. Reads are
  // open unless the service runs with LINEAGE_AUTH=required; then the socket is refused
  // without credentials and is opened again with a single-use ticket for the page's token
  // (POST /api/v1/auth/ticket, never the token itself in a URL).
  async function socketAddress({ withTicket }) {
    const url = new URL("/ws", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (live.lastSeq !== null) url.searchParams.set("since", String(live.lastSeq));
    if (withTicket && view.apiToken()) {
      const { ticket } = await view.api("/auth/ticket", { method: "POST" });
      url.searchParams.set("ticket", ticket);
    }
    return url;
  }

  async function connect({ withTicket = false } = {}) {
    let url;
    if (live.socket) { // again (a new token): the old socket is let go
      const old = live.socket;
      live.socket = null;
      old.close(1000, "reconnecting");
    }
    try {
      url = await socketAddress({ withTicket });
    } catch (err) {
      fallBack(`no ticket for the WebSocket (${err.message})`);
      return;
    }
    const socket = new WebSocket(url);
    let opened = false;
    live.socket = socket;
    socket.addEventListener("open", () => {
      opened = true;
      if (view.state.events) { // followed until now (fallen back to, or opened by app.js)
        view.state.events.close();
        view.state.events = null;
      }
      live.retries = 0;
      live.subscribed = "";
      document.body.dataset.follow = "websocket";
      subscribe();
    });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => {
      if (live.socket !== socket) return;
      live.socket = null;
      delete document.body.dataset.follow;
      if (!opened) {
        // Refused before it opened: without a ticket, perhaps credentials are needed.
        if (!withTicket) live.refused = true;
        if (!withTicket && view.apiToken()) connect({ withTicket: true });
        else fallBack(`the WebSocket was refused (code ${event.code})`);
        return;
      }
      // Dropped (a slow reader, the service restarting): again from the last seq seen.
      const wait = RETRY_MS[Math.min(live.retries++, RETRY_MS.length - 1)];
      setTimeout(() => connect({ withTicket }), wait);
    });
  }

  function fallBack(why) {
    console.info(`lineage: following the event stream instead: ${why}`);
    document.body.dataset.follow = "events";
    if (view.state.events) view.state.events.close();
    view.listenEvents();
  }

  // The drawn assets, sent again whenever the drawing changes.
  function subscribe() {
    const socket = live.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const keys = [...new Set(cy.nodes().map((n) => n.data("key")).filter(Boolean))].sort()
      .slice(0, 10000);
    const text = JSON.stringify({ subscribe: keys });
    if (text === live.subscribed || !keys.length) return;
    live.subscribed = text;
    socket.send(text);
  }

  function onMessage(msg) {
    if (msg.subscribed !== undefined) {
      document.body.dataset.subscribed = String((msg.subscribed || []).length);
      return;
    }
    if (msg.error) {
      view.showError(msg.error.message);
      return;
    }
    if (typeof msg.seq !== "number") return;
    live.lastSeq = msg.seq;
    const drawn = (key) => key && cy.nodes().some((n) => n.data("key") === key);
    if (![msg.asset_key, msg.target_key].some(drawn)) return;
    if (patchAsset(msg) || patchEdge(msg)) return;
    view.scheduleReload();
    // The details pane (its edges, impact and history) of an asset the change touched.
    const shown = document.getElementById("details").dataset.key;
    if (shown && [msg.asset_key, msg.target_key].includes(shown)) {
      clearTimeout(live.detailsTimer);
      live.detailsTimer = setTimeout(() => view.showAsset(shown), 300);
    }
  }

  // A drawn asset's fields changed (not its place in the graph): its node is updated where
  // it stands (and flashes), and its details pane shown again when open. False when a
  // redraw is needed.
  function patchAsset(change) {
    if (change.entity !== "asset" || change.action !== "update" || !change.after) return false;
    const nodes = cy.nodes().filter((n) => n.data("key") === change.asset_key && !n.data("part"));
    if (nodes.empty() || nodes.data("kind") === "job") return false; // a job's label has its state
    if ((change.before || {}).parent !== change.after.parent) return false; // moved
    if ((change.before || {}).kind !== change.after.kind) return false;
    // The fields a redraw would bring (the label is the key's last segment: unchanged).
    for (const field of PATCHED) nodes.data(field, change.after[field] ?? undefined);
    patched(nodes, [change.asset_key], change);
    return true;
  }

  // A drawn edge reviewed or edited, still active and between the same assets: its colour
  // and figures change where it is (when every lineage source is drawn; with a source
  // filter it may have to appear or go: a redraw).
  function patchEdge(change) {
    const after = change.after;
    if (change.entity !== "edge" || !["approve", "update"].includes(change.action) || !after ||
      after.status !== "active" || document.getElementById("min-source").value !== "any") return false;
    const before = change.before || {};
    if (before.source !== after.source || before.target !== after.target) return false;
    const edges = cy.getElementById(`e${change.entity_id}`)
      .union(cy.getElementById(`col-e${change.entity_id}`));
    if (edges.empty()) return false;
    const [drawnAs] = view.toElements({ elements: { nodes: [], edges: [{ data: {
      id: `e${change.entity_id}`, source: after.source, target: after.target,
      lineage_source: after.lineage_source } }] } });
    edges.data({ lineage_source: after.lineage_source, confidence: after.confidence,
      colour: drawnAs.data.colour });
    patched(edges, [after.source, after.target], change);
    return true;
  }

  // Marked for a moment; the details pane shown again when it is about one of `keys`.
  function patched(elements, keys, change) {
    elements.flashClass("patched", 1500);
    const pane = document.getElementById("details");
    if (keys.includes(pane.dataset.key)) view.showAsset(pane.dataset.key);
    document.body.dataset.patched = `${keys.join(">")}@${change.seq}`;
  }

  cy.style().selector("node.patched").style({ "border-width": 4, "border-color": "#0ea5e9" })
    .selector("edge.patched").style({ "width": 5 })
    .update();
  view.graphHooks.push(async () => { setTimeout(subscribe, 0); });
  // A new token may open what was refused without one.
  document.getElementById("token-form").addEventListener("submit", () => {
    if (document.body.dataset.follow !== "websocket") connect({ withTicket: live.refused });
  });
  view.follow = () => connect();
  view.live = live;
});
