// End-to-end test of the lineage web view in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): load the page, search, see the nodes drawn, switch layouts,
// approve an inferred edge, see a job's run state, and keep a screenshot.
//   node e2e.mjs http://127.0.0.1:PORT path/to/web.png
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import assert from "node:assert/strict";
import { openBrowser } from "./e2e_harness.mjs";

const [base, screenshot] = process.argv.slice(2);
// API tokens made by the test (tests/test_web.py): the database holds tokens, so every
// change needs one; a steward's for the review, a viewer's to see a refusal.
const stewardToken = process.env.LINEAGE_E2E_STEWARD_TOKEN;
const viewerToken = process.env.LINEAGE_E2E_VIEWER_TOKEN;
if (!base || !screenshot) {
  console.error("usage: node e2e.mjs BASE_URL SCREENSHOT.png");
  process.exit(2);
}
const { context, page, step, run } = await openBrowser("e2e");
const pageErrors = [];
page.on("pageerror", (err) => pageErrors.push(String(err)));
page.on("console", (msg) => { if (msg.type() === "error") pageErrors.push(msg.text()); });
// A dry run of a file with invalid rows answers 422 with its report: that is expected.
const expected = (res) => res.status() === 422 && res.url().endsWith("/api/v1/import/validate");
page.on("response", (res) => {
  if (res.status() >= 400 && !expected(res)) pageErrors.push(`${res.status()} ${res.url()}`);
});
// Everything the page loads must come from the service itself: no CDN.
const foreign = [];
page.on("request", (req) => { if (!req.url().startsWith(base)) foreign.push(req.url()); });

const nodeCount = () => page.evaluate(() => window.lineageView.cy.nodes().length);
const positions = () => page.evaluate(() =>
  window.lineageView.cy.nodes().map((n) => [n.data("key"), n.position("x"), n.position("y")]));

