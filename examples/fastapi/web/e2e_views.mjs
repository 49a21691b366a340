// End-to-end test of saved views and of editing lineage in the web page, in headless
// Chromium (Debian's /usr/bin/chromium, driven by playwright-core), with real mouse drags
// and clicks: a dragged node is saved in a view and put back when the view is reopened; two
// nodes connected in edit mode give an edge the API then has; an edge clicked and removed
// is gone; a viewer's token gets the refusal in words. Screenshots are kept.
//   node e2e_views.mjs http://127.0.0.1:PORT ARTIFACTS_DIR
// Tokens: LINEAGE_E2E_EDITOR_TOKEN, LINEAGE_E2E_VIEWER_TOKEN (tests/test_web_views.py).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { openBrowser } from "./e2e_harness.mjs";

const [base, artifacts] = process.argv.slice(2);
const editorToken = process.env.LINEAGE_E2E_EDITOR_TOKEN;
const viewerToken = process.env.LINEAGE_E2E_VIEWER_TOKEN;
if (!base || !artifacts || !editorToken || !viewerToken) {
  console.error("usage: LINEAGE_E2E_EDITOR_TOKEN=... LINEAGE_E2E_VIEWER_TOKEN=... " +
    "node e2e_views.mjs BASE_URL ARTIFACTS_DIR");
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const { context, page, step, run } = await openBrowser("e2e-views");
const pageErrors = [];
let refusalsExpected = false; // while the viewer's token is in use, 403s are the point
page.on("pageerror", (err) => pageErrors.push(String(err)));
page.on("response", (res) => {
  if (res.status() >= 400 && !(refusalsExpected && res.status() === 403)) {
    pageErrors.push(`${res.status()} ${res.url()}`);
  }
});
// Answers to the page's prompt() and confirm() dialogs, in order.
const answers = [];
const dialogs = [];
page.on("dialog", async (d) => {
  dialogs.push(`${d.type()}: ${d.message()}`);
  const answer = answers.shift();
  if (answer === false) await d.dismiss();
  else await d.accept(typeof answer === "string" ? answer : undefined);
});

const API = `${base}/api/v1`;
const apiGet = (path) => fetch(API + path).then(async (r) => ({ status: r.status,
  body: r.status === 204 ? null : await r.json() }));
const shot = (name) => page.screenshot({ path: join(artifacts, `web-${name}.png`) });

// A node's model position, where it is on the canvas (rx, ry) and on the screen.
async function node(key) {
  return page.evaluate((k) => {
    const { cy } = window.lineageView;
    const n = cy.nodes().filter((m) => m.data("key") === k);
    if (n.empty()) return null;
    const box = cy.container().getBoundingClientRect();
    const r = n.renderedPosition();
    return { x: n.position("x"), y: n.position("y"), rx: r.x, ry: r.y, sx: box.left + r.x,
      sy: box.top + r.y };
  }, key);
}

// A click on a drawn node, a few pixels off its centre: Cytoscape 3.34 finds no diamond
// (a dashboard) under the pixel column through its centre.
async function clickNode(key) {
  const at = await node(key);
  assert.ok(at, `${key} is drawn`);
  await page.mouse.click(at.sx + 3, at.sy + 3);
}

async function useToken(token) {
  await page.fill("#token", token);
  await page.click("#token-form button[type=submit]");
  await page.waitForSelector('body[data-token="set"]');
}

const DRAGGED = "mart.customer_ltv";
const VIEW_NAME = "Orders map";
let saved; // the dragged node's position when the view was saved
let created; // the edge made in the page

await run(async () => {
  await step("the page draws a root with the views bar and the edit button", async () => {
    await page.goto(`${base}/?root=stg.orders`, { waitUntil: "load" });
    await page.waitForSelector('body[data-layout="dagre"][data-root="stg.orders"]');
    await page.waitForSelector("#view-save");
    await page.waitForSelector('body[data-views="0"]');
    await page.waitForSelector("#edit-mode");
    await useToken(editorToken);
  });

  await step("a node dragged with the mouse is saved in a named view", async () => {
    const before = await node(DRAGGED);
    assert.ok(before, `${DRAGGED} is drawn`);
    await page.mouse.move(before.sx, before.sy);
    await page.mouse.down();
    await page.mouse.move(before.sx + 90, before.sy + 120, { steps: 12 });
    await page.mouse.up();
    saved = await node(DRAGGED);
    assert.ok(Math.abs(saved.sy - before.sy - 120) < 2, "the node followed the mouse");
    answers.push(VIEW_NAME);
    await page.click("#view-save");
    await page.waitForSelector(`body[data-view-saved="${VIEW_NAME}"]`);
    await page.waitForSelector('body[data-views="1"]');
    const stored = await apiGet(`/views/${encodeURIComponent(VIEW_NAME)}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.root, "stg.orders");
    assert.equal(stored.body.created_by, "e2e-editor");
    const p = stored.body.view.positions[DRAGGED];
    assert.ok(Math.abs(p.x - saved.x) < 0.1 && Math.abs(p.y - saved.y) < 0.1,
      `stored ${JSON.stringify(p)} is where the node was dropped ${saved.x},${saved.y}`);
    assert.equal(stored.body.view.direction, "both");
    assert.equal(stored.body.view.depth, 2);
    assert.equal(stored.body.view.layout, "dagre");
  });

  await step("reopening the view puts the dragged node back and the filters as saved", async () => {
    await page.selectOption("#layout", "grid");
    await page.waitForSelector('body[data-layout="grid"]');
    await page.selectOption("#direction", "downstream");
    await page.waitForFunction(() => !document.body.dataset.busy);
    const moved = await node(DRAGGED);
    assert.ok(Math.abs(moved.x - saved.x) > 1 || Math.abs(moved.y - saved.y) > 1, "moved away");
    await page.selectOption("#view-list", VIEW_NAME);
    await page.waitForSelector(`body[data-view-opened="${VIEW_NAME}"]`);
    const back = await node(DRAGGED);
    assert.ok(Math.abs(back.x - saved.x) < 0.1 && Math.abs(back.y - saved.y) < 0.1,
      `back at ${saved.x},${saved.y}: ${back.x},${back.y}`);
    // the same place on the canvas too: the view's zoom and pan came back with it
    assert.ok(Math.abs(back.rx - saved.rx) < 1 && Math.abs(back.ry - saved.ry) < 1,
      `on the canvas at ${saved.rx},${saved.ry}: ${back.rx},${back.ry}`);
    assert.equal(await page.inputValue("#direction"), "both");
    assert.equal(await page.inputValue("#layout"), "dagre");
    assert.ok(await node("pg.shop.orders"), "upstream nodes drawn again");
    await shot("views");
  });

  await step("two nodes connected in edit mode become an edge of the lineage", async () => {
    await page.click("#edit-mode");
    await page.waitForSelector('body[data-edit="on"]');
    await clickNode("pg.shop.order_items");
    await page.waitForSelector('#edit-panel:has-text("now click the node the data goes to")');
    await clickNode("bi.revenue");
    await page.waitForSelector("#edit-create");
    await page.fill("#edit-kind", "flow");
    await page.click("#edit-create");
    await page.waitForFunction(() => document.body.dataset.edgeCreated);
    created = Number(await page.evaluate(() => document.body.dataset.edgeCreated));
    const edge = await apiGet(`/edges/${created}`);
    assert.equal(edge.status, 200);
    assert.equal(edge.body.source, "pg.shop.order_items");
    assert.equal(edge.body.target, "bi.revenue");
    assert.equal(edge.body.lineage_source, "manual");
    assert.equal(edge.body.kind, "flow");
    // drawn, and the nodes the user placed stayed where they were
    await page.waitForFunction((id) => window.lineageView.cy.edges()
      .some((e) => e.data("edge_id") === id), created);
    const still = await node(DRAGGED);
    assert.ok(Math.abs(still.x - saved.x) < 0.1 && Math.abs(still.y - saved.y) < 0.1);
    assert.match(await page.textContent('[data-testid="edit-done"]'), /created: pg\.shop\.order_items → bi\.revenue/);
    // the details pane of the end it shows lists the new edge
    await page.waitForSelector(`#details [data-testid="edges"] li[data-edge-id="${created}"]`);
    await shot("edit");
  });

  await step("a viewer's token is refused, in words, and nothing is written", async () => {
    refusalsExpected = true;
    await useToken(viewerToken);
    await clickNode("pg.shop.orders");
    await page.waitForSelector('#edit-panel:has-text("now click")');
    await clickNode("mart.funnel");
    await page.click("#edit-create");
    const refusal = await page.textContent('[data-testid="edit-error"]');
    assert.match(refusal, /^The edge was not created: Not allowed: e2e-viewer's token has role viewer/);
    assert.match(refusal, /ask an administrator/);
    assert.equal(await page.isVisible("#error"), true, "the page's error box says it too");
    const edges = await apiGet("/assets/pg.shop.orders/edges");
    assert.ok(!edges.body.items.some((e) => e.target === "mart.funnel"), "no edge was made");
    await shot("edit-refused");
    // saving a view is refused the same way
    answers.push("viewer's view");
    await page.click("#view-save");
    await page.waitForFunction(() => /The view was not saved: Not allowed/.test(
      document.getElementById("error").textContent));
    assert.equal((await apiGet("/views")).body.total, 1);
    await page.click('#edit-panel button:has-text("OK")');
    await useToken(editorToken);
    refusalsExpected = false;
  });

  await step("an edge clicked in edit mode is removed after a confirmation", async () => {
    const mid = await page.evaluate((id) => {
      const { cy } = window.lineageView;
      const e = cy.edges().filter((x) => x.data("edge_id") === id);
      const box = cy.container().getBoundingClientRect();
      const m = e.renderedMidpoint();
      return { x: box.left + m.x, y: box.top + m.y };
    }, created);
    await page.mouse.click(mid.x, mid.y);
    await page.waitForSelector("#edit-remove");
    answers.push(false); // first: changed my mind
    const asked = dialogs.length;
    await page.click("#edit-remove");
    while (dialogs.length === asked) await page.waitForTimeout(20);
    assert.equal((await apiGet(`/edges/${created}`)).status, 200, "kept when not confirmed");
    answers.push(true);
    await page.click("#edit-remove");
    await page.waitForFunction((id) => document.body.dataset.edgeRemoved === String(id), created);
    assert.equal((await apiGet(`/edges/${created}`)).status, 404);
    assert.ok(!(await page.evaluate((id) => window.lineageView.cy.edges()
      .some((e) => e.data("edge_id") === id), created)), "no longer drawn");
    assert.ok(dialogs.some((d) => /^confirm: Remove the edge pg\.shop\.order_items → bi\.revenue\?/.test(d)));
    await page.click("#edit-mode");
    await page.waitForSelector('body[data-edit="off"]');
  });

  await step("a saved view is renamed, then deleted after a confirmation", async () => {
    await page.selectOption("#view-list", VIEW_NAME);
    await page.waitForSelector(`body[data-view-opened="${VIEW_NAME}"]`);
    answers.push("Orders, upstream and down");
    await page.click("#view-rename");
    await page.waitForSelector('body[data-view-renamed="Orders, upstream and down"]');
    const renamed = await apiGet(`/views/${encodeURIComponent("Orders, upstream and down")}`);
    assert.ok(Math.abs(renamed.body.view.positions[DRAGGED].x - saved.x) < 0.1, "the body came along");
    assert.equal(await page.inputValue("#view-list"), "Orders, upstream and down");
    // a link to the view opens it as saved
    await page.goto(`${base}/?view=${encodeURIComponent("Orders, upstream and down")}`);
    await page.waitForSelector('body[data-view-opened="Orders, upstream and down"]');
    const linked = await node(DRAGGED);
    assert.ok(Math.abs(linked.x - saved.x) < 0.1 && Math.abs(linked.y - saved.y) < 0.1);
    await page.waitForSelector('body[data-token="set"]'); // the tab's token is still in use
    answers.push(false); // a deletion not confirmed keeps the view
    const asked = dialogs.length;
    await page.click("#view-delete");
    while (dialogs.length === asked) await page.waitForTimeout(20);
    assert.equal((await apiGet("/views")).body.total, 1);
    answers.push(true);
    await page.click("#view-delete");
    await page.waitForSelector('body[data-view-deleted="Orders, upstream and down"]');
    await page.waitForSelector('body[data-views="0"]');
    assert.equal((await apiGet("/views")).body.total, 0);
  });

  await step("no page errors", async () => {
    assert.deepEqual(pageErrors, []);
  });
}, async () => {
  // what the page showed when a step failed
  await shot("views-failure");
  console.log(await page.evaluate(() => JSON.stringify({ panel: document.getElementById("edit-panel").textContent,
    error: document.getElementById("error").textContent, body: { ...document.body.dataset } })).catch(() => ""));
});
