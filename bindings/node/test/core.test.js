'use strict';
// The core of the binding: open, assets, edges, traversals, close, and the error classes.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { lineage, tmpDir, warehouse, keys } = require('./helpers');

test('open() defaults to a private in-memory database',
  { skip: process.env.LINEAGE_TEST_BACKEND === 'postgres' && 'about SQLite\'s :memory: itself' }, () => {
  const g = lineage.open();
  assert.ok(g instanceof lineage.Graph);
  assert.equal(g.filename, ':memory:');
  assert.equal(g.closed, false);
  g.close();
  assert.equal(g.closed, true);
});

test('version() is the library version', () => {
  assert.match(lineage.version(), /^\d+\.\d+\.\d+/);
});

test('addAsset creates, updates and leaves unchanged', () => {
  const g = lineage.open();
  const a = g.addAsset({ key: 'wh.sales.orders', kind: 'table', owner: 'sales', tags: ['pii', 'gold'],
    description: 'one row per order', properties: { rows: 10 } });
  assert.equal(a.outcome, 'created');
  assert.equal(typeof a.id, 'number');
  assert.equal(a.key, 'wh.sales.orders');
  assert.equal(a.kind, 'table');
  assert.equal(a.owner, 'sales');
  assert.deepEqual([...a.tags].sort(), ['gold', 'pii']);
  assert.deepEqual(a.properties, { rows: 10 });
  assert.equal(g.addAsset({ key: 'wh.sales.orders', kind: 'table' }).outcome, 'unchanged');
  const b = g.addAsset({ key: 'wh.sales.orders', kind: 'table', owner: 'finance' });
  assert.equal(b.outcome, 'updated');
  assert.equal(b.id, a.id);
  assert.equal(g.getAsset('wh.sales.orders').owner, 'finance');
  g.close();
});

test('getAsset returns the stored asset and throws NotFoundError for an unknown key', () => {
  const { graph: g } = warehouse();
  const a = g.getAsset('raw.orders.amount');
  assert.equal(a.kind, 'column');
  assert.equal(a.parent, 'raw.orders');
  assert.equal(g.hasAsset('raw.orders'), true);
  assert.equal(g.hasAsset('nope'), false);
  assert.throws(() => g.getAsset('no.such.table'), (e) => {
    assert.ok(e instanceof lineage.NotFoundError);
    assert.ok(e instanceof lineage.LineageError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'ENOTFOUND');
    assert.equal(e.errno, -3);
    assert.match(e.message, /no\.such\.table/);
    return true;
  });
  g.close();
});

test('removeAsset removes it and its edges; cascade for containers', () => {
  const { graph: g } = warehouse();
  assert.throws(() => g.removeAsset('raw.orders'), { code: 'ECONFLICT', name: 'ConflictError' });
  g.removeAsset('raw.orders', { cascade: true });
  assert.equal(g.hasAsset('raw.orders'), false);
  assert.equal(g.hasAsset('raw.orders.amount'), false);
  assert.deepEqual(keys(g.upstream('stg.orders')), ['stg.orders']);
  assert.throws(() => g.removeAsset('raw.orders'), { code: 'ENOTFOUND' });
  g.close();
});

test('addEdge returns the edge with its id, and is idempotent', () => {
  const g = lineage.open();
  const e = g.addEdge({ source: 'a.t1', target: 'a.t2', createMissing: true, transformation: 'insert into t2 select * from t1' });
  assert.equal(typeof e.id, 'number');
  assert.equal(e.outcome, 'created');
  assert.equal(e.source, 'a.t1');
  assert.equal(e.target, 'a.t2');
  assert.equal(e.kind, 'flow');
  assert.equal(e.lineage_source, 'manual');
  assert.equal(e.confidence, 1);
  assert.equal(e.status, 'active');
  assert.equal(e.transformation, 'insert into t2 select * from t1');
  const again = g.addEdge({ source: 'a.t1', target: 'a.t2' });
  assert.equal(again.id, e.id);
  assert.equal(again.outcome, 'unchanged');
  assert.equal(g.getAsset('a.t1').kind, 'unknown');
  assert.deepEqual(g.getEdge(e.id).id, e.id);
  assert.equal(g.findEdge('a.t1', 'a.t2').id, e.id);
  g.close();
});

test('addEdge with an inferred source and confidence', () => {
  const g = lineage.open();
  const e = g.addEdge({ source: 'x', target: 'y', lineageSource: 'inferred', confidence: 0.4, createMissing: true,
    sourceKind: 'table', targetKind: 'view' });
  assert.equal(e.lineage_source, 'inferred');
  assert.equal(e.confidence, 0.4);
  assert.equal(g.getAsset('y').kind, 'view');
  g.close();
});

test('addEdge on unknown assets fails unless createMissing', () => {
  const g = lineage.open();
  assert.throws(() => g.addEdge({ source: 'nowhere.a', target: 'nowhere.b' }), (e) => {
    assert.equal(e.code, 'ENOTFOUND');
    assert.match(e.message, /nowhere\.a/);
    return true;
  });
  g.close();
});

