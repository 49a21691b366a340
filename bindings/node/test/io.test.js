'use strict';
// importFile and scan: promises on a worker thread, reports, validation errors by row,
// progress, cancellation, and an event loop that keeps ticking during a long import.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const { lineage, tmpDir, keys } = require('./helpers');

/** A lineage CSV with `n` rows in chains of 50 (wh.sN.tM -> wh.sN.tM+1). */
function lineageCsv(file, n) {
  const rows = ['source,target,lineage_source,confidence,transformation'];
  for (let i = 0; i < n; i++) {
    const chain = Math.floor(i / 50);
    const step = i % 50;
    rows.push(`wh.s${chain}.t${step},wh.s${chain}.t${step + 1},inferred,0.8,"select * from ""t${step}"""`);
  }
  fs.writeFileSync(file, rows.join('\r\n') + '\r\n');
  return file;
}

test('importFile imports a CSV and resolves with the report', async () => {
  const dir = tmpDir();
  const g = lineage.open();
  const stages = new Set();
  const r = await g.importFile(lineageCsv(path.join(dir, 'l.csv'), 200), {
    createMissing: true, onProgress: (p) => { stages.add(p.stage); },
  });
  assert.equal(r.rows, 200);
  assert.equal(r.valid, 200);
  assert.equal(r.invalid, 0);
  assert.deepEqual(r.errors, []);
  assert.equal(r.created.edges, 200);
  assert.equal(r.committed, true);
  assert.ok(r.batch_id > 0);
  assert.deepEqual(keys(g.downstream('wh.s0.t48')), ['wh.s0.t48', 'wh.s0.t49', 'wh.s0.t50']);
  assert.equal(g.getEdge(g.findEdge('wh.s1.t0', 'wh.s1.t1').id).transformation, 'select * from "t0"');
  for (const s of stages) assert.equal(s, 'import'); // a lineage file is read once
  // The import is one batch, and can be reverted.
  g.revertBatch(r.batch_id);
  assert.equal(g.stats().edges, 0);
  g.close();
});

test('an atomic import with mistakes rejects with ValidationError listing each row', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'bad.csv');
  fs.writeFileSync(file, 'source,target,confidence\na,b,0.5\nc,d,high\ne,e,0.5\n');
  const g = lineage.open();
  await assert.rejects(g.importFile(file, { createMissing: true }), (e) => {
    assert.ok(e instanceof lineage.ValidationError);
    assert.equal(e.code, 'EINVALID');
    assert.equal(e.errors.length, 2);
    assert.equal(e.errors[0].row, 3);
    assert.equal(e.errors[0].column, 'confidence');
    assert.equal(e.errors[0].value, 'high');
    assert.match(e.errors[0].message, /not a number/);
    assert.equal(e.report.committed, false);
    assert.equal(e.report.invalid, 2);
    return true;
  });
  assert.equal(g.stats().edges, 0);
  // A dry run and a skip-errors import resolve with the same report.
  const dry = await g.importFile(file, { createMissing: true, dryRun: true });
  assert.equal(dry.dry_run, true);
  assert.equal(dry.invalid, 2);
  assert.equal(dry.committed, false);
  assert.equal(g.stats().edges, 0);
  const rejects = path.join(dir, 'rejects.csv');
  const skip = await g.importFile(file, { createMissing: true, mode: 'skip-errors', rejects });
  assert.equal(skip.committed, true);
  assert.equal(skip.created.edges, 1);
  assert.match(fs.readFileSync(rejects, 'utf8'), /error/);
  assert.equal(g.stats().edges, 1);
  g.close();
});

test('importFile errors: a missing file, a bad option, bad arguments', async () => {
  const g = lineage.open();
  await assert.rejects(g.importFile(path.join(tmpDir(), 'absent.csv')), (e) => e.code === 'EIO' && /absent\.csv/.test(e.message));
  assert.throws(() => g.importFile('x.csv', { format: 'xls' }), { code: 'EINVALID' });
  assert.throws(() => g.importFile('x.csv', { mode: 'sometimes' }), { code: 'EINVALID' });
  assert.throws(() => g.importFile('x.csv', { dryrun: true }), TypeError);
  assert.throws(() => g.importFile(7), TypeError);
  g.close();
});

