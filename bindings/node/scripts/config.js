'use strict';
// Where liblineage is, for binding.gyp: `node scripts/config.js include_dirs|libraries|ldflags`.
//
// In order: the build tree named by LINEAGE_BUILD_DIR (headers from the source tree's
// include/, next to this package); an installed copy found with pkg-config (`lineage`); the
// repository's own build/ directory. Each prints one item per line (gyp splits on white space).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const pkgDir = path.resolve(__dirname, '..');
const repoDir = path.resolve(pkgDir, '..', '..');

function fromBuildDir(dir) {
  const build = path.resolve(dir);
  const lib = path.join(build, 'lib');
  if (!fs.existsSync(path.join(lib, 'liblineage.so'))) {
    throw new Error(`LINEAGE_BUILD_DIR=${dir}: no lib/liblineage.so there; build liblineage first ` +
      '(cmake -S . -B build && cmake --build build)');
  }
  // The headers come from the source tree the build was configured from.
  let include = path.join(repoDir, 'include');
  try {
    const cache = fs.readFileSync(path.join(build, 'CMakeCache.txt'), 'utf8');
    const m = cache.match(/^lineage_SOURCE_DIR:STATIC=(.*)$/m);
    if (m && fs.existsSync(path.join(m[1], 'include', 'lineage', 'lineage.h'))) include = path.join(m[1], 'include');
  } catch (e) { /* no cache: keep the repository's include/ */ }
  return { include_dirs: [include], libraries: [`-L${lib}`, '-llineage'], ldflags: [`-Wl,-rpath,${lib}`] };
}

function fromPkgConfig() {
  try {
    const run = (args) => execFileSync('pkg-config', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    run(['--exists', 'lineage']);
    const includes = run(['--cflags-only-I', 'lineage']).split(/\s+/).filter(Boolean).map((f) => f.slice(2));
    const libs = run(['--libs', 'lineage']).split(/\s+/).filter(Boolean);
    const libdirs = run(['--libs-only-L', 'lineage']).split(/\s+/).filter(Boolean).map((f) => f.slice(2));
    return { include_dirs: includes, libraries: libs, ldflags: libdirs.map((d) => `-Wl,-rpath,${d}`) };
  } catch (e) {
    return null;
  }
}

function locate() {
  if (process.env.LINEAGE_BUILD_DIR) return fromBuildDir(process.env.LINEAGE_BUILD_DIR);
  const pc = fromPkgConfig();
  if (pc) return pc;
  if (fs.existsSync(path.join(repoDir, 'build', 'lib', 'liblineage.so'))) return fromBuildDir(path.join(repoDir, 'build'));
  throw new Error('liblineage not found: set LINEAGE_BUILD_DIR to a liblineage build directory, ' +
    'or install liblineage so that `pkg-config lineage` finds it');
}

if (require.main === module) {
  const what = process.argv[2];
  try {
    const found = locate();
    if (!(what in found)) throw new Error(`unknown item ${what}: use include_dirs, libraries or ldflags`);
    process.stdout.write(found[what].join('\n') + '\n');
  } catch (e) {
    process.stderr.write(`lineage: ${e.message}\n`);
    process.exit(1);
  }
}

module.exports = { locate };
