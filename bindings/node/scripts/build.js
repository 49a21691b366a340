'use strict';
// `npm install` runs this: build the addon with the node-gyp that ships inside npm, against
// the Node headers already on this machine, so nothing is downloaded at build time.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const pkgDir = path.resolve(__dirname, '..');

function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  candidates.push(path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  if (process.env.npm_execpath) {
    // .../npm/bin/npm-cli.js -> .../npm/node_modules/node-gyp/bin/node-gyp.js
    candidates.push(path.resolve(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  for (const c of candidates) if (c.endsWith('.js') && fs.existsSync(c)) return c;
  return null;
}

function findNodeDir() {
  // node-gyp wants a directory holding include/node/common.gypi and node_api.h.
  const dirs = [];
  if (process.env.npm_config_nodedir) dirs.push(process.env.npm_config_nodedir);
  dirs.push(path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local');
  for (const d of dirs) {
    if (fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) &&
        fs.existsSync(path.join(d, 'include', 'node', 'common.gypi'))) return d;
  }
  return null;
}

const gyp = findNodeGyp();
const nodedir = findNodeDir();
if (!gyp) {
  console.error('lineage: node-gyp not found (it ships with npm); run the build through npm install');
  process.exit(1);
}
if (!nodedir) {
  console.error('lineage: the Node.js headers (include/node/node_api.h) were not found next to ' +
    `${process.execPath}; install them (they come with the nodejs package) or set npm_config_nodedir`);
  process.exit(1);
}
const args = [gyp, 'rebuild', `--nodedir=${nodedir}`];
if (process.env.LINEAGE_DEBUG_BUILD) args.push('--debug');
const r = spawnSync(process.execPath, args, { cwd: pkgDir, stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
