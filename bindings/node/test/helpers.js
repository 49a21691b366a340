'use strict';
// Shared fixtures for the tests: temporary directories and a small warehouse graph.
const fs = require('fs');
const os = require('os');
const path = require('path');

const lineage = require('..');

// LINEAGE_TEST_BACKEND=postgres (scripts/test-node.sh, when LINEAGE_TEST_PG is set): every
// private store a test opens (lineage.open() or lineage.open(':memory:')) is a fresh store in
// PostgreSQL instead, in a schema of its own; files stay SQLite.
if (process.env.LINEAGE_TEST_BACKEND === 'postgres') {
  const sqliteOpen = lineage.open;
  let stores = 0;
  lineage.open = (path = ':memory:', options) => {
    if (path !== ':memory:') return sqliteOpen(path, options);
    const pgSchema = `node_${process.pid}_${Date.now()}_${stores++}`;
    return sqliteOpen(process.env.LINEAGE_TEST_PG, { ...options, pgSchema });
  };
}

/** A fresh temporary directory, removed when the process exits. */
function tmpDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-node-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A small warehouse: raw -> staging -> mart -> dashboard, two sources joining, a column-level
 * flow, one inferred edge waiting for review.
 */
function warehouse(graph = lineage.open()) {
  const tables = [
    ['raw.orders', 'table'], ['raw.customers', 'table'], ['stg.orders', 'table'],
    ['stg.customers', 'table'], ['mart.revenue', 'table'], ['dash.sales', 'dashboard'],
  ];
  for (const [key, kind] of tables) graph.addAsset({ key, kind, owner: key.startsWith('raw') ? 'ingest' : 'analytics' });
  graph.addAsset({ key: 'raw.orders.amount', kind: 'column', parent: 'raw.orders' });
  graph.addAsset({ key: 'stg.orders.amount', kind: 'column', parent: 'stg.orders' });
  const edges = {
    ordersStg: graph.addEdge({ source: 'raw.orders', target: 'stg.orders', transformation: 'select * from raw.orders' }),
    customersStg: graph.addEdge({ source: 'raw.customers', target: 'stg.customers' }),
    ordersMart: graph.addEdge({ source: 'stg.orders', target: 'mart.revenue', kind: 'flow' }),
    customersMart: graph.addEdge({ source: 'stg.customers', target: 'mart.revenue', lineageSource: 'inferred', confidence: 0.7 }),
    martDash: graph.addEdge({ source: 'mart.revenue', target: 'dash.sales' }),
    amount: graph.addEdge({ source: 'raw.orders.amount', target: 'stg.orders.amount' }),
  };
  return { graph, edges };
}

/** Keys of a traversal's nodes, sorted. */
function keys(result) {
  return result.nodes.map((n) => n.key).sort();
}

module.exports = { lineage, tmpDir, warehouse, keys };
