'use strict';
// examples/node/server.js: started on 127.0.0.1 on a free port over the example warehouse
// (loaded by examples/warehouse/load.sh with the CLI), asked one question over a real socket.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const { lineage, tmpDir, warehouse } = require('./helpers');

const repo = path.resolve(__dirname, '..', '..', '..');
const buildDir = process.env.LINEAGE_BUILD_DIR || path.join(repo, 'build');
const cli = process.env.LINEAGE_CLI || path.join(buildDir, 'bin', 'lineage');

/** The demo database: the example warehouse when the CLI is built, else the test fixture. */
function demoDatabase() {
  const db = path.join(tmpDir(), 'demo.db');
  const loader = path.join(repo, 'examples', 'warehouse', 'load.sh');
  if (fs.existsSync(cli) && fs.existsSync(loader)) {
    const r = spawnSync('bash', [loader, db], { env: { ...process.env, LINEAGE_CLI: cli }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return { db, key: 'app.public.orders', next: 'wh.raw.orders' };
  }
  warehouse(lineage.open(db)).graph.close();
  return { db, key: 'raw.orders', next: 'stg.orders' };
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 10000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

test('the example server answers /lineage/:key/downstream?depth= on a free port', async () => {
  const { db, key, next } = demoDatabase();
  const server = spawn(process.execPath, [path.join(repo, 'examples', 'node', 'server.js'), db],
    { env: { ...process.env, HOST: '127.0.0.1', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 15000);
      server.stdout.on('data', (c) => {
        out += c;
        const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      server.stderr.on('data', (c) => { err += c; });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
    });
    const r = await get(port, `/lineage/${encodeURIComponent(key)}/downstream?depth=2`);
    assert.equal(r.status, 200);
    assert.equal(r.body.root, key);
    assert.equal(r.body.direction, 'downstream');
    assert.ok(r.body.nodes.some((n) => n.key === next && n.distance === 1), JSON.stringify(r.body));
    assert.ok(r.body.nodes.every((n) => n.distance <= 2));
    const missing = await get(port, '/lineage/no.such.asset/downstream');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ENOTFOUND');
    const bad = await get(port, `/lineage/${encodeURIComponent(key)}/downstream?depth=deep`);
    assert.equal(bad.status, 400);
  } finally {
    server.kill('SIGTERM');
  }
});