test('an aborted import writes nothing', async () => {
  const dir = tmpDir();
  const file = lineageCsv(path.join(dir, 'l.csv'), 3000);
  const g = lineage.open();
  const ac = new AbortController();
  const p = g.importFile(file, { createMissing: true, signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(p, (e) => e instanceof lineage.CancelledError && e.code === 'ECANCELLED');
  assert.equal(g.stats().edges, 0);
  g.close();
});

test('the event loop keeps ticking during a long async import', async () => {
  const dir = tmpDir();
  const file = lineageCsv(path.join(dir, 'big.csv'), 6000);
  const g = lineage.open(path.join(dir, 'big.db'));
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
  const r = await g.importFile(file, { createMissing: true, maxItems: 0 });
  const elapsed = performance.now() - t0;
  clearInterval(timer);
  assert.equal(r.created.edges, 6000);
  assert.ok(elapsed > 20, `the import took only ${elapsed.toFixed(1)} ms: too short to tell`);
  assert.ok(ticks >= 5, `only ${ticks} timer ticks during a ${elapsed.toFixed(0)} ms import`);
  assert.ok(maxGap < Math.max(50, elapsed / 3), `the loop was blocked for ${maxGap.toFixed(1)} of ${elapsed.toFixed(1)} ms`);
  g.close();
});

test('scan() stores inferred lineage from OpenLineage events, and dry runs write nothing', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'events.json');
  fs.writeFileSync(file, JSON.stringify({
    eventType: 'COMPLETE', eventTime: '2026-01-01T00:00:00Z',
    run: { runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' },
    job: { namespace: 'airflow', name: 'etl.load_orders' },
    inputs: [{ namespace: 'postgres://db:5432', name: 'app.public.orders' }],
    outputs: [{ namespace: 'postgres://db:5432', name: 'wh.raw.orders' }],
    producer: 'https://example.test/producer',
  }));
  const g = lineage.open();
  const dry = await g.scan(file, { type: 'openlineage', dryRun: true });
  assert.equal(dry.dry_run, true);
  assert.ok(dry.edges.found >= 1);
  assert.equal(g.stats().edges, 0);
  const seen = [];
  const r = await g.scan([file], { type: 'openlineage', onProgress: (p) => seen.push(p.stage) });
  assert.equal(r.dry_run, false);
  assert.ok(r.edges.created >= 1);
  const up = g.upstream('wh.raw.orders');
  assert.ok(up.edges.some((e) => e.source === 'app.public.orders' && e.lineage_source === 'inferred'), JSON.stringify(up));
  await assert.rejects(g.scan(file, { type: 'cobol' }), { code: 'EINVALID' });
  assert.throws(() => g.scan(), TypeError);
  assert.throws(() => g.scan([1]), TypeError);
  g.close();
});

test('analyzeSql, sqlDialects and scanners need no database', () => {
  assert.ok(lineage.sqlDialects().includes('postgres'));
  const names = lineage.scanners().map((s) => s.name);
  assert.ok(names.includes('openlineage') && names.includes('dbt'), names.join());
  assert.throws(() => lineage.analyzeSql(42), TypeError);
  assert.throws(() => lineage.analyzeSql('select 1', { dialect: 'klingon' }), { code: 'EINVALID' });
});

test('export() writes the graph or a query result in every format, and round-trips', async () => {
  const dir = tmpDir();
  const g = lineage.open();
  g.addAsset({ key: 'src.orders', kind: 'table', owner: 'app' });
  g.addEdge({ source: 'src.orders', target: 'wh.orders', createMissing: true, targetKind: 'table' });
  g.addEdge({ source: 'wh.orders', target: 'bi.sales', createMissing: true, lineageSource: 'inferred', confidence: 0.6 });
  g.addEdge({ source: 'other.a', target: 'other.b', createMissing: true });
  const csv = await g.export();
  assert.match(csv, /^source,target,/);
  assert.equal(csv.trim().split(/\r?\n/).length, 4);
  const json = JSON.parse(await g.export({ format: 'json' }));
  assert.ok(json.some((r) => r.key === 'src.orders' && r.owner === 'app'));
  const sub = await g.export({ format: 'jsonl', root: 'wh.orders', direction: 'upstream' });
  assert.equal(sub.trim().split('\n').length, 1);
  assert.match(sub, /src\.orders/);
  const impact = await g.export({ format: 'csv', root: 'src.orders', direction: 'impact', change: 'drop', depth: 1 });
  assert.match(impact, /src\.orders,wh\.orders/);
  assert.doesNotMatch(impact, /bi\.sales/);
  const cy = JSON.parse(await g.export({ format: 'cytoscape', layout: 'layered' }));
  assert.ok(cy.elements.nodes.every((n) => n.position && typeof n.position.x === 'number'));
  assert.match(await g.export({ format: 'dot' }), /digraph/);
  assert.match(await g.export({ format: 'graphml' }), /<graphml/);
  // Export-only formats the library adds are passed through by name.
  const events = (await g.export({ format: 'openlineage' })).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(events.length >= 1 && events.every((e) => typeof e === 'object'));
  // To a file, then into an empty database: the same graph.
  const file = path.join(dir, 'graph.json');
  const progress = [];
  assert.deepEqual(await g.export({ format: 'json', path: file, onProgress: (p) => progress.push(p.stage) }),
    { path: file, format: 'json' });
  const h = lineage.open();
  const r = await h.importFile(file);
  assert.equal(r.created.edges, 3);
  assert.deepEqual(keys(h.downstream('src.orders')), keys(g.downstream('src.orders')));
  assert.throws(() => g.export({ format: 'xls' }), { code: 'EINVALID' });
  assert.throws(() => g.export({ layout: 'spiral' }), { code: 'EINVALID' });
  assert.throws(() => g.export('csv'), TypeError);
  await assert.rejects(g.export({ root: 'nowhere' }), { code: 'ENOTFOUND' });
  await assert.rejects(g.export({ path: path.join(dir, 'no', 'such', 'dir', 'x.csv') }), { code: 'EIO' });
  h.close();
  g.close();
});
