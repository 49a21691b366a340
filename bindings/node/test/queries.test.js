'use strict';
// Impact, paths, structure, search, review, history, the change feed, stats, transactions.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');

const { lineage, tmpDir, warehouse, keys } = require('./helpers');

test('impact of a drop lists every downstream asset but the root, with a summary', () => {
  const { graph: g } = warehouse();
  const r = g.impact('raw.orders', { change: 'drop' });
  assert.equal(r.root, 'raw.orders');
  assert.equal(r.change, 'drop');
  const affected = r.affected.map((a) => a.key).sort();
  assert.ok(!affected.includes('raw.orders'));
  for (const k of ['stg.orders', 'mart.revenue', 'dash.sales']) assert.ok(affected.includes(k), k);
  const dash = r.affected.find((a) => a.key === 'dash.sales');
  assert.equal(dash.distance, 3);
  assert.equal(typeof dash.confidence, 'number');
  assert.equal(typeof r.summary, 'object');
  assert.equal(typeof r.summary.total, 'number');
  // The default change is a drop; an unknown one is refused.
  assert.equal(g.impact('raw.orders').change, 'drop');
  assert.throws(() => g.impact('raw.orders', { change: 'explode' }), { code: 'EINVALID' });
  g.close();
});

test('impact follows the lowest confidence on inferred paths', () => {
  const { graph: g } = warehouse();
  const r = g.impact('raw.customers', { change: 'rename' });
  const mart = r.affected.find((a) => a.key === 'mart.revenue');
  assert.ok(Math.abs(mart.confidence - 0.7) < 1e-9);
  g.close();
});

test('path() finds the shortest path, and every simple path with all', () => {
  const { graph: g } = warehouse();
  const p = g.path('raw.orders', 'dash.sales');
  assert.deepEqual(p.paths, [['raw.orders', 'stg.orders', 'mart.revenue', 'dash.sales']]);
  g.addEdge({ source: 'raw.orders', target: 'mart.revenue' });
  const all = g.path('raw.orders', 'dash.sales', { all: true });
  assert.equal(all.paths.length, 2);
  assert.equal(all.paths[0].length, 3); // shortest first
  assert.deepEqual(g.path('dash.sales', 'raw.orders').paths, []);
  assert.throws(() => g.path('raw.orders', 'nowhere'), { code: 'ENOTFOUND' });
  g.close();
});

test('structure: roots, leaves, orphans, subtree, topo, cycles, critical path', () => {
  const { graph: g } = warehouse();
  g.addAsset({ key: 'lonely', kind: 'table' });
  const names = (r) => r.nodes.map((n) => n.key).sort();
  assert.ok(names(g.roots()).includes('raw.orders'));
  assert.ok(names(g.leaves()).includes('dash.sales'));
  assert.ok(names(g.orphans()).includes('lonely'));
  assert.deepEqual(names(g.subtree('raw.orders')).filter((k) => k !== 'raw.orders'), ['raw.orders.amount']);
  const topo = g.topo().nodes.map((n) => n.key);
  assert.ok(topo.indexOf('raw.orders') < topo.indexOf('dash.sales'));
  assert.equal(g.cycles().nodes.length, 0);
  const cp = g.criticalPath().nodes.map((n) => n.key);
  assert.ok(cp.length >= 4);
  g.addEdge({ source: 'dash.sales', target: 'raw.orders' });
  assert.ok(g.cycles().nodes.length >= 4);
  assert.throws(() => g.topo(), { code: 'ECYCLE', name: 'ConflictError' });
  g.close();
});

test('children() lists what an asset contains', () => {
  const { graph: g } = warehouse();
  assert.deepEqual(g.children('raw.orders').results.map((a) => a.key), ['raw.orders.amount']);
  g.close();
});

test('search() finds assets by words, best match first, with filters', () => {
  const { graph: g } = warehouse();
  const r = g.search('orders');
  assert.ok(r.results.length >= 2);
  for (const a of r.results) {
    assert.equal(typeof a.key, 'string');
    assert.equal(typeof a.kind, 'string');
    assert.equal(typeof a.name, 'string');
  }
  assert.equal(g.search('raw.orders').results[0].key, 'raw.orders');
  assert.ok(g.search('orders', { kind: 'column' }).results.every((a) => a.kind === 'column'));
  assert.equal(g.search('orders', { limit: 1 }).results.length, 1);
  assert.equal(g.search('zzzzzz').results.length, 0);
  g.close();
});

