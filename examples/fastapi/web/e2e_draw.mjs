// End-to-end test of the web view's containment boxes, asset history, export and live
// redraws over the WebSocket, in headless Chromium (playwright-core); screenshots and the
// exported files are kept in ARTIFACTS_DIR as draw-*.
//   node e2e_draw.mjs http://127.0.0.1:PORT ARTIFACTS_DIR [required]
// With "required" (a service run with LINEAGE_AUTH=required), only the live redraw with the
// page's token is checked.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { openBrowser } from "./e2e_harness.mjs";

const [base, artifacts, mode] = process.argv.slice(2);
const token = process.env.LINEAGE_E2E_STEWARD_TOKEN;
if (!base || !artifacts || !token) {
  console.error("usage: LINEAGE_E2E_STEWARD_TOKEN=... node e2e_draw.mjs BASE_URL ARTIFACTS_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const { context, page, step, run } = await openBrowser("e2e-draw", { acceptDownloads: true });
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(String(err)));
page.on("console", (msg) => { if (msg.type() === "error") pageErrors.push(msg.text()); });
page.on("response", (res) => { if (res.status() >= 400) pageErrors.push(`${res.status()} ${res.url()}`); });
const eventStreams = [];
page.on("request", (req) => { if (req.url().includes("/api/v1/events")) eventStreams.push(req.url()); });

const shot = async (name) => {
  const path = join(artifacts, `draw-${name}.png`);
  await page.screenshot({ path });
  console.log(`screenshot: ${path}`);
};
// A write through the API, as any client would make it (the steward's token).
const call = (method, path, body) => page.evaluate(([m, p, b, t]) => fetch(`/api/v1${p}`, {
  method: m, body: b === undefined ? undefined : JSON.stringify(b),
  headers: { "content-type": "application/json", authorization: `Bearer ${t}` },
}).then((r) => r.status), [method, path, body, token]);
const importCsv = (csv) => page.evaluate(([text, t]) => {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/csv" }), "rows.csv");
  return fetch("/api/v1/import/execute", { method: "POST", body: form,
    headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
}, [csv, token]);
const idle = () => page.waitForSelector("body:not([data-busy])");
const draw = async (root) => {
  await idle();
  await page.evaluate((key) => window.lineageView.loadRoot(key), root);
  await page.waitForSelector(`body[data-root="${root}"][data-layout]:not([data-layout=""]):not([data-busy])`);
};
const parentChain = (key) => page.evaluate((k) => {
  const { cy } = window.lineageView;
  let n = cy.nodes().filter((x) => x.data("key") === k && !x.data("part"));
  const chain = [];
  while (n.nonempty() && n.parent().nonempty()) {
    n = n.parent();
    chain.push(n.data("key"));
  }
  return chain;
}, key);

await run(async () => {
  if (mode === "required") {
    await step("where every read needs a token, the page follows /ws with its token", async () => {
      await page.goto(base + "/", { waitUntil: "load" });
      await page.waitForFunction(() => window.lineageView && window.lineageView.cy);
      // Without a token the socket and the stream are refused (401): expected, and nothing
      // else goes wrong from the moment the token is entered.
      await page.waitForSelector('body[data-follow="events"]');
      pageErrors.length = 0;
      await page.fill("#token", token);
      await page.click("#token-form button[type=submit]");
      await page.waitForSelector('body[data-token="set"]');
      await draw("stg.orders");
      await page.waitForSelector('body[data-follow="websocket"][data-subscribed]');
      const live = Number(await page.evaluate(() => document.body.dataset.live || 0));
      assert.equal(await call("POST", "/lineage", { source: "stg.orders", target: "bi.orders_kpi",
        create_missing: true }), 201);
      await page.waitForFunction((n) => Number(document.body.dataset.live || 0) > n &&
        (document.body.dataset.fresh || "").split(" ").includes("bi.orders_kpi"), live);
      // (refused without a token, the page fell back to the event stream: closed now)
      assert.equal(await page.evaluate(() => window.lineageView.state.events), null,
        "no event stream left open");
      assert.deepEqual(pageErrors, []);
      await shot("live-required");
    });
  } else {
    await step("the page follows the WebSocket, not the event stream", async () => {
      await page.goto(base + "/", { waitUntil: "load" });
      await page.waitForFunction(() => window.lineageView && window.lineageView.cy);
      await page.fill("#token", token);
      await page.click("#token-form button[type=submit]");
      await page.waitForSelector('body[data-token="set"]');
      await page.waitForSelector('body[data-follow="websocket"]');
      assert.deepEqual(eventStreams, [], "no EventSource opened");
    });

    await step("containment draws system › database › schema › table as nested boxes", async () => {
      const containers = [["sys.pg", "system", null], ["sys.pg.shop", "database", "sys.pg"],
        ["sys.pg.shop.public", "schema", "sys.pg.shop"], ["wh", "system", null],
        ["wh.analytics", "database", "wh"], ["wh.analytics.stg", "schema", "wh.analytics"],
        ["wh.analytics.mart", "schema", "wh.analytics"]];
      for (const [key, kind, parent] of containers) {
        assert.equal(await call("PUT", `/assets/${key}`, { kind, parent }), 201, key);
      }
      const placed = { "sys.pg.shop.public": ["pg.shop.orders", "pg.shop.order_items", "pg.shop.customers",
        "pg.shop.products"], "wh.analytics.stg": ["stg.orders", "stg.customers", "stg.sessions"],
      "wh.analytics.mart": ["mart.revenue_daily", "mart.customer_ltv", "mart.funnel"] };
      for (const [parent, keys] of Object.entries(placed)) {
        for (const key of keys) assert.equal(await call("PUT", `/assets/${key}`, { parent }), 200, key);
      }
      await draw("stg.orders");
      assert.equal(await page.evaluate(() => window.lineageView.cy.nodes("[part = 'box']").length), 0,
        "no boxes until asked");
      await page.check("#containment");
      await page.waitForSelector('body[data-containment="on"][data-boxes][data-layout="dagre"]:not([data-busy])');
      assert.deepEqual(await parentChain("pg.shop.orders"), ["sys.pg.shop.public", "sys.pg.shop", "sys.pg"]);
      assert.deepEqual(await parentChain("stg.orders"), ["wh.analytics.stg", "wh.analytics", "wh"]);
      assert.deepEqual(await parentChain("mart.revenue_daily"), ["wh.analytics.mart", "wh.analytics", "wh"]);
      assert.deepEqual(await parentChain("bi.revenue"), [], "an asset without a parent stays outside");
      const seen = await page.evaluate(() => {
        const { cy } = window.lineageView;
        const node = (k) => cy.nodes().filter((n) => n.data("key") === k && !n.data("part"));
        const inside = (child, box) => {
          const c = child.boundingBox({ includeLabels: false }), b = box.boundingBox({ includeLabels: false });
          return c.x1 >= b.x1 && c.x2 <= b.x2 && c.y1 >= b.y1 && c.y2 <= b.y2;
        };
        const boxes = cy.nodes("[part = 'box']");
        return {
          boxes: boxes.map((b) => `${b.data("kind")} ${b.data("key")}`).sort(),
          edge: node("pg.shop.orders").edgesTo(node("stg.orders")).length,
          crossing: node("pg.shop.orders").edgesTo(node("stg.orders")).visible(),
          contained: boxes.every((b) => b.children().every((c) => inside(c, b))),
          edges: cy.edges().filter((e) => !e.data("part")).length,
        };
      });
      assert.deepEqual(seen.boxes, ["database sys.pg.shop", "database wh.analytics", "schema sys.pg.shop.public",
        "schema wh.analytics.mart", "schema wh.analytics.stg", "system sys.pg", "system wh"]);
      assert.equal(seen.edge, 1, "the lineage edge between two boxed tables is still drawn");
      assert.ok(seen.crossing);
      assert.ok(seen.contained, "every box encloses what it contains");
      assert.ok(seen.edges >= 6);
      await shot("containment");
    });

    await step("a crowded box shows 12 of its assets and one group for the rest", async () => {
      const assets = ["key,kind,parent", "crowd,system,", "crowd.db,database,crowd", "crowd.db.raw,schema,crowd.db",
        "crowd.db.hub,schema,crowd.db"];
      for (let i = 1; i <= 20; i += 1) assets.push(`crowd.raw.t${String(i).padStart(2, "0")},table,crowd.db.raw`);
      for (let i = 1; i <= 30; i += 1) assets.push(`crowd.hub.e${String(i).padStart(2, "0")},table,crowd.db.hub`);
      assert.equal(await importCsv(assets.join("\n") + "\n"), 200);
      const edges = ["source,target,source_kind,target_kind"];
      for (let m = 1; m <= 4; m += 1) {
        edges.push(`crowd.mid${m},crowd.report,table,dashboard`);
        for (let i = (m - 1) * 5 + 1; i <= m * 5; i += 1) {
          edges.push(`crowd.raw.t${String(i).padStart(2, "0")},crowd.mid${m},table,table`);
        }
      }
      // a hub: 30 tables of one schema fed by crowd.mid1 (hubs.js groups them first)
      for (let i = 1; i <= 30; i += 1) edges.push(`crowd.report,crowd.hub.e${String(i).padStart(2, "0")},dashboard,table`);
      assert.equal(await importCsv(edges.join("\n") + "\n"), 200);
      await draw("crowd.report");
      await page.waitForSelector('body[data-boxes]:not([data-busy])');
      const seen = await page.evaluate(() => {
        const { cy } = window.lineageView;
        const box = (k) => cy.getElementById(`box:${k}`);
        const raw = box("crowd.db.raw").children();
        const group = raw.filter((n) => n.data("part") === "box-group");
        return {
          rawTables: raw.filter((n) => !n.data("part")).length,
          group: group.data("label"),
          groupEdges: group.connectedEdges().map((e) => `${e.target().data("key")}:${e.data("count")}`).sort(),
          hubBox: box("crowd.db.hub").children().filter((n) => !n.data("part")).length,
          hubGroup: cy.nodes("[part = 'group']").map((n) => n.data("label")),
          widest: Math.max(...cy.nodes(":parent").map((p) => p.children().length)),
        };
      });
      assert.equal(seen.rawTables, 12);
      assert.equal(seen.group, "+8 tables");
      const perMid = seen.groupEdges.map((x) => Number(x.split(":")[1]));
      assert.equal(perMid.reduce((a, b) => a + b, 0), 8, `the 8 hidden tables' edges: ${seen.groupEdges}`);
      assert.equal(seen.hubBox, 12, "the hub's 12 shown neighbours in their schema box");
      assert.deepEqual(seen.hubGroup, ["+18 tables"]);
      assert.ok(seen.widest <= 13, "no box holds more than 12 assets and a group");
      const id = await page.evaluate(() => window.lineageView.cy.nodes("[part = 'box-group']").id());
      await page.evaluate((gid) => window.lineageView.cy.getElementById(gid).emit("tap"), id);
      await page.waitForSelector('[data-testid="box-group-members"] li');
      assert.equal(await page.textContent("#details h2"), "8 more in crowd.db.raw");
      assert.equal(await page.locator('[data-testid="box-group-members"] li').count(), 8);
      await shot("containment-crowd");
    });

    await step("an asset's history lists the change just made, with its actor, by page", async () => {
      await draw("stg.orders");
      await page.waitForSelector('#details[data-key="stg.orders"] [data-testid="history"][data-page]');
      for (let i = 1; i <= 6; i += 1) {
        assert.equal(await call("PUT", "/assets/stg.orders", { description: `Cleaned orders, take ${i}` }), 200);
      }
      assert.equal(await call("PUT", "/assets/stg.orders", { owner: "finance-team" }), 200);
      // The details pane is shown again for the change (the live patch), with the history.
      // (read at once: each change of the asset shows its pane again)
      const first = await (await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#details[data-key="stg.orders"] [data-testid="history"] tbody tr')];
        return rows.length && rows[0].textContent.includes("finance-team") &&
          rows.map((r) => [...r.cells].map((c) => c.textContent));
      })).jsonValue();
      const [when, who, what, batch] = first[0];
      assert.match(when, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      assert.equal(who, "e2e-steward", "the token's user is the actor");
      assert.equal(what, "asset updated: owner: analytics → finance-team");
      assert.match(batch, /^#\d+$/);
      assert.equal(first[1][2], "asset updated: description: Cleaned orders, take 5 → Cleaned orders, take 6");
      assert.equal(first.length, 10);
      const pageText = await page.textContent('[data-testid="history-page"]');
      const [, at, of] = pageText.match(/page (\d+) of (\d+)/);
      assert.equal(at, "1");
      assert.ok(Number(of) >= 2, "more than one page");
      const total = await page.evaluate(() => fetch("/api/v1/assets/stg.orders/history?limit=1")
        .then((r) => r.json()).then((b) => b.total));
      assert.equal(await page.textContent('[data-testid="history"] h3'), `History (${total} changes)`);
      await shot("history");
      await page.click('[data-testid="history"] button[data-action="history-older"]');
      await page.waitForSelector(`[data-testid="history"][data-page="2/${of}"]`);
      const older = await page.$$eval('[data-testid="history"] tbody tr', (rows) => rows.map((r) => Number(r.dataset.seq)));
      assert.ok(older.length >= 1);
      const newest = await page.evaluate(() => fetch("/api/v1/assets/stg.orders/history?limit=10")
        .then((r) => r.json()).then((b) => b.items.map((c) => c.seq)));
      assert.ok(Math.max(...older) < Math.min(...newest), "the older page holds older changes");
      assert.ok(older.some((s) => s > 0));
      const created = await page.textContent('[data-testid="history"] tbody tr:last-child td.what');
      if (Number(of) === 2) assert.equal(created, "asset created: kind table");
    });

    await step("what is drawn exports as a PNG and as JSON", async () => {
      const drawn = await page.evaluate(() => window.lineageView.cy.nodes().map((n) => n.id()).sort());
      const [png] = await Promise.all([page.waitForEvent("download"), page.click('button[data-action="export-png"]')]);
      assert.match(png.suggestedFilename(), /^lineage-stg\.orders-.*\.png$/);
      const pngPath = join(artifacts, "draw-export.png");
      await png.saveAs(pngPath);
      const bytes = readFileSync(pngPath);
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
      assert.ok(bytes.length > 10_000, `a real image (${bytes.length} bytes)`);
      const [width, height] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
      assert.ok(width > 400 && height > 200, `the whole graph at twice the scale (${width}x${height})`);
      const [json] = await Promise.all([page.waitForEvent("download"), page.click('button[data-action="export-json"]')]);
      assert.match(json.suggestedFilename(), /^lineage-stg\.orders-.*\.json$/);
      const jsonPath = join(artifacts, "draw-export.json");
      await json.saveAs(jsonPath);
      const body = JSON.parse(readFileSync(jsonPath, "utf8"));
      assert.equal(body.root, "stg.orders");
      assert.deepEqual(body.elements.nodes.map((n) => n.data.id).sort(), drawn, "every drawn node");
      const root = body.elements.nodes.find((n) => n.data.key === "stg.orders");
      assert.equal(root.data.parent, "box:wh.analytics.stg", "boxes and their members");
      assert.ok(Number.isFinite(root.position.x) && Number.isFinite(root.position.y));
      assert.ok(body.elements.edges.some((e) => e.data.lineage_source === "manual" && e.data.source && e.data.target));
      // The file draws again in Cytoscape.js as it was.
      const redrawn = await page.evaluate((els) => {
        const box = document.createElement("div");
        document.body.append(box);
        const copy = window.cytoscape({ container: box, headless: true, elements: els });
        const n = [copy.nodes().length, copy.edges().length, copy.nodes(":parent").length];
        copy.destroy();
        box.remove();
        return n;
      }, [...body.elements.nodes, ...body.elements.edges]);
      assert.deepEqual(redrawn, [body.elements.nodes.length, body.elements.edges.length,
        await page.evaluate(() => window.lineageView.cy.nodes(":parent").length)]);
    });

    await step("a write through the API redraws live over the WebSocket, keeping the user's place", async () => {
      await idle();
      // The user's place: zoomed and panned, a node dragged aside, another selected.
      const place = await page.evaluate(() => {
        const { cy } = window.lineageView;
        cy.zoom({ level: 0.8, renderedPosition: { x: 400, y: 300 } });
        cy.panBy({ x: 35, y: -20 });
        return { zoom: cy.zoom(), pan: { ...cy.pan() } };
      });
      const target = await page.evaluate(() => {
        const { cy } = window.lineageView;
        const n = cy.nodes().filter((x) => x.data("key") === "bi.revenue");
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + n.renderedPosition("x"), y: box.top + n.renderedPosition("y"), id: n.id() };
      });
      await page.mouse.move(target.x, target.y);
      await page.mouse.down();
      await page.mouse.move(target.x + 60, target.y + 50, { steps: 6 });
      await page.mouse.up();
      await page.evaluate(() => {
        const { cy } = window.lineageView;
        cy.nodes().filter((x) => x.data("key") === "mart.revenue_daily").select();
      });
      await page.evaluate(() => window.lineageView.showAsset("mart.revenue_daily"));
      await page.waitForSelector('#details[data-key="mart.revenue_daily"]');
      const before = await page.evaluate(() => {
        const { cy } = window.lineageView;
        return { zoom: cy.zoom(), pan: { ...cy.pan() }, live: Number(document.body.dataset.live || 0),
          at: Object.fromEntries(cy.nodes().filter((n) => !n.isParent()).map((n) => [n.id(), { ...n.position() }])),
          selected: cy.$(":selected").map((e) => e.id()) };
      });
      assert.equal(before.zoom, place.zoom);
      assert.ok(before.at[target.id].x > 0 || before.at[target.id].y > 0);
      // A field of a drawn asset: its node is patched where it stands, its details shown again.
      assert.equal(await call("PUT", "/assets/mart.revenue_daily", { owner: "controlling" }), 200);
      await page.waitForSelector('body[data-patched^="mart.revenue_daily@"]');
      await page.waitForFunction(() => [...document.querySelectorAll("#details dd")]
        .some((dd) => dd.textContent === "controlling"));
      const patched = await page.evaluate(() => {
        const { cy } = window.lineageView;
        const node = cy.nodes().filter((x) => x.data("key") === "mart.revenue_daily");
        return { owner: node.data("owner"), flashed: node.hasClass("patched"),
          zoom: cy.zoom(), pan: { ...cy.pan() }, live: Number(document.body.dataset.live || 0),
          selected: cy.$(":selected").map((e) => e.id()) };
      });
      assert.equal(patched.owner, "controlling");
      assert.ok(patched.flashed, "the changed node is marked for a moment");
      assert.equal(patched.live, before.live, "no redraw for a field");
      assert.equal(patched.zoom, before.zoom);
      assert.deepEqual(patched.pan, before.pan);
      assert.deepEqual(patched.selected, before.selected);
      // A new edge from a drawn asset: redrawn around it, everything else where it was.
      assert.equal(await call("POST", "/lineage", { source: "mart.revenue_daily", target: "bi.cfo",
        create_missing: true }), 201);
      await page.waitForFunction((n) => Number(document.body.dataset.live || 0) > n &&
        (document.body.dataset.fresh || "").split(" ").includes("bi.cfo"), before.live);
      await idle();
      const after = await page.evaluate(() => {
        const { cy } = window.lineageView;
        return { zoom: cy.zoom(), pan: { ...cy.pan() }, follow: document.body.dataset.follow,
          details: document.getElementById("details").dataset.key,
          at: Object.fromEntries(cy.nodes().filter((n) => !n.isParent()).map((n) => [n.id(), { ...n.position() }])),
          selected: cy.$(":selected").map((e) => e.id()),
          cfo: cy.nodes().filter((x) => x.data("key") === "bi.cfo").incomers("node").data("key"),
          boxes: cy.nodes("[part = 'box']").length };
      });
      assert.equal(after.zoom, before.zoom);
      assert.deepEqual(after.pan, before.pan);
      for (const [id, p] of Object.entries(before.at)) assert.deepEqual(after.at[id], p, `${id} stayed in place`);
      assert.deepEqual(after.selected, before.selected, "the selection is kept");
      assert.equal(after.details, "mart.revenue_daily", "the details pane is kept");
      // and shown again: its history has the new edge
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="history"] td.what')]
        .some((td) => td.textContent.includes("mart.revenue_daily → bi.cfo created")));
      assert.equal(after.cfo, "mart.revenue_daily");
      assert.ok(after.boxes >= 7, "still in their boxes");
      assert.equal(after.follow, "websocket");
      assert.deepEqual(eventStreams, [], "still no EventSource");
      // An inferred edge approved: recoloured where it is, nothing redrawn.
      const edge = await page.evaluate(() => {
        const { cy } = window.lineageView;
        const e = cy.edges("[lineage_source = 'inferred']").filter((x) => !x.data("part"))[0];
        return { id: e.data("edge_id"), colour: e.style("line-color"), ends: `${e.source().data("key")}>${e.target().data("key")}`,
          live: Number(document.body.dataset.live || 0) };
      });
      assert.equal(await call("POST", `/lineage/${edge.id}/approve`, { comment: "checked live" }), 200);
      await page.waitForSelector(`body[data-patched^="${edge.ends}@"]`);
      const approved = await page.evaluate((id) => {
        const { cy } = window.lineageView;
        const e = cy.getElementById(`e${id}`);
        return { source: e.data("lineage_source"), colour: e.style("line-color"), zoom: cy.zoom(),
          pan: { ...cy.pan() }, live: Number(document.body.dataset.live || 0) };
      }, edge.id);
      assert.equal(approved.source, "approved");
      assert.notEqual(approved.colour, edge.colour);
      assert.equal(approved.colour, "rgb(22,163,74)", "drawn in the approved colour");
      assert.equal(approved.live, edge.live, "no redraw for a review");
      assert.equal(approved.zoom, before.zoom);
      assert.deepEqual(approved.pan, before.pan);
      await shot("live-ws");
    });

    await step("where WebSockets are refused, the page follows the event stream", async () => {
      // A network that refuses the socket: the page's WebSocket goes to a closed port.
      const other = await context.newPage();
      await other.addInitScript(() => {
        const Real = window.WebSocket;
        window.WebSocket = class extends Real {
          constructor(url, protocols) { super("ws://127.0.0.1:9/refused", protocols); }
        };
      });
      const streams = [];
      other.on("request", (req) => { if (req.url().includes("/api/v1/events")) streams.push(req.url()); });
      await other.goto(base + "/?root=mart.funnel", { waitUntil: "load" });
      await other.waitForSelector('body[data-follow="events"][data-root="mart.funnel"]:not([data-busy])');
      assert.equal(streams.length, 1, "one event stream");
      const live = Number(await other.evaluate(() => document.body.dataset.live || 0));
      assert.equal(await call("POST", "/lineage", { source: "mart.funnel", target: "bi.conversion",
        create_missing: true }), 201);
      await other.waitForFunction((n) => Number(document.body.dataset.live || 0) > n &&
        (document.body.dataset.fresh || "").split(" ").includes("bi.conversion"), live);
      await other.close();
    });

    await step("no page errors", async () => {
      assert.deepEqual(pageErrors, []);
    });
  }
});
