// Live: the page follows the service's WebSocket (/ws, ws.py), subscribed to the assets
// drawn, and falls back to the event stream (app.js) when the socket cannot be opened.
// A change to a drawn asset's fields is patched into its node; a change of the graph's
// shape (an edge or an asset added, removed, reviewed) redraws with the user's place kept
// (zoom, pan, selection, dragged positions: app.js's live redraw).
(window.lineageParts = window.lineageParts || []).push((view) => {
  "use strict";

  if (!window.WebSocket) return; // app.js follows the event stream
  const { cy } = view;
  const RETRY_MS = [1000, 2000, 5000, 10000];
  const live = { socket: null, lastSeq: null, retries: 0, subscribed: "", ticketTried: false };
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
    if (!patch(msg)) view.scheduleReload();
  }

  // A drawn asset's fields changed (not its place in the graph): its node is updated where
  // it stands (and flashes), and its details pane shown again when open. False when a
  // redraw is needed.
  function patch(change) {
    if (change.entity !== "asset" || change.action !== "update" || !change.after) return false;
    const nodes = cy.nodes().filter((n) => n.data("key") === change.asset_key && !n.data("part"));
    if (nodes.empty() || nodes.data("kind") === "job") return false; // a job's label has its state
    if ((change.before || {}).parent !== change.after.parent) return false; // moved
    if ((change.before || {}).kind !== change.after.kind) return false;
    // The fields a redraw would bring (the label is the key's last segment: unchanged).
    for (const field of PATCHED) nodes.data(field, change.after[field] ?? undefined);
    nodes.flashClass("patched", 1500);
    const pane = document.getElementById("details");
    if (pane.dataset.key === change.asset_key) view.showAsset(change.asset_key);
    document.body.dataset.patched = `${change.asset_key}@${change.seq}`;
    return true;
  }

  cy.style().selector("node.patched").style({ "border-width": 4, "border-color": "#0ea5e9" })
    .update();
  view.graphHooks.push(async () => { setTimeout(subscribe, 0); });
  // A new token may open what was refused without one.
  document.getElementById("token-form").addEventListener("submit", () => {
    if (document.body.dataset.follow !== "websocket") connect({ withTicket: true });
  });
  view.follow = () => connect();
  view.live = live;
});
