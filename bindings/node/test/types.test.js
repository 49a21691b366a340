'use strict';
// index.d.ts is checked with `tsc --noEmit` against a typed example (examples/typed.ts).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const pkgDir = path.resolve(__dirname, '..');
const tsc = path.join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc');

test('index.d.ts type-checks the typed example with tsc --noEmit',
  { skip: !fs.existsSync(tsc) && 'typescript is not installed (npm install in bindings/node)' }, () => {
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', path.join(__dirname, 'tsconfig.json')],
      { cwd: pkgDir, encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
