'use strict';
// A small lineage service on liblineage's Node.js addon, with no framework:
//
//   GET /lineage/:key/downstream?depth=N&minSource=manual   where the data goes
//   GET /lineage/:key/upstream?depth=N&minSource=manual     where it comes from
//   GET /health
//
// Usage: node server.js [DATABASE]   (or LINEAGE_DB=...; HOST and PORT, default 127.0.0.1:8080;
// PORT=0 picks a free port). Traversals run on a worker thread (downstreamAsync), so a large
// one never blocks other requests.
const http = require('http');
const path = require('path');

function loadLineage() {
  try {
    return require('lineage');
  } catch (e) {
    // Not installed as a package: use the addon built in this repository.
    return require(path.join(__dirname, '..', '..', 'bindings', 'node'));
  }
}
const lineage = loadLineage();

const statusByCode = { ENOTFOUND: 404, EINVALID: 400, ECONFLICT: 409, ECYCLE: 409 };

function send(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function sendError(res, err) {
  const status = err instanceof TypeError ? 400 : (statusByCode[err.code] || 500);
  send(res, status, { error: { code: err.code || 'ERROR', message: err.message } });
}

/** Query options from the URL: ?depth=3&minSource=approved */
function queryOptions(params) {
  const opts = {};
  if (params.has('depth')) {
    const depth = Number(params.get('depth'));
    if (!Number.isInteger(depth) || depth < 1) {
      throw Object.assign(new Error(`depth must be a whole number of at least 1, got "${params.get('depth')}"`), { code: 'EINVALID' });
    }
    opts.depth = depth;
  }
  if (params.has('minSource')) opts.minSource = params.get('minSource');
  return opts;
}

function createServer(graph) {
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      if (req.method !== 'GET') return send(res, 405, { error: { code: 'EMETHOD', message: 'only GET is served' } });
      if (url.pathname === '/health') return send(res, 200, { status: 'ok', version: lineage.version() });
      const m = url.pathname.match(/^\/lineage\/([^/]+)\/(downstream|upstream)$/);
      if (!m) return send(res, 404, { error: { code: 'ENOTFOUND', message: 'use /lineage/:key/downstream?depth=N or /lineage/:key/upstream' } });
      const key = decodeURIComponent(m[1]);
      const opts = queryOptions(url.searchParams);
      const result = m[2] === 'downstream' ? await graph.downstreamAsync(key, opts) : await graph.upstreamAsync(key, opts);
      return send(res, 200, result);
    } catch (err) {
      return sendError(res, err);
    }
  });
}

function main() {
  const file = process.argv[2] || process.env.LINEAGE_DB || 'lineage.db';
  const graph = lineage.open(file, { readonly: true, create: false });
  const server = createServer(graph);
  const host = process.env.HOST || '127.0.0.1';
  const port = Number(process.env.PORT === undefined ? 8080 : process.env.PORT);
  server.listen(port, host, () => {
    const addr = server.address();
    console.log(`lineage server on http://${addr.address}:${addr.port}/lineage/:key/downstream?depth=3 (database ${file})`);
  });
  const stop = () => server.close(() => { graph.close(); process.exit(0); });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`lineage server: ${err.message}`);
    process.exit(1);
  }
}

module.exports = { createServer };