test('approve and reject record the reviewer; rejected edges leave queries', () => {
  const { graph: g, edges } = warehouse();
  const pending = g.pendingEdges();
  assert.deepEqual(pending.edges.map((e) => e.id), [edges.customersMart.id]);
  const ok = g.approve(edges.customersMart.id, { by: 'ana', comment: 'checked the job' });
  assert.equal(ok.lineage_source, 'approved');
  assert.equal(ok.confidence, 1);
  assert.equal(ok.reviewed_by, 'ana');
  assert.equal(ok.review_comment, 'checked the job');
  const no = g.reject(edges.martDash.id, { by: 'bo' });
  assert.equal(no.status, 'rejected');
  assert.deepEqual(keys(g.downstream('mart.revenue')), ['mart.revenue']);
  assert.throws(() => g.approve(999999, { by: 'ana' }), { code: 'ENOTFOUND' });
  g.close();
});

test('history lists the changes of an asset, newest first', () => {
  const { graph: g, edges } = warehouse();
  g.approve(edges.customersMart.id, { by: 'ana' });
  const h = g.history('mart.revenue');
  assert.ok(Array.isArray(h.changes));
  assert.ok(h.changes.length >= 3);
  assert.equal(h.changes[0].action, 'approve');
  for (let i = 1; i < h.changes.length; i++) assert.ok(h.changes[i - 1].seq > h.changes[i].seq);
  assert.equal(g.history('mart.revenue', { limit: 1 }).changes.length, 1);
  const eh = g.edgeHistory(edges.customersMart.id);
  assert.deepEqual(eh.changes.map((c) => c.action), ['approve', 'create']);
  g.close();
});

test('the change feed: changesSince and lastSeq', () => {
  const g = lineage.open();
  assert.equal(g.lastSeq(), 0);
  g.addAsset({ key: 'a', kind: 'table' });
  const seq = g.lastSeq();
  assert.ok(seq > 0);
  g.addAsset({ key: 'b', kind: 'table' });
  const feed = g.changesSince(seq);
  assert.deepEqual(feed.changes.map((c) => c.asset_key), ['b']);
  assert.equal(g.changesSince().changes.length, 2);
  g.close();
});

test('stats() counts assets and edges by kind and source', () => {
  const { graph: g } = warehouse();
  const s = g.stats();
  assert.equal(s.assets, 8);
  assert.equal(s.edges, 6);
  assert.equal(s.edges_by_source.inferred, 1);
  assert.equal(s.assets_by_kind.column, 2);
  g.close();
});

test('transaction() commits on return and rolls back on throw', () => {
  const g = lineage.open();
  g.transaction(() => {
    g.addAsset({ key: 'a', kind: 'table' });
    g.addAsset({ key: 'b', kind: 'table' });
    assert.equal(g.inTransaction, true);
  });
  assert.equal(g.inTransaction, false);
  assert.equal(g.hasAsset('b'), true);
  assert.throws(() => g.transaction(() => {
    g.addAsset({ key: 'c', kind: 'table' });
    throw new Error('boom');
  }), /boom/);
  assert.equal(g.hasAsset('c'), false);
  g.begin('manual batch');
  g.addAsset({ key: 'd', kind: 'table' });
  g.rollback();
  assert.equal(g.hasAsset('d'), false);
  assert.throws(() => g.commit(), { code: 'EUSAGE' });
  g.close();
});

test('revertBatch undoes one batch', () => {
  const g = lineage.open();
  g.addAsset({ key: 'keep', kind: 'table' });
  g.transaction(() => {
    g.addEdge({ source: 'keep', target: 'x', createMissing: true });
  }, 'to undo');
  const batch = g.batchId;
  assert.ok(batch > 0);
  g.revertBatch(batch);
  assert.equal(g.hasAsset('x'), false);
  assert.equal(g.hasAsset('keep'), true);
  g.close();
});

test('actor and edge kinds', () => {
  const file = path.join(tmpDir(), 'actor.db');
  const g = lineage.open(file, { actor: 'loader' });
  g.addAsset({ key: 'a', kind: 'table' });
  assert.equal(g.history('a').changes[0].actor, 'loader');
  g.setActor('ana');
  g.addAsset({ key: 'a', kind: 'table', owner: 'x' });
  assert.equal(g.history('a').changes[0].actor, 'ana');
  g.defineEdgeKind('refresh', { allowsSelfLoop: true });
  assert.equal(g.addEdge({ source: 'a', target: 'a', kind: 'refresh' }).kind, 'refresh');
  g.close();
});
