'use strict';
// Errors speak JavaScript: the advice names Graph methods and options, never a C function or
// constant; asset kinds are built in or declared (issue 11, defects 7 and 10).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const { lineage, tmpDir, warehouse } = require('./helpers');

const C_NAME = /\blineage_[a-z_]+\(|\bLINEAGE_[A-Z_]+/;

/** The error `fn` throws (or its promise rejects with), checked free of C names. */
async function failure(fn, Cls) {
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Cls, `expected ${Cls.name}, got ${error}`);
  assert.doesNotMatch(error.message, C_NAME);
  return error.message;
}

test('an undeclared asset kind is refused with the closest known one', async () => {
  const g = lineage.open();
  const msg = await failure(() => g.addAsset({ key: 'wh.orders', kind: 'tabel' }), lineage.ValidationError);
  assert.match(msg, /did you mean "table"\?/);
  assert.match(msg, /graph\.defineAssetKind\('tabel'\)/);
  assert.equal(g.hasAsset('wh.orders'), false);
  g.close();
});

test('defineAssetKind declares a kind once; assetKinds lists them', () => {
  const g = lineage.open();
  g.defineAssetKind('stream');
  g.defineAssetKind('stream');
  assert.equal(g.addAsset({ key: 'kafka.orders', kind: 'stream' }).kind, 'stream');
  const kinds = g.assetKinds();
  assert.deepEqual(kinds.find((k) => k.name === 'stream'), { name: 'stream', builtin: false });
  assert.deepEqual(kinds.find((k) => k.name === 'table'), { name: 'table', builtin: true });
  g.close();
});

test('advice names JavaScript methods and options', async () => {
  const g = warehouse().graph;
  assert.match(await failure(() => g.upstream('mart.revenu'), lineage.NotFoundError),
    /graph\.search\('revenu'\)/);
  assert.match(await failure(() => g.removeAsset('raw.orders'), lineage.ConflictError),
    /\{ cascade: true \}/);
  assert.match(await failure(() => g.addEdge({ source: 'raw.orders', target: 'raw.orders' }), lineage.ValidationError),
    /graph\.defineEdgeKind\('flow', \{ allowsSelfLoop: true \}\)/);
  assert.match(await failure(() => g.addEdge({ source: 'raw.orders', target: 'ghost' }), lineage.NotFoundError),
    /createMissing: true/);
  assert.match(await failure(() => g.revertBatch(999999), lineage.NotFoundError), /graph\.changesSince\(\)/);
  assert.match(await failure(() => g.commit(), lineage.LineageError), /graph\.begin\(\)/);
  g.close();

  const dir = tmpDir();
  assert.match(await failure(() => lineage.open(path.join(dir, 'none.db'), { create: false }), lineage.NotFoundError),
    /\{ create: false \}/);
  const file = path.join(dir, 'ro.db');
  lineage.open(file).close();
  assert.ok(fs.existsSync(file));
  const ro = lineage.open(file, { readonly: true });
  assert.match(await failure(() => ro.addAsset({ key: 'x', kind: 'table' }), lineage.LineageError),
    /without \{ readonly: true \}/);
  ro.close();
});

test('errors of async methods are worded the same way', async () => {
  const g = warehouse().graph;
  assert.match(await failure(() => g.downstreamAsync('mart.revenu'), lineage.NotFoundError),
    /graph\.search\('revenu'\)/);
  g.close();
});