test('addEdge refuses a self-loop and bad confidence with ValidationError', () => {
  const g = lineage.open();
  g.addAsset({ key: 't', kind: 'table' });
  assert.throws(() => g.addEdge({ source: 't', target: 't' }), (e) => {
    assert.ok(e instanceof lineage.ValidationError);
    assert.equal(e.code, 'EINVALID');
    assert.ok(Array.isArray(e.errors) && e.errors.length >= 1);
    assert.equal(typeof e.errors[0].message, 'string');
    return true;
  });
  assert.throws(() => g.addEdge({ source: 't', target: 'u', confidence: 1.5, createMissing: true }),
    { code: 'EINVALID', name: 'ValidationError' });
  assert.throws(() => g.addEdge({ source: 't', target: 'u', lineageSource: 'rumour', createMissing: true }),
    (e) => e.code === 'EINVALID' && /inferred/.test(e.message));
  g.close();
});

test('downstream and upstream in the CLI JSON shape', () => {
  const { graph: g } = warehouse();
  const down = g.downstream('raw.orders');
  assert.equal(down.root, 'raw.orders');
  assert.equal(down.direction, 'downstream');
  assert.deepEqual(keys(down), ['dash.sales', 'mart.revenue', 'raw.orders', 'stg.orders']);
  const root = down.nodes.find((n) => n.key === 'raw.orders');
  assert.equal(root.distance, 0);
  assert.equal(down.nodes.find((n) => n.key === 'dash.sales').distance, 3);
  assert.equal(down.nodes.find((n) => n.key === 'mart.revenue').kind, 'table');
  for (const e of down.edges) {
    assert.equal(typeof e.source, 'string');
    assert.equal(typeof e.target, 'string');
    assert.equal(typeof e.kind, 'string');
    assert.equal(typeof e.lineage_source, 'string');
    assert.equal(typeof e.confidence, 'number');
  }
  assert.equal(down.edges.length, 3);

  const up = g.upstream('dash.sales', { depth: 2 });
  assert.equal(up.direction, 'upstream');
  assert.deepEqual(keys(up), ['dash.sales', 'mart.revenue', 'stg.customers', 'stg.orders']);
  assert.deepEqual(keys(g.upstream('dash.sales')),
    ['dash.sales', 'mart.revenue', 'raw.customers', 'raw.orders', 'stg.customers', 'stg.orders']);
  g.close();
});

test('traversal filters: minSource, depth, maxNodes, cytoscape format', () => {
  const { graph: g } = warehouse();
  assert.deepEqual(keys(g.upstream('mart.revenue', { minSource: 'manual' })),
    ['mart.revenue', 'raw.orders', 'stg.orders']);
  assert.deepEqual(keys(g.downstream('raw.orders', { depth: 1 })), ['raw.orders', 'stg.orders']);
  assert.deepEqual(keys(g.downstream('raw.orders', { depth: Infinity })),
    ['dash.sales', 'mart.revenue', 'raw.orders', 'stg.orders']);
  const cy = g.downstream('raw.orders', { format: 'cytoscape' });
  assert.ok(Array.isArray(cy.elements.nodes));
  assert.ok(cy.elements.nodes.every((n) => typeof n.data === 'object'));
  g.close();
});

test('traversal of an unknown asset throws ENOTFOUND', () => {
  const g = lineage.open();
  assert.throws(() => g.downstream('missing'), { code: 'ENOTFOUND', name: 'NotFoundError' });
  assert.throws(() => g.upstream('missing'), lineage.NotFoundError);
  g.close();
});

test('a file database keeps its data across close and open', () => {
  const file = path.join(tmpDir(), 'lineage.db');
  const g = lineage.open(file);
  g.addEdge({ source: 'a', target: 'b', createMissing: true });
  g.close();
  assert.ok(fs.existsSync(file));
  const h = lineage.open(file, { readonly: true });
  assert.deepEqual(keys(h.downstream('a')), ['a', 'b']);
  assert.throws(() => h.addAsset({ key: 'c', kind: 'table' }), { code: 'EREADONLY' });
  h.close();
});

test('open() errors: not a database, missing file without create', () => {
  const dir = tmpDir();
  const junk = path.join(dir, 'junk.db');
  fs.writeFileSync(junk, 'this is not a database, just some text that is long enough to look at'.repeat(20));
  assert.throws(() => lineage.open(junk), (e) => e instanceof lineage.LineageError && e.code === 'ENOTDB');
  assert.throws(() => lineage.open(path.join(dir, 'absent.db'), { create: false }), { code: 'ENOTFOUND' });
  assert.equal(fs.existsSync(path.join(dir, 'absent.db')), false);
});

