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

// The methods are rows of a table in C (src/methods.c): a row added without its type, or a
// type left behind by a removed row, shows up here.
test('index.d.ts declares exactly the methods the addon has',
  { skip: !fs.existsSync(tsc) && 'typescript is not installed (npm install in bindings/node)' }, () => {
    const ts = require(path.join(pkgDir, 'node_modules', 'typescript'));
    const lineage = require('..');
    const src = ts.createSourceFile('index.d.ts', fs.readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8'),
      ts.ScriptTarget.Latest);
    const members = [];
    const functions = [];
    src.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name && node.name.text === 'Graph') {
        for (const m of node.members) if (m.name) members.push(m.name.getText(src));
      } else if (ts.isFunctionDeclaration(node) && node.name) {
        functions.push(node.name.text);
      }
    });
    const proto = Object.getOwnPropertyNames(lineage.Graph.prototype).filter((n) => n !== 'constructor');
    assert.ok(proto.length > 40, `only ${proto.length} Graph members`);
    assert.deepEqual([...new Set(members)].sort(), proto.sort());
    const exported = Object.keys(lineage).filter((k) => typeof lineage[k] === 'function' &&
      !/^[A-Z]/.test(k)); // classes are declared as classes
    assert.deepEqual([...new Set(functions)].sort(), exported.sort());
  });
