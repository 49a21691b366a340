'use strict';
// Finalizers: a Graph that is dropped without close() frees its handle when collected.
// Run with --expose-gc (the test command does); without it these tests are skipped.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { lineage, tmpDir } = require('./helpers');

const hasGc = typeof global.gc === 'function';

async function collect() {
  for (let i = 0; i < 5; i++) {
    global.gc();
    // Finalizers of native objects run after the collection, from the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function openFiles() {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch (e) {
    return -1;
  }
}

test('graphs dropped without close() are finalized and release their files', { skip: !hasGc && 'needs --expose-gc' }, async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'gc.db');
  lineage.open(file).close();
  await collect();
  const before = openFiles();
  (function leak() {
    for (let i = 0; i < 50; i++) {
      const g = lineage.open(file);
      g.addAsset({ key: `t${i}`, kind: 'table' });
      g.downstream(`t${i}`);
    }
  })();
  const during = openFiles();
  await collect();
  const after = openFiles();
  if (before >= 0) {
    assert.ok(during > before, 'the open graphs hold files');
    assert.ok(after <= before + 2, `file descriptors: ${before} before, ${during} open, ${after} after collection`);
  }
  const g = lineage.open(file);
  assert.equal(g.search('', { limit: 100 }).results.length, 50);
  g.close();
});

test('a Graph with pending async work is kept alive until the work is done', { skip: !hasGc && 'needs --expose-gc' }, async () => {
  const pending = [];
  (function start() {
    const g = lineage.open();
    g.addEdge({ source: 'a', target: 'b', createMissing: true });
    for (let i = 0; i < 10; i++) pending.push(g.downstreamAsync('a'));
  })();
  await collect();
  const results = await Promise.all(pending);
  for (const r of results) assert.deepEqual(r.nodes.map((n) => n.key).sort(), ['a', 'b']);
  await collect();
});

test('closing then collecting does not free twice', { skip: !hasGc && 'needs --expose-gc' }, async () => {
  (function make() {
    for (let i = 0; i < 20; i++) {
      const g = lineage.open();
      g.addAsset({ key: 'x', kind: 'table' });
      g.close();
    }
  })();
  await collect();
});
