"""Latency of downstream(depth=3) through the Python binding, against the same call in C,
and of the HTTP endpoint of the FastAPI example under load on loopback.

    LINEAGE_BUILD_DIR=build build/python-venv/bin/python bench/python/bench_binding.py
        [--db FILE] [--assets N] [--roots 200] [--hubs 20] [--rounds 5] [--depth 3]
        [--http-seconds 10]

The database is the core benchmark's synthetic warehouse (made with
<build>/bench/bench_generate when --db does not exist; full scale is ~1M assets, ~3M edges).
The same roots (tables picked with a fixed seed) are queried in C (c_downstream.c, compiled
here against the build) and through the binding; the first query, which builds the
engine, is not timed. HTTP: uvicorn on 127.0.0.1 with one worker, loaded by wrk (Debian's
package) for a bounded time, or by a bounded sequential Python client when wrk is missing.
Prints a Markdown table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lineage

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = round(p / 100 * (len(ordered) - 1))
    return ordered[min(index, len(ordered) - 1)]


def build_dir() -> Path:
    build = Path(os.environ.get("LINEAGE_BUILD_DIR", ROOT / "build")).resolve()
    if not (build / "lib" / "liblineage.so").exists():
        sys.exit(f"bench: no liblineage in {build}: build it, or set LINEAGE_BUILD_DIR")
    return build


def ensure_database(build: Path, db: Path, assets: int) -> None:
    if db.exists():
        return
    generator = build / "bench" / "bench_generate"
    if not generator.exists():
        sys.exit(f"bench: {db} does not exist and {generator} is missing "
                 "(configure with -DLINEAGE_BUILD_BENCH=ON)")
    print(f"bench: generating {assets} assets into {db} ...", file=sys.stderr)
    subprocess.run([str(generator), "--out", str(db), "--assets", str(assets), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)


def pick_roots(db: Path, count: int, hubs: int, depth: int,
               seed: int) -> tuple[list[str], list[str]]:
    """``count`` tables at random, and the ``hubs`` tables of a 10000-table sample with the
    largest downstream at this depth (the queries a lineage UI finds slowest)."""
    with lineage.open(db, readonly=True) as g:
        tables = [a.key for a in g.search("", kind="table", limit=10000)]
        random.Random(seed).shuffle(tables)
        sizes = sorted(((len(g.downstream(k, depth=depth)), k) for k in tables), reverse=True)
    return tables[:count], [k for _, k in sizes[:hubs]]


def c_timings(build: Path, db: Path, keys_file: Path, depth: int, rounds: int) -> dict:
    exe = Path(tempfile.mkdtemp(prefix="lineage-bench-")) / "c_downstream"
    subprocess.run(["cc", "-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
                    f"-I{ROOT / 'include'}", str(HERE / "c_downstream.c"), "-o", str(exe),
                    f"-L{build / 'lib'}", "-llineage", f"-Wl,-rpath,{build / 'lib'}"],
                   check=True)
    out = subprocess.run([str(exe), str(db), str(keys_file), str(depth), str(rounds)],
                         check=True, capture_output=True, text=True).stdout
    shutil.rmtree(exe.parent, ignore_errors=True)
    return json.loads(out)


def python_timings(db: Path, roots: list[str], depth: int, rounds: int) -> dict:
    with lineage.open(db, readonly=True) as g:
        started = time.perf_counter()
        g.downstream(roots[0], depth=depth)  # builds the engine
        warm = time.perf_counter() - started
        call, full, nodes = [], [], 0
        for _ in range(rounds):
            for key in roots:
                a = time.perf_counter()
                result = g.downstream(key, depth=depth)
                b = time.perf_counter()
                nodes += len(result.nodes)  # JSON from the library, parsed into Node objects
                c = time.perf_counter()
                call.append((b - a) * 1e6)
                full.append((c - a) * 1e6)
    return {"queries": len(call), "warmup_ms": warm * 1e3, "mean_nodes": nodes / len(call),
            "call_p50_us": percentile(call, 50), "call_p95_us": percentile(call, 95),
            "nodes_p50_us": percentile(full, 50), "nodes_p95_us": percentile(full, 95),
            "nodes_mean_us": statistics.fmean(full)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_timings(db: Path, keys_file: Path, roots: list[str], depth: int,
                 seconds: int, connections: int) -> dict:
    import httpx

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port",
         str(port), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT / "examples" / "fastapi", env=dict(os.environ, LINEAGE_DB=str(db)))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.2)
        warm = httpx.get(f"{base}/api/v1/lineage/{roots[0]}/downstream",
                         params={"depth": depth}, timeout=120)
        warm.raise_for_status()
        wrk = shutil.which("wrk")
        if wrk:
            out = subprocess.run(
                [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
                 str(HERE / "downstream.lua"), base],
                check=True, capture_output=True, text=True,
                env=dict(os.environ, KEYS_FILE=str(keys_file), DEPTH=str(depth))).stdout
            stats = json.loads(out.strip().splitlines()[-1])
            stats["tool"] = f"wrk -t1 -c{connections}"
            stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
            return stats
        # Bounded fallback: one connection, sequential requests, at most `seconds`.
        latencies: list[float] = []
        errors = 0
        stop = time.monotonic() + seconds
        with httpx.Client(base_url=base, timeout=10) as client:
            while time.monotonic() < stop and len(latencies) < 100_000:
                key = roots[len(latencies) % len(roots)]
                a = time.perf_counter()
                r = client.get(f"/api/v1/lineage/{key}/downstream", params={"depth": depth})
                latencies.append((time.perf_counter() - a) * 1e6)
                errors += r.status_code != 200
        return {"tool": "python client, 1 connection", "requests": len(latencies),
                "non_2xx": errors, "p50_us": percentile(latencies, 50),
                "p95_us": percentile(latencies, 95), "p99_us": percentile(latencies, 99),
                "rps": len(latencies) / seconds}
    finally:
        server.terminate()
        server.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="warehouse database (generated if missing)")
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--roots", type=int, default=200)
    parser.add_argument("--hubs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--http-seconds", type=int, default=10)
    args = parser.parse_args()

    build = build_dir()
    db = (args.db or build / f"bench-warehouse-{args.assets}.db").resolve()
    ensure_database(build, db, args.assets)
    roots, hubs = pick_roots(db, args.roots, args.hubs, args.depth, args.seed)
    rows, results = [], {}
    for name, keys in (("random tables", roots), ("hub tables", hubs)):
        if not keys:
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".keys", delete=False) as f:
            f.write("\n".join(keys) + "\n")
            keys_file = Path(f.name)
        try:
            c = c_timings(build, db, keys_file, args.depth, args.rounds)
            py = python_timings(db, keys, args.depth, args.rounds)
            http = [http_timings(db, keys_file, keys, args.depth, args.http_seconds, n)
                    for n in (1, 4)] if args.http_seconds > 0 else []
        finally:
            keys_file.unlink(missing_ok=True)
        results[name] = {"c": c, "python": py, "http": http,
                         "ratio_call_p50": py["call_p50_us"] / c["query_p50_us"],
                         "ratio_nodes_p50": py["nodes_p50_us"] / c["query_json_p50_us"]}
        rows.append((name, len(keys), c, py, http))

    with lineage.open(db, readonly=True) as g:
        stats = g.stats()
    d = args.depth
    print(f"\n{stats['assets']} assets, {stats['edges']} edges; depth {d}; "
          f"{args.rounds} rounds over each root set\n")
    print(f"| downstream(depth={d}) | roots | mean assets | p50 | p95 |")
    print("| --- | --- | --- | --- | --- |")
    for name, n, c, py, http in rows:
        mean = f"{py['mean_nodes']:.0f}"
        print(f"| C: lineage_query_downstream | {name} ({n}) | {mean} | "
              f"{c['query_p50_us']:.0f} µs | {c['query_p95_us']:.0f} µs |")
        print(f"| C: query + lineage_result_to_json | {name} | {mean} | "
              f"{c['query_json_p50_us']:.0f} µs | {c['query_json_p95_us']:.0f} µs |")
        print(f"| Python: g.downstream(key, depth={d}) | {name} | {mean} | "
              f"{py['call_p50_us']:.0f} µs | {py['call_p95_us']:.0f} µs |")
        print(f"| Python: ... then .nodes | {name} | {mean} | "
              f"{py['nodes_p50_us']:.0f} µs | {py['nodes_p95_us']:.0f} µs |")
        for h in http:
            print(f"| HTTP GET .../downstream?depth={d} ({h['tool']}, {h['rps']:.0f} req/s) | "
                  f"{name} | {mean} | {h['p50_us'] / 1000:.1f} ms | "
                  f"{h['p95_us'] / 1000:.1f} ms |")
    for name, r in results.items():
        print(f"\n{name}: overhead ratio (p50) call {r['ratio_call_p50']:.2f}x, with nodes "
              f"{r['ratio_nodes_p50']:.2f}x; engine warm-up C {r['c']['warmup_ms']:.0f} ms, "
              f"Python {r['python']['warmup_ms']:.0f} ms")
    print(json.dumps({"assets": stats["assets"], "edges": stats["edges"], "depth": d,
                      "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