await run(async () => {
  await step("the page loads with Cytoscape.js from the service", async () => {
    await page.goto(base + "/", { waitUntil: "load" });
    await page.waitForFunction(() => window.lineageView && window.lineageView.cy);
    assert.equal(await page.title(), "Lineage");
  });

  await step("an API token entered in the page is kept for this tab and sent on changes", async () => {
    assert.ok(stewardToken && viewerToken, "LINEAGE_E2E_STEWARD_TOKEN and _VIEWER_TOKEN");
    await page.waitForSelector('body[data-token="none"]');
    await page.fill("#token", stewardToken);
    await page.click("#token-form button[type=submit]");
    await page.waitForSelector('body[data-token="set"]');
    assert.equal(await page.inputValue("#token"), "", "the field is emptied");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("lineage.token")), stewardToken);
    assert.equal(await page.evaluate(() => localStorage.length), 0, "not kept beyond the tab");
  });

  await step("search finds assets and draws the lineage of the chosen one", async () => {
    await page.fill("#search", "orders");
    await page.click("#search-form button[type=submit]");
    await page.waitForSelector('#results li[data-key="stg.orders"]');
    await page.click('#results li[data-key="stg.orders"]');
    await page.waitForSelector('body[data-layout="dagre"][data-root="stg.orders"]');
    assert.ok(await nodeCount() >= 6, "nodes drawn");
    const drawn = await page.evaluate(() => {
      const { cy } = window.lineageView;
      const box = cy.container().getBoundingClientRect();
      return cy.nodes().every((n) => {
        const p = n.renderedPosition();
        return n.visible() && p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
      });
    });
    assert.ok(drawn, "every node is inside the visible canvas");
    const colours = await page.evaluate(() => window.lineageView.cy.edges()
      .map((e) => [e.data("lineage_source"), e.style("line-color")]));
    const bySource = new Map(colours);
    assert.ok(bySource.size >= 2, "edges of several lineage sources");
    assert.equal(new Set(bySource.values()).size, bySource.size, "one colour per source");
    await page.waitForSelector('[data-testid="asset-key"]:text("stg.orders")');
    const impact = await page.textContent('[data-testid="impact-total"]');
    assert.match(impact, /\d+ downstream assets affected/);
  });

  await step("the depth control changes what is drawn", async () => {
    const before = await nodeCount();
    await page.fill("#depth", "1");
    await page.press("#depth", "Tab"); // leaving the field commits it (a change event)
    await page.waitForFunction((n) => window.lineageView.cy.nodes().length < n, before);
    await page.fill("#depth", "3");
    await page.press("#depth", "Tab");
    await page.waitForFunction((n) => window.lineageView.cy.nodes().length >= n, before);
    await page.waitForSelector('#details[data-key="stg.orders"]');
  });

  await step("switching layouts moves the nodes", async () => {
    let previous = await positions();
    for (const name of ["cose", "cose-bilkent", "grid", "concentric", "breadthfirst", "dagre"]) {
      await page.selectOption("#layout", name);
      await page.waitForSelector(`body[data-layout="${name}"]`);
      const now = await positions();
      assert.notDeepEqual(now, previous, `layout ${name} moved the nodes`);
      previous = now;
    }
  });

  await step("clicking a node shows its details and impact", async () => {
    const rendered = await page.evaluate(() => {
      const node = window.lineageView.cy.nodes().filter((n) => n.data("key") === "mart.customer_ltv");
      const box = window.lineageView.cy.container().getBoundingClientRect();
      const p = node.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(rendered.x, rendered.y);
    await page.waitForSelector('#details[data-key="mart.customer_ltv"]');
    const impact = await page.textContent('[data-testid="impact-total"]');
    assert.match(impact, /^[1-9]\d* downstream assets affected/);
  });

  await step("an inferred edge can be approved", async () => {
    // An inferred edge of the clicked asset that is drawn, so that its colour can change.
    const edgeId = await page.evaluate(() => [...document.querySelectorAll(
      '[data-testid="edges"] button[data-action="approve"]')]
      .map((b) => b.closest("li").dataset.edgeId)
      .find((id) => window.lineageView.cy.getElementById("e" + id).nonempty()));
    assert.ok(edgeId, "a drawn inferred edge with an Approve button");
    const button = page.locator(`li[data-edge-id="${edgeId}"] button[data-action="approve"]`);
    const colour = await page.evaluate((id) =>
      window.lineageView.cy.getElementById("e" + id).style("line-color"), edgeId);
    const before = await page.evaluate((id) => fetch(`/api/v1/edges/${id}`).then((r) => r.json()),
      edgeId);
    assert.equal(before.lineage_source, "inferred");
    assert.ok([before.source, before.target].includes("mart.customer_ltv"),
      "the approve button belongs to an edge of the clicked asset");
    await button.click();
    await page.waitForSelector(`body[data-reviewed="approve:${edgeId}"]`);
    const edge = await page.evaluate((id) => fetch(`/api/v1/edges/${id}`).then((r) => r.json()),
      edgeId);
    assert.equal(edge.lineage_source, "approved");
    assert.equal(edge.reviewed_by, "e2e-steward", "the reviewer is the token's user");
    await page.waitForFunction((id) => {
      const e = window.lineageView.cy.getElementById("e" + id);
      return e.nonempty() && e.data("lineage_source") === "approved";
    }, edgeId);
    const after = await page.evaluate((id) =>
      window.lineageView.cy.getElementById("e" + id).style("line-color"), edgeId);
    assert.notEqual(after, colour, "the approved edge is drawn in the approved colour");
  });

  await step("a job's run state shows on its node and in the details", async () => {
    // An OpenLineage client reports a job that reads mart.customer_ltv: it starts, then fails.
    const send = (eventType, eventTime) => page.evaluate((ev) => fetch("/api/v1/lineage", {
      method: "POST", body: JSON.stringify(ev), headers: { "content-type": "application/json",
        authorization: `Bearer ${sessionStorage.getItem("lineage.token")}` },
    }).then((r) => r.status), {
      eventType, eventTime, producer: "https://example.com/e2e",
      run: { runId: "0193a5f0-7e2e-7000-8000-000000000001" },
      job: { namespace: "airflow", name: "export.customer_ltv" },
      inputs: [{ namespace: "postgres://wh:5432", name: "mart.customer_ltv" }],
    });
    assert.equal(await send("START", "2026-12-05T10:00:00Z"), 201);
    assert.equal(await send("FAIL", "2026-12-05T10:01:30Z"), 201);
    // The event stream reports these changes and the page redraws: let that happen first
    // (the stream wakes at once on this process's commits), so nothing moves under the click.
    await page.waitForTimeout(1000);
    await page.waitForSelector("body:not([data-busy])");
    await page.evaluate(() => window.lineageView.loadRoot("mart.customer_ltv"));
    await page.waitForSelector('body[data-root="mart.customer_ltv"][data-jobs="decorated"]:not([data-busy])');
    const job = await page.evaluate(() => {
      const n = window.lineageView.cy.nodes().filter((x) => x.data("key") === "airflow/export.customer_ltv");
      return n.nonempty() && { state: n.data("state"), label: n.data("label"),
        ring: n.style("border-color") };
    });
    assert.ok(job, "the job is drawn as a node");
    assert.equal(job.state, "failed");
    assert.match(job.label, /\(failed\)$/);
    assert.equal(job.ring, "rgb(220,38,38)", "a failed job has a red ring");
    // Click where the node is once the layout has settled (on a loaded machine its animation
    // may still be moving the node when the click is aimed); aim again if the click missed.
    const where = () => page.evaluate(() => {
      const node = window.lineageView.cy.nodes().filter((n) => n.data("key") === "airflow/export.customer_ltv");
      const box = window.lineageView.cy.container().getBoundingClientRect();
      const p = node.renderedPosition();
      return { x: Math.round(box.left + p.x), y: Math.round(box.top + p.y) };
    });
    for (let attempt = 0; ; attempt++) {
      let rendered = await where();
      for (let still = 0; still < 20; still++) {
        await page.waitForTimeout(150);
        const next = await where();
        if (next.x === rendered.x && next.y === rendered.y) break;
        rendered = next;
      }
      await page.mouse.click(rendered.x, rendered.y);
      try {
        await page.waitForSelector('#details[data-key="airflow/export.customer_ltv"]',
          { timeout: attempt < 4 ? 5000 : 30000 });
        break;
      } catch (e) {
        if (attempt >= 4) throw e;
      }
    }
    assert.equal(await page.textContent('#details p [data-testid="run-state"]'), "failed");
    const runs = await page.textContent('[data-testid="runs"]');
    assert.match(runs, /failed.*1 min 30 s/s);
  });

  await step("a viewer's token is refused a review, in plain words", async () => {
    await page.fill("#token", viewerToken);
    await page.click("#token-form button[type=submit]");
    const pending = await page.evaluate(() => fetch("/api/v1/edges/pending").then((r) => r.json()));
    const edge = pending.items[0];
    assert.ok(edge, "an inferred edge waiting for review");
    await page.evaluate((key) => window.lineageView.showAsset(key), edge.source);
    await page.click(`li[data-edge-id="${edge.id}"] button[data-action="approve"]`);
    await page.waitForSelector("#error:not([hidden])");
    const message = await page.textContent("#error");
    assert.match(message, /^Not allowed: e2e-viewer's token has role viewer, which may not approve and reject edges/);
    assert.ok(!message.includes(viewerToken), "the token is not shown");
    const after = await page.evaluate((id) => fetch(`/api/v1/edges/${id}`).then((r) => r.json()), edge.id);
    assert.equal(after.lineage_source, "inferred", "nothing was changed");
    // the refusal was expected: keep it out of the page-error check below
    for (let i = pageErrors.length - 1; i >= 0; i--) {
      if (/\b403\b/.test(pageErrors[i])) pageErrors.splice(i, 1);
    }
    await page.fill("#token", stewardToken);
    await page.click("#token-form button[type=submit]");
  });

  const shot = async (name) => {
    const path = join(dirname(screenshot), `web-${name}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path });
    console.log(`screenshot: ${path}`);
  };
  const tap = async (id) => {
    await page.waitForFunction((nodeId) => window.lineageView.cy.getElementById(nodeId).nonempty(), id);
    const p = await page.evaluate((nodeId) => {
      const { cy } = window.lineageView;
      const n = cy.getElementById(nodeId);
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + n.renderedPosition("x"), y: box.top + n.renderedPosition("y") };
    }, id);
    await page.mouse.click(p.x, p.y);
  };
  // Bulk rows through the import route, as any client would send them.
  const importCsv = (csv) => page.evaluate((text) => {
    const form = new FormData();
    form.append("file", new Blob([text], { type: "text/csv" }), "rows.csv");
    return fetch("/api/v1/import/execute", { method: "POST", body: form,
      headers: { authorization: `Bearer ${sessionStorage.getItem("lineage.token")}` } })
      .then((r) => r.json().then((body) => ({ status: r.status, body })));
  }, csv);

  await step("a hub of 730 neighbours is drawn as 12 of them and one group per kind", async () => {
    const rows = ["source,target,source_kind,target_kind"];
    for (let i = 1; i <= 700; i += 1) rows.push(`hub.events,raw.t${String(i).padStart(4, "0")},table,table`);
    for (let i = 1; i <= 30; i += 1) rows.push(`hub.events,bi.d${String(i).padStart(2, "0")},table,dashboard`);
    const result = await importCsv(rows.join("\n") + "\n");
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.equal(result.body.created.edges, 730);
    await page.evaluate(() => window.lineageView.loadRoot("hub.events"));
    await page.waitForSelector('body[data-root="hub.events"][data-layout="dagre"]');
    const drawn = await page.evaluate(() => {
      const { cy } = window.lineageView;
      return { nodes: cy.nodes().length, groups: cy.nodes("[part = 'group']").map((n) => n.data("label")).sort() };
    });
    assert.deepEqual(drawn.groups, ["+18 dashboards", "+700 tables"]);
    assert.ok(drawn.nodes <= 1 + 12 + 2, `at most root, 12 neighbours and 2 groups drawn, got ${drawn.nodes}`);
    const readable = await page.evaluate(() => window.lineageView.cy.zoom());
    assert.ok(readable >= 0.6, `labels stay readable (zoom ${readable})`);
  });

  await step("a group lists its members by page, filters them, and draws the one picked", async () => {
    const id = await page.evaluate(() =>
      window.lineageView.cy.nodes("[part = 'group'][kind = 'table']").id());
    await tap(id);
    await page.waitForSelector('#details[data-group-page="1/47:"]');
    assert.match(await page.textContent("#details h2"), /^700 tables downstream of hub\.events$/);
    assert.equal(await page.locator('[data-testid="group-members"] li').count(), 15);
    assert.equal(await page.getAttribute('[data-testid="group-members"] li:first-child', "data-key"), "raw.t0001");
    await page.click('#details button[data-action="next"]');
    await page.waitForSelector('#details[data-group-page="2/47:"]');
    assert.equal(await page.getAttribute('[data-testid="group-members"] li:first-child', "data-key"), "raw.t0016");
    await page.fill("#group-filter", "t069");
    await page.waitForSelector('#details[data-group-page="1/1:t069"]');
    assert.equal(await page.locator('[data-testid="group-members"] li').count(), 10);
    await page.click('[data-testid="group-members"] li[data-key="raw.t0693"] button');
    await page.waitForSelector('body[data-picked="raw.t0693"]');
    const after = await page.evaluate(() => {
      const { cy } = window.lineageView;
      const n = cy.nodes().filter((x) => x.data("key") === "raw.t0693");
      return { drawn: n.nonempty() && n.incomers("node").data("key"),
        label: cy.nodes("[part = 'group'][kind = 'table']").data("label") };
    });
    assert.equal(after.drawn, "hub.events");
    assert.equal(after.label, "+699 tables");
    assert.ok(await page.isDisabled('[data-testid="group-members"] li[data-key="raw.t0693"] button'));
    await shot("hub");
  });

  await step("a table expands into its columns, with column-level edges between them", async () => {
    const put = (key, body) => page.evaluate(([k, b]) => fetch(`/api/v1/assets/${k}`, {
      method: "PUT", body: JSON.stringify(b), headers: { "content-type": "application/json",
        authorization: `Bearer ${sessionStorage.getItem("lineage.token")}` },
    }).then((r) => r.status), [key, body]);
    for (const c of ["order_id", "customer_id", "amount"]) {
      assert.equal(await put(`stg.orders.${c}`, { kind: "column", parent: "stg.orders" }), 201);
    }
    const rows = ["source,target,lineage_source,confidence",
      "pg.shop.orders.id,stg.orders.order_id,manual,", "pg.shop.orders.amount,stg.orders.amount,inferred,0.6",
      "pg.shop.orders.customer_id,stg.orders.customer_id,approved,"];
    const result = await importCsv(rows.join("\n") + "\n");
    assert.equal(result.status, 200, JSON.stringify(result.body));
    // Set without a change event (a later click elsewhere would commit it: a second redraw).
    await page.evaluate(() => { document.getElementById("depth").value = "1"; });
    await page.evaluate(() => window.lineageView.loadRoot("stg.orders"));
    await page.waitForSelector('#details[data-key="stg.orders"] button[data-action="columns"]');
    assert.equal(await page.textContent('#details button[data-action="columns"]'), "Show columns");
    await page.click('#details button[data-action="columns"]');
    await page.waitForSelector('body[data-expanded="stg.orders"]');
    // Not expanded yet: the edges of stg.orders' columns end at the table pg.shop.orders.
    const rolled = await page.evaluate(() => window.lineageView.cy.edges("[part = 'column']")
      .map((e) => e.source().data("key")));
    assert.deepEqual(rolled, ["pg.shop.orders", "pg.shop.orders", "pg.shop.orders"]);
    const id = await page.evaluate(() => window.lineageView.cy.nodes()
      .filter((n) => n.data("key") === "pg.shop.orders").id());
    await tap(id);
    await page.waitForSelector('#details[data-key="pg.shop.orders"] button[data-action="columns"]');
    await page.click('#details button[data-action="columns"]');
    await page.waitForSelector('body[data-expanded="pg.shop.orders stg.orders"]');
    await page.waitForSelector('#details[data-key="pg.shop.orders"] button[data-action="columns"]:text("Hide columns")');
    const drawn = await page.evaluate(() => {
      const { cy } = window.lineageView;
      const inside = (key) => cy.nodes().filter((n) => n.data("key") === key).children()
        .map((c) => c.data("label")).sort();
      return { src: inside("pg.shop.orders"), dst: inside("stg.orders"),
        edges: cy.edges("[part = 'column']").map((e) => `${e.source().data("key")}>${e.target().data("key")}`).sort(),
        overlap: cy.nodes("[part = 'column']").some((a) => cy.nodes("[part = 'column']").some((b) => {
          if (a.same(b)) return false;
          const p = a.boundingBox(), q = b.boundingBox();
          return p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2;
        })) };
    });
    assert.deepEqual(drawn.src, ["amount", "customer_id", "id", "ordered_at"]);
    assert.deepEqual(drawn.dst, ["amount", "customer_id", "order_id"]);
    assert.deepEqual(drawn.edges, ["pg.shop.orders.amount>stg.orders.amount",
      "pg.shop.orders.customer_id>stg.orders.customer_id", "pg.shop.orders.id>stg.orders.order_id"]);
    assert.equal(drawn.overlap, false, "columns do not overlap");
    await shot("columns");
    await page.click('#details button[data-action="columns"]');
    await page.waitForSelector('body[data-expanded="stg.orders"]');
    assert.equal(await page.evaluate(() => window.lineageView.cy.nodes()
      .filter((n) => n.data("key") === "pg.shop.orders").children().length), 0);
  });

  await step("the review queue approves and rejects several edges at once", async () => {
    const pending = () => page.evaluate(() => fetch("/api/v1/edges/pending?limit=1000")
      .then((r) => r.json()).then((b) => b.items.map((e) => [e.id, e.confidence])));
    const before = await pending();
    assert.ok(before.length >= 4, "inferred edges wait for review");
    await page.click("#review-link");
    await page.waitForSelector(`#review[data-count="${before.length}"]`);
    assert.ok(await page.isHidden("main"), "the graph gives its place to the queue");
    const listed = await page.$$eval("#review tbody tr", (rows) => rows.map((r) => Number(r.dataset.edgeId)));
    assert.deepEqual(listed, before.map(([id]) => id));
    const shown = await page.$$eval("#review tbody td.num", (cells) => cells.map((c) => parseInt(c.textContent, 10)));
    assert.deepEqual(shown, [...shown].sort((a, b) => a - b), "least confident first");
    assert.ok(await page.isDisabled('button[data-action="approve-selected"]'), "nothing selected yet");
    const [a, b, c] = listed;
    for (const id of [a, b]) await page.check(`#review tr[data-edge-id="${id}"] input`);
    assert.equal(await page.textContent('[data-testid="review-selected"]'), "2 selected");
    await page.fill("#review-comment", "checked with the owners");
    await shot("review");
    await page.click('button[data-action="approve-selected"]');
    await page.waitForSelector(`body[data-reviewed="approve:${a},${b}"]`);
    await page.waitForSelector(`#review[data-count="${before.length - 2}"]`);
    assert.equal(await page.textContent('[data-testid="review-note"]'), "Approved 2 edges.");
    await page.check(`#review tr[data-edge-id="${c}"] input`);
    await page.click('button[data-action="reject-selected"]');
    await page.waitForSelector(`#review[data-count="${before.length - 3}"]`);
    const edge = (id) => page.evaluate((x) => fetch(`/api/v1/edges/${x}`).then((r) => r.json()), id);
    for (const id of [a, b]) {
      const e = await edge(id);
      assert.equal(e.lineage_source, "approved");
      assert.equal(e.reviewed_by, "e2e-steward", "the reviewer is the token's user");
      assert.equal(e.review_comment, "checked with the owners");
    }
    assert.equal((await edge(c)).status, "rejected");
    assert.deepEqual((await pending()).map(([id]) => id), listed.slice(3));
    await page.click("#review-link");
    await page.waitForFunction(() => !document.querySelector("main").hidden);
  });

  await step("a file is checked, its row errors shown in plain words, then imported or cancelled", async () => {
    const count = () => page.evaluate(() => fetch("/api/v1/assets?search=imp&size=1").then((r) => r.json()).then((b) => b.total));
    const before = await count();
    await page.click("#import-link");
    await page.waitForSelector("#import:not([hidden])");
    const bad = ["source,target,lineage_source,confidence",
      "imp.a,imp.b,manual,", "imp.a,imp.c,inferred,high", "imp.b,,manual,", "imp.c,imp.d,guessed,"].join("\n");
    await page.setInputFiles("#import-file", { name: "edges.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.check("#import-create-missing");
    await page.click('button[data-action="check"]');
    await page.waitForSelector('#import-report[data-state="checked"]');
    assert.match(await page.textContent('[data-testid="import-summary"]'), /^4 rows \(csv\): 1 valid, 3 invalid\./);
    const errors = await page.$$eval('[data-testid="import-errors"] tbody tr', (rows) =>
      rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(errors.map((e) => e[0]), ["3", "4", "5"], "rows numbered as the file's lines");
    assert.deepEqual(errors.map((e) => e[1]), ["confidence", "target", "lineage_source"]);
    for (const [, , , message] of errors) {
      assert.match(message, /^Row \d/, "a message a person can read");
      assert.doesNotMatch(message, /lineage_[a-z_]+\(|LINEAGE_E/, "no C names");
    }
    assert.match(errors[0][3], /high/);
    assert.doesNotMatch(await page.textContent("#import-report"), /null|undefined|NaN/);
    await shot("import");
    await page.click('button[data-action="cancel"]');
    await page.waitForSelector('#import-report[data-state="cancelled"]');
    assert.equal(await count(), before, "a cancelled import writes nothing");
    const yaml = ["- {key: imp.orders, kind: table, owner: sales}",
      "- key: imp.orders_daily", "  kind: view", "  tags: [gold]", ""].join("\n");
    await page.setInputFiles("#import-file", { name: "assets.yaml", mimeType: "application/yaml", buffer: Buffer.from(yaml) });
    await page.click('button[data-action="check"]');
    await page.waitForSelector('#import-report[data-state="checked"]');
    assert.match(await page.textContent('[data-testid="import-summary"]'), /^2 rows \(yaml\): 2 valid, 0 invalid\. Importing would create 2 assets/);
    assert.equal(await count(), before, "a check writes nothing");
    await page.click('button[data-action="commit"]');
    await page.waitForSelector('#import-report[data-state="committed"]');
    assert.match(await page.textContent('[data-testid="import-done"]'), /^Imported: created 2 assets/);
    const view = await page.evaluate(() => fetch("/api/v1/assets/imp.orders_daily").then((r) => r.json()));
    assert.equal(view.kind, "view");
    assert.deepEqual(view.tags, ["gold"]);
    await page.click("#import-link");
    await page.waitForFunction(() => !document.querySelector("main").hidden);
  });

  const idOf = (key) => page.evaluate((k) => window.lineageView.cy.nodes()
    .filter((n) => n.data("key") === k && !n.data("part")).id(), key);

  await step("the path between two assets is highlighted", async () => {
    // Set without a change event (a later click elsewhere would commit it: a second redraw).
    await page.evaluate(() => { document.getElementById("depth").value = "3"; });
    await page.evaluate(() => window.lineageView.loadRoot("stg.orders"));
    await page.waitForSelector('#details[data-key="stg.orders"] button[data-action="path-from"]');
    await tap(await idOf("pg.shop.orders"));
    await page.waitForSelector('#details[data-key="pg.shop.orders"] button[data-action="path-from"]');
    await page.click('button[data-action="path-from"]');
    await tap(await idOf("bi.revenue"));
    await page.waitForSelector('#details[data-key="bi.revenue"] button[data-action="path-to"]');
    await page.click('button[data-action="path-to"]');
    await page.waitForSelector("body[data-path]");
    assert.equal(await page.getAttribute("body", "data-root"), "stg.orders", "taps on two nodes are no double tap");
    assert.equal(await page.getAttribute("body", "data-path"),
      "pg.shop.orders>stg.orders>mart.revenue_daily>bi.revenue");
    const lit = await page.evaluate(() => {
      const { cy } = window.lineageView;
      return { nodes: cy.nodes(".on-path").map((n) => n.data("key")).sort(),
        edges: cy.edges(".on-path").length, faded: cy.nodes(".faded").length,
        colour: cy.edges(".on-path").style("line-color") };
    });
    assert.deepEqual(lit.nodes, ["bi.revenue", "mart.revenue_daily", "pg.shop.orders", "stg.orders"]);
    assert.equal(lit.edges, 3);
    assert.ok(lit.faded > 0, "the rest is faded");
    assert.equal(lit.colour, "rgb(245,158,11)");
    await shot("path");
  });

  await step("cose-bilkent lays out tables expanded into columns without overlaps", async () => {
    await page.selectOption("#layout", "cose-bilkent");
    await page.waitForSelector('body[data-layout="cose-bilkent"]');
    const overlaps = await page.evaluate(() => {
      const { cy } = window.lineageView;
      const top = cy.nodes().filter((n) => n.isOrphan());
      const hit = [];
      top.forEach((a) => top.forEach((b) => {
        if (a.id() >= b.id()) return;
        const p = a.boundingBox({ includeLabels: false }), q = b.boundingBox({ includeLabels: false });
        if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) hit.push(`${a.id()}/${b.id()}`);
      }));
      return { hit, expanded: cy.nodes(":parent").length };
    });
    assert.equal(overlaps.expanded, 1, "stg.orders is still expanded into its columns");
    assert.deepEqual(overlaps.hit, []);
    await shot("cose-bilkent");
  });

  await step("a change from the event stream is drawn without losing the user's place", async () => {
    const before = await page.evaluate(() => {
      const { cy } = window.lineageView;
      return { zoom: cy.zoom(), pan: cy.pan(), at: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])),
        live: Number(document.body.dataset.live || 0) };
    });
    const status = await page.evaluate(() => fetch("/api/v1/lineage", { method: "POST",
      headers: { "content-type": "application/json",
        authorization: `Bearer ${sessionStorage.getItem("lineage.token")}` },
      body: JSON.stringify({ source: "mart.revenue_daily", target: "bi.finance_kpis", create_missing: true }),
    }).then((r) => r.status));
    assert.equal(status, 201);
    await page.waitForFunction((n) => Number(document.body.dataset.live || 0) > n &&
      (document.body.dataset.fresh || "").split(" ").includes("bi.finance_kpis"), before.live);
    const after = await page.evaluate(() => {
      const { cy } = window.lineageView;
      return { zoom: cy.zoom(), pan: cy.pan(), at: Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])),
        details: document.getElementById("details").dataset.key, path: document.body.dataset.path };
    });
    assert.equal(after.zoom, before.zoom);
    assert.deepEqual(after.pan, before.pan);
    for (const [id, p] of Object.entries(before.at)) assert.deepEqual(after.at[id], p, `${id} stayed in place`);
    assert.equal(after.details, "bi.revenue", "the details pane is kept");
    assert.equal(after.path, "pg.shop.orders>stg.orders>mart.revenue_daily>bi.revenue", "the path stays lit");
    await shot("live");
  });

  await step("no page errors and nothing loaded from elsewhere", async () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(foreign, []);
  });

  await page.selectOption("#layout", "dagre");
  await page.waitForSelector('body[data-layout="dagre"]');
  mkdirSync(dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
});
