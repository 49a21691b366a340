'use strict';
// Per-call overhead of the Node.js binding: downstream(depth=3) through the addon against the
// same call in C, on the benchmark's generated warehouse, as a ratio.
//
//   node bench/node/bench_binding.js [--assets 100000] [--roots 1000] [--repeat 3] [--db FILE]
//
// Needs a release build of liblineage in $LINEAGE_BUILD_DIR (default build/) with its
// benchmarks (build/bench/bench_generate) and the addon (npm install in bindings/node). The
// database is generated once (bench_generate) and reused. The same random roots go to the C
// program (bench/node/downstream_c.c, compiled here with cc) and to the binding: sync calls
// (objects built directly), sync calls through JSON.parse (LINEAGE_NODE_VIA_JSON=1, in a
// child process), and awaited downstreamAsync calls. Prints a table and one JSON line.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { performance } = require('perf_hooks');

const repo = path.resolve(__dirname, '..', '..');
const buildDir = path.resolve(process.env.LINEAGE_BUILD_DIR || path.join(repo, 'build'));

function flags(argv) {
  const out = { assets: 100000, roots: 1000, repeat: 3, seed: 7, db: null, mode: 'main', rootsFile: null };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'help') {
      console.log('usage: node bench/node/bench_binding.js [--assets N] [--roots N] [--repeat N] [--seed N] [--db FILE]');
      process.exit(0);
    }
    if (!(name in out)) throw new Error(`unknown option ${argv[i]} (see --help)`);
    out[name] = argv[++i];
  }
  for (const k of ['assets', 'roots', 'repeat', 'seed']) out[k] = Number(out[k]);
  out.db = out.db || path.join(os.tmpdir(), `lineage_node_bench_${out.assets}.db`);
  return out;
}

function stats(samples) {
  const v = Float64Array.from(samples).sort();
  const at = (p) => v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { p50_us: at(50) * 1e3, p99_us: at(99) * 1e3, mean_us: mean * 1e3 };
}

/** Time the binding on the roots: sync, then async (awaited one at a time). */
async function timeBinding(db, roots, repeat) {
  const lineage = require(path.join(repo, 'bindings', 'node'));
  const g = lineage.open(db, { readonly: true });
  const t0 = performance.now();
  g.downstream(roots[0], { depth: 3 });
  const firstQueryMs = performance.now() - t0;
  const sync = [];
  let nodes = 0;
  for (let r = 0; r < repeat; r++) {
    for (const key of roots) {
      const a = performance.now();
      const res = g.downstream(key, { depth: 3 });
      sync.push(performance.now() - a);
      nodes += res.nodes.length;
    }
  }
  const asyncT = [];
  for (let r = 0; r < repeat; r++) {
    for (const key of roots) {
      const a = performance.now();
      await g.downstreamAsync(key, { depth: 3 });
      asyncT.push(performance.now() - a);
    }
  }
  g.close();
  return { first_query_ms: firstQueryMs, mean_nodes: nodes / sync.length, sync: stats(sync), async: stats(asyncT) };
}

async function main() {
  const opt = flags(process.argv.slice(2));
  if (opt.mode === 'json') {
    // Child: the sync calls with traversals built through JSON.parse.
    const roots = fs.readFileSync(opt.rootsFile, 'utf8').split('\n').filter(Boolean);
    const r = await timeBinding(opt.db, roots, opt.repeat);
    process.stdout.write(JSON.stringify(r.sync));
    return;
  }
  const generate = path.join(buildDir, 'bench', 'bench_generate');
  if (!fs.existsSync(opt.db)) {
    if (!fs.existsSync(generate)) throw new Error(`no ${generate}: build liblineage with its benchmarks first`);
    console.error(`generating ${opt.assets} assets into ${opt.db} ...`);
    execFileSync(generate, ['--assets', String(opt.assets), '--out', opt.db, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-node-bench-'));
  try {
    const exe = path.join(work, 'downstream_c');
    execFileSync('cc', ['-O2', '-std=c11', '-D_POSIX_C_SOURCE=200809L', `-I${path.join(repo, 'include')}`,
      path.join(__dirname, 'downstream_c.c'), '-o', exe, `-L${path.join(buildDir, 'lib')}`, '-llineage', '-lsqlite3',
      `-Wl,-rpath,${path.join(buildDir, 'lib')}`], { stdio: 'inherit' });
    const rootsFile = path.join(work, 'roots.txt');
    fs.writeFileSync(rootsFile, execFileSync(exe, ['pick', opt.db, String(opt.roots), String(opt.seed)], { encoding: 'utf8' }));
    const roots = fs.readFileSync(rootsFile, 'utf8').split('\n').filter(Boolean);

    const c = JSON.parse(execFileSync(exe, ['time', opt.db, rootsFile, String(opt.repeat)], { encoding: 'utf8' }));
    const js = await timeBinding(opt.db, roots, opt.repeat);
    const child = spawnSync(process.execPath, [__filename, '--mode', 'json', '--db', opt.db, '--rootsFile', rootsFile,
      '--repeat', String(opt.repeat)], { env: { ...process.env, LINEAGE_NODE_VIA_JSON: '1' }, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const viaJson = JSON.parse(child.stdout);

    const rows = [
      ['C lineage_query_downstream', c.c_query],
      ['C query + read every node and edge', c.c_query_read],
      ['C query + lineage_result_to_json', c.c_query_json],
      ['Node downstream() (objects built directly)', js.sync],
      ['Node downstream() via JSON.parse', viaJson],
      ['Node await downstreamAsync()', js.async],
    ];
    // The baseline is what a C caller pays to get the same answer in hand: the query and a
    // read of every node and edge (the engine finishes edges and confidences on first read).
    const base = c.c_query_read;
    const ratio = (x, key) => x[key] / base[key];
    console.log(`downstream(depth=3), ${roots.length} random roots x ${opt.repeat}, mean ${js.mean_nodes.toFixed(1)} nodes per answer; database ${opt.db}`);
    console.log('call'.padEnd(46) + 'p50 us'.padStart(10) + 'p99 us'.padStart(10) + 'mean us'.padStart(10) + '  ratio p50 / mean to C query+read');
    for (const [name, s] of rows) {
      console.log(name.padEnd(46) + s.p50_us.toFixed(1).padStart(10) + s.p99_us.toFixed(1).padStart(10) +
        s.mean_us.toFixed(1).padStart(10) + `  ${ratio(s, 'p50_us').toFixed(2)} / ${ratio(s, 'mean_us').toFixed(2)}`);
    }
    console.log(JSON.stringify({
      benchmark: 'node_binding', assets: opt.assets, roots: roots.length, repeat: opt.repeat,
      mean_nodes: js.mean_nodes, first_query_ms: { c: c.first_query_ms, node: js.first_query_ms },
      c: c.c_query, c_read: c.c_query_read, c_json: c.c_query_json, node_sync: js.sync, node_sync_via_json: viaJson, node_async: js.async,
      ratio_sync_p50: ratio(js.sync, 'p50_us'), ratio_sync_mean: ratio(js.sync, 'mean_us'),
      overhead_sync_p50_us: js.sync.p50_us - base.p50_us,
    }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench_binding: ${e.message}`);
  process.exit(1);
});