test('a closed graph throws on every use, and close() twice is fine', () => {
  const { graph: g } = warehouse();
  g.close();
  g.close();
  for (const call of [() => g.getAsset('raw.orders'), () => g.downstream('raw.orders'),
    () => g.addAsset({ key: 'k', kind: 'table' }), () => g.addEdge({ source: 'a', target: 'b' }),
    () => g.stats(), () => g.search('orders')]) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof lineage.LineageError);
      assert.equal(e.code, 'EUSAGE');
      assert.match(e.message, /closed/);
      return true;
    });
  }
});

test('traversal objects are built exactly as the library JSON says (LINEAGE_NODE_VIA_JSON=1)', () => {
  const { spawnSync } = require('child_process');
  const file = path.join(tmpDir(), 'shape.db');
  const { graph: g } = warehouse(lineage.open(file));
  g.addEdge({ source: 'raw.customers', target: 'raw.orders', lineageSource: 'inferred', confidence: 0.3 });
  g.addEdge({ source: 'dash.sales', target: 'raw.customers', lineageSource: 'inferred', confidence: 0.9 }); // a cycle
  const queries = [['downstream', 'raw.customers', {}], ['upstream', 'dash.sales', { depth: 2 }],
    ['lineage', 'mart.revenue', {}], ['downstream', 'raw.orders', { maxNodes: 2 }]];
  const direct = queries.map(([m, k, o]) => g[m](k, o));
  g.close();
  const script = `const l = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const g = l.open(${JSON.stringify(file)});
    const q = ${JSON.stringify(queries)};
    process.stdout.write(JSON.stringify(q.map(([m, k, o]) => g[m](k, o))));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, LINEAGE_NODE_VIA_JSON: '1' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(direct, JSON.parse(r.stdout));
  assert.ok(direct[0].nodes.some((n) => n.confidence !== 1 && n.confidence !== 0));
  assert.equal(direct[3].truncated, true);
});

test('edges() lists the edges of an asset; removeEdge() deletes one', () => {
  const { graph: g, edges } = warehouse();
  const both = g.edges('mart.revenue');
  assert.deepEqual(both.edges.map((e) => e.id).sort((a, b) => a - b),
    [edges.ordersMart.id, edges.customersMart.id, edges.martDash.id].sort((a, b) => a - b));
  assert.deepEqual(g.edges('mart.revenue', { direction: 'out' }).edges.map((e) => e.target), ['dash.sales']);
  assert.equal(g.edges('mart.revenue', { direction: 'in' }).edges.length, 2);
  assert.throws(() => g.edges('mart.revenue', { direction: 'sideways' }), { code: 'EINVALID' });
  g.reject(edges.martDash.id, { by: 'bo' });
  assert.equal(g.edges('mart.revenue', { direction: 'out' }).edges.length, 0);
  assert.equal(g.edges('mart.revenue', { direction: 'out', all: true }).edges[0].status, 'rejected');
  g.removeEdge(edges.ordersMart.id);
  assert.throws(() => g.getEdge(edges.ordersMart.id), { code: 'ENOTFOUND' });
  assert.throws(() => g.removeEdge(edges.ordersMart.id), { code: 'ENOTFOUND' });
  assert.deepEqual(keys(g.upstream('mart.revenue')), ['mart.revenue', 'raw.customers', 'stg.customers']);
  assert.throws(() => g.edges('nowhere'), { code: 'ENOTFOUND' });
  g.close();
});

test('new Graph() is lineage.open(); Symbol.dispose closes it', () => {
  const g = new lineage.Graph();
  assert.equal(g.filename, ':memory:');
  g.addAsset({ key: 'a', kind: 'table' });
  if (typeof Symbol.dispose === 'symbol') {
    g[Symbol.dispose]();
    assert.equal(g.closed, true);
  } else {
    g.close();
  }
});

test('maxStalenessMs: a reader that skips the per-query check still learns of commits', async () => {
  assert.throws(() => lineage.open(':memory:', { maxStalenessMs: -1 }), /maxStalenessMs/);
  const onPg = process.env.LINEAGE_TEST_BACKEND === 'postgres';
  const where = onPg ? process.env.LINEAGE_TEST_PG : path.join(tmpDir(), 'shared.db');
  const options = onPg ? { pgSchema: `node_stale_${process.pid}_${Date.now()}` } : {};
  const writer = lineage.open(where, options);
  // an hour: in PostgreSQL only the writer's notification can tell the reader in time
  const reader = lineage.open(where, { ...options, maxStalenessMs: 3600 * 1000 });
  writer.addAsset({ key: 'raw.orders', kind: 'table' });
  writer.addAsset({ key: 'stg.orders', kind: 'table' });
  writer.addEdge({ source: 'raw.orders', target: 'stg.orders' });
  assert.equal(reader.downstream('raw.orders').nodes.length, 2);
  writer.addAsset({ key: 'mart.sales', kind: 'table' });
  writer.addEdge({ source: 'stg.orders', target: 'mart.sales' });
  for (let i = 0; i < 500 && reader.downstream('raw.orders').nodes.length !== 3; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(reader.downstream('raw.orders').nodes.length, 3);
  reader.close();
  writer.close();
});
