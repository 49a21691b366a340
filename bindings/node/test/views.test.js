'use strict';
// Saved views from JavaScript: saved, reopened with their positions, listed, renamed,
// deleted; bad input refused in JavaScript's words.
const test = require('node:test');
const assert = require('node:assert/strict');

const { lineage } = require('./helpers');

const VIEW = { root: 'wh.orders', direction: 'upstream', depth: 2, layout: 'dagre',
  positions: { 'wh.orders': { x: 10.5, y: -3 } } };

test('saveView, getView, views, renameView, deleteView', () => {
  const g = lineage.open(':memory:', { actor: 'node' });
  assert.deepEqual(g.views(), { views: [], total: 0 });
  g.saveView('orders', { view: VIEW, mode: 'create' });
  const got = g.getView('orders');
  assert.deepEqual(got.view, VIEW);
  assert.equal(got.root, 'wh.orders');
  assert.equal(got.created_by, 'node');
  assert.throws(() => g.saveView('orders', { view: {}, mode: 'create' }),
    (e) => e instanceof lineage.ConflictError && /already saved/.test(e.message));
  assert.throws(() => g.saveView('nope', { view: {}, mode: 'replace' }), lineage.NotFoundError);
  g.saveView('orders', { view: { ...VIEW, depth: 4 } }); // upsert by default
  assert.equal(g.getView('orders').view.depth, 4);
  g.saveView('a first', { view: {} });
  assert.deepEqual(g.views().views.map((v) => v.name), ['a first', 'orders']);
  const page = g.views({ limit: 1, offset: 1 });
  assert.deepEqual(page.views.map((v) => v.name), ['orders']);
  assert.equal(page.total, 2);
  g.renameView('orders', 'orders map');
  assert.deepEqual(g.getView('orders map').view.positions, VIEW.positions);
  assert.throws(() => g.getView('orders'), lineage.NotFoundError);
  g.deleteView('a first');
  assert.throws(() => g.deleteView('a first'), lineage.NotFoundError);
  assert.equal(g.views().total, 1);
  g.close();
});

test('bad views are refused with what is wrong', () => {
  const g = lineage.open();
  assert.throws(() => g.saveView('v', { view: { depth: 'deep' } }),
    (e) => e instanceof lineage.ValidationError && /"depth" must be a whole number/.test(e.message));
  assert.throws(() => g.saveView('a/b', { view: {} }), /'\/'/);
  assert.throws(() => g.saveView('v', { view: {}, mode: 'merge' }), /upsert, create or replace/);
  assert.throws(() => g.saveView('v'), /the view is missing/);
  assert.throws(() => g.saveView(), /needs the view's name/);
  assert.equal(g.views().total, 0);
  g.close();
});
