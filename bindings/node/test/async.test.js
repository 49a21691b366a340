'use strict';
// Promises on worker threads: results, errors, queueing per graph, progress, cancellation,
// closing while work is pending, and an event loop that keeps ticking.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const { lineage, tmpDir, warehouse, keys } = require('./helpers');

/** A file database with about `n` edges in four long chains with a few cross links. */
async function chains(file, n, width = 4) {
  const rows = ['source,target'];
  for (let i = 0; i < n; i++) {
    const c = i % width;
    const step = Math.floor(i / width);
    rows.push(`c${c}.${step},c${c}.${step + 1}`);
    if (c > 0 && step % 50 === 0) rows.push(`c${c - 1}.${step},c${c}.${step + 1}`);
  }
  const csv = `${file}.csv`;
  fs.writeFileSync(csv, rows.join('\n') + '\n');
  const g = lineage.open(file);
  await g.importFile(csv, { createMissing: true, maxItems: 0 });
  return g;
}

test('downstreamAsync and upstreamAsync resolve with the same result as the sync calls', async () => {
  const { graph: g } = warehouse();
  const down = await g.downstreamAsync('raw.orders', { depth: 2 });
  assert.deepEqual(down, g.downstream('raw.orders', { depth: 2 }));
  const up = await g.upstreamAsync('dash.sales');
  assert.deepEqual(keys(up), keys(g.upstream('dash.sales')));
  const cy = await g.downstreamAsync('raw.orders', { format: 'cytoscape' });
  assert.ok(Array.isArray(cy.elements.nodes));
  g.close();
});

test('async errors reject with the error classes; bad arguments throw at once', async () => {
  const { graph: g } = warehouse();
  await assert.rejects(g.downstreamAsync('missing'), (e) => {
    assert.ok(e instanceof lineage.NotFoundError);
    assert.equal(e.code, 'ENOTFOUND');
    return true;
  });
  assert.throws(() => g.downstreamAsync(42), TypeError);
  assert.throws(() => g.upstreamAsync('raw.orders', { depth: 'x' }), TypeError);
  assert.throws(() => g.downstreamAsync('raw.orders', { signal: 'no' }), TypeError);
  g.close();
  assert.throws(() => g.downstreamAsync('raw.orders'), { code: 'EUSAGE' });
});

test('jobs of one graph run in order, and sync calls in between are safe', async () => {
  const { graph: g } = warehouse();
  const order = [];
  const jobs = [];
  for (let i = 0; i < 20; i++) {
    jobs.push(g.downstreamAsync(i % 2 ? 'raw.orders' : 'raw.customers').then((r) => order.push([i, r.root])));
    // A write between queued reads: the queue and the graph's lock keep them apart.
    g.addAsset({ key: `extra.${i}`, kind: 'table' });
    assert.equal(g.getAsset(`extra.${i}`).key, `extra.${i}`);
  }
  await Promise.all(jobs);
  assert.deepEqual(order.map(([i]) => i), [...Array(20).keys()]);
  assert.equal(order[1][1], 'raw.orders');
  g.close();
});

test('close() while work is queued: the running job finishes, queued ones reject', async () => {
  const { graph: g } = warehouse();
  const first = g.downstreamAsync('raw.orders');
  const second = g.downstreamAsync('raw.orders');
  const third = g.upstreamAsync('dash.sales');
  g.close();
  assert.equal(g.closed, true);
  const results = await Promise.allSettled([first, second, third]);
  assert.equal(results[0].status, 'fulfilled');
  assert.equal(results[0].value.root, 'raw.orders');
  for (const r of results.slice(1)) {
    assert.equal(r.status, 'rejected');
    assert.equal(r.reason.code, 'EUSAGE');
    assert.match(r.reason.message, /closed/);
  }
});

test('backup() reports progress and resolves with the copy', async () => {
  const dir = tmpDir();
  const g = await chains(path.join(dir, 'src.db'), 2000);
  const seen = [];
  const dest = path.join(dir, 'copy.db');
  const r = await g.backup(dest, { onProgress: (p) => { seen.push(p); } });
  assert.equal(r.path, dest);
  assert.ok(fs.statSync(dest).size > 0);
  for (const p of seen) {
    assert.equal(typeof p.stage, 'string');
    assert.equal(typeof p.done, 'number');
    assert.equal(typeof p.total, 'number');
  }
  const copy = lineage.open(dest, { readonly: true });
  assert.equal(copy.stats().edges, g.stats().edges);
  copy.close();
  g.close();
});

test('an AbortSignal cancels an async operation', async () => {
  const dir = tmpDir();
  const g = await chains(path.join(dir, 'src.db'), 200);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(g.backup(path.join(dir, 'a.db'), { signal: ac.signal }),
    (e) => e instanceof lineage.CancelledError && e.code === 'ECANCELLED');
  // Aborted while queued behind another job: it never starts.
  const ac2 = new AbortController();
  const running = g.downstreamAsync('c0.0');
  const queued = g.backup(path.join(dir, 'b.db'), { signal: ac2.signal });
  ac2.abort();
  await running;
  await assert.rejects(queued, { code: 'ECANCELLED' });
  g.close();
});

test('a progress callback that returns false cancels the operation', async () => {
  const dir = tmpDir();
  const g = await chains(path.join(dir, 'src.db'), 3000);
  // Progress is delivered asynchronously: cancel on the first report, whatever it is.
  let calls = 0;
  const p = g.backup(path.join(dir, 'c.db'), { onProgress: () => { calls++; return false; } });
  await p.then(() => {
    // A backup small enough to finish before the first report reached JavaScript is fine.
  }, (e) => {
    assert.equal(e.code, 'ECANCELLED');
    assert.ok(calls >= 1);
  });
  g.close();
});

test('the event loop keeps ticking during long async traversals', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'big.db');
  (await chains(file, 6000)).close();
  // A fresh handle: its first query builds the engine from the file, on the worker thread.
  const g = lineage.open(file);
  const sync0 = performance.now();
  const expected = g.downstream('c0.0');
  const syncMs = performance.now() - sync0;
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 1);
  const t0 = performance.now();
  const results = [];
  for (let i = 0; i < 40; i++) results.push(g.downstreamAsync('c0.0'));
  results.push(g.upstreamAsync('c3.1499'));
  const done = await Promise.all(results);
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  assert.deepEqual(done[0], expected);
  assert.ok(expected.nodes.length > 1500);
  // Forty of these synchronously would block the loop for about 40 x syncMs.
  assert.ok(ticks >= 3, `only ${ticks} ticks in ${elapsed.toFixed(1)} ms`);
  assert.ok(maxGap < Math.max(50, elapsed / 2),
    `loop blocked for ${maxGap.toFixed(1)} of ${elapsed.toFixed(1)} ms (one sync call: ${syncMs.toFixed(1)} ms)`);
  g.close();
});
