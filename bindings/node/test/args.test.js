'use strict';
// Bad input from JavaScript: a TypeError or a liblineage error with a clear message, never a
// crash of the process.
const test = require('node:test');
const assert = require('node:assert/strict');

const { lineage, warehouse } = require('./helpers');

function typeError(pattern) {
  return (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e && e.name}: ${e && e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

test('open() with a wrong path or options type', () => {
  assert.throws(() => lineage.open(42), typeError(/path must be a string, got a number/));
  assert.throws(() => lineage.open(null), typeError(/path must be a string/));
  assert.throws(() => lineage.open(':memory:', 'readonly'), typeError(/options must be an object/));
  assert.throws(() => lineage.open(':memory:', { readOnly: true }), typeError(/unknown option "readOnly"/));
  assert.throws(() => lineage.open(':memory:', { readonly: 'yes' }), typeError(/readonly must be a boolean/));
  assert.throws(() => lineage.Graph(':memory:'), TypeError);
});

test('keys must be strings without NUL', () => {
  const { graph: g } = warehouse();
  for (const bad of [undefined, null, 42, {}, ['raw.orders'], Symbol('k'), 10n, () => 'x']) {
    assert.throws(() => g.getAsset(bad), typeError(/key must be a string/));
    assert.throws(() => g.downstream(bad), typeError(/key must be a string/));
    assert.throws(() => g.upstream(bad), typeError(/key must be a string/));
    assert.throws(() => g.history(bad), typeError(/key must be a string/));
  }
  assert.throws(() => g.getAsset('raw\0orders'), typeError(/NUL/));
  g.close();
});

test('addAsset: missing and wrong fields', () => {
  const g = lineage.open();
  assert.throws(() => g.addAsset(), typeError(/addAsset\(\) needs an object/));
  assert.throws(() => g.addAsset('t'), typeError(/must be an object|needs an object/));
  assert.throws(() => g.addAsset({ kind: 'table' }), typeError(/asset.key is required/));
  assert.throws(() => g.addAsset({ key: 7, kind: 'table' }), typeError(/asset.key must be a string/));
  assert.throws(() => g.addAsset({ key: 't', kind: 'table', tags: 'a,b,c'.split(',').concat([5]) }), typeError(/asset.tags\[3\]/));
  assert.throws(() => g.addAsset({ key: 't', kind: 'table', tags: 5 }), typeError(/tags must be an array/));
  assert.throws(() => g.addAsset({ key: 't', kind: 'table', colour: 'red' }), typeError(/unknown option "colour"/));
  assert.throws(() => g.addAsset({ key: 't', kind: 'table', properties: () => 1 }), TypeError);
  // Well-typed but invalid values come back from liblineage as ValidationError.
  assert.throws(() => g.addAsset({ key: '', kind: 'table' }), { code: 'EINVALID' });
  assert.throws(() => g.addAsset({ key: ' padded ', kind: 'table' }), { code: 'EINVALID' });
  assert.throws(() => g.addAsset({ key: 'k'.repeat(5000), kind: 'table' }), { code: 'EINVALID' });
  assert.throws(() => g.addAsset({ key: 't' }), { code: 'EINVALID' }); // kind is needed to create
  g.close();
});

test('addEdge: missing and wrong fields', () => {
  const g = lineage.open();
  assert.throws(() => g.addEdge(), typeError(/addEdge\(\) needs an object/));
  assert.throws(() => g.addEdge({ target: 'b' }), typeError(/edge.source is required/));
  assert.throws(() => g.addEdge({ source: 'a' }), typeError(/edge.target is required/));
  assert.throws(() => g.addEdge({ source: 'a', target: 'b', confidence: 'high' }), typeError(/confidence must be a number/));
  assert.throws(() => g.addEdge({ source: 'a', target: 'b', confidence: NaN }), typeError(/NaN/));
  assert.throws(() => g.addEdge({ source: 'a', target: 'b', createMissing: 1 }), typeError(/createMissing must be a boolean/));
  assert.throws(() => g.addEdge({ source: 'a', target: 'b', lineage_source: 'manual' }), typeError(/unknown option "lineage_source"/));
  g.close();
});

test('edge ids must be positive integers', () => {
  const { graph: g } = warehouse();
  for (const bad of ['1', 1.5, -1, 0, NaN, null, undefined, {}]) {
    assert.throws(() => g.getEdge(bad), typeError(/id must be an edge id/));
    assert.throws(() => g.approve(bad, { by: 'ana' }), TypeError);
  }
  assert.throws(() => g.approve(1), typeError(/needs \{by/));
  assert.throws(() => g.approve(1, { by: 5 }), typeError(/by must be a string/));
  assert.equal(g.getEdge(1n).id, 1);
  g.close();
});

test('query options are checked', () => {
  const { graph: g } = warehouse();
  assert.throws(() => g.downstream('raw.orders', 3), typeError(/options must be an object/));
  assert.throws(() => g.downstream('raw.orders', { depth: '3' }), typeError(/depth must be a number/));
  assert.throws(() => g.downstream('raw.orders', { depth: 1.5 }), typeError(/depth must be an integer/));
  assert.throws(() => g.downstream('raw.orders', { depth: 0 }), { code: 'EINVALID' });
  assert.throws(() => g.downstream('raw.orders', { deep: 3 }), typeError(/unknown option "deep"/));
  assert.throws(() => g.downstream('raw.orders', { minSource: 'gossip' }), { code: 'EINVALID' });
  assert.throws(() => g.downstream('raw.orders', { minSource: 3 }), typeError(/minSource must be a string/));
  assert.throws(() => g.downstream('raw.orders', { columns: 'sideways' }), { code: 'EINVALID' });
  assert.throws(() => g.downstream('raw.orders', { edgeKinds: [1] }), typeError(/edgeKinds\[0\]/));
  assert.throws(() => g.downstream('raw.orders', { format: 'svg' }), { code: 'EINVALID' });
  assert.throws(() => g.search(5), typeError(/text must be a string/));
  assert.throws(() => g.search('x', { limit: 'ten' }), typeError(/limit must be a number/));
  assert.throws(() => g.path('raw.orders'), typeError(/to must be a string/));
  g.close();
});

test('methods called on something that is not a Graph', () => {
  const { graph: g } = warehouse();
  const { downstream } = g;
  assert.throws(() => downstream('raw.orders'), TypeError);
  assert.throws(() => lineage.Graph.prototype.stats.call({}), TypeError);
  g.close();
});

test('the graph stays usable after each bad call', () => {
  const { graph: g } = warehouse();
  for (const call of [() => g.addAsset(null), () => g.getAsset(1), () => g.getAsset('missing'),
    () => g.addEdge({ source: 's', target: 's', createMissing: true })]) {
    assert.throws(call);
  }
  assert.equal(g.downstream('raw.orders').nodes.length, 4);
  g.close();
});
