#!/usr/bin/env bash
# DataHub files on the command line: `lineage scan` reads one (detected, or --type datahub),
# `lineage export --format datahub` writes one, and the written file reads back the same.
source "$LINEAGE_SOURCE_DIR/tests/cli/lib.sh"
DATA=$LINEAGE_SOURCE_DIR/tests/data/datahub
ok init

ok scan --json "$DATA/proposals.json"
json 'assert d["inputs"][0]["scanner"] == "datahub", d["inputs"]
assert d["edges"]["created"] == 7, d'
ok upstream analytics.marts.orders_daily.revenue --json
json 'keys = {n["key"] for n in d["nodes"]}
assert "analytics.staging.orders.amount" in keys and "s3://lake-raw/exports/fx_rates.parquet.rate" in keys, keys'

ok export --format datahub -o "$TMP/out.json"
"$PY" - "$TMP/out.json" <<'PY' || fail "the exported file is not a DataHub metadata file"
import json, sys
mcps = json.load(open(sys.argv[1]))
assert isinstance(mcps, list) and mcps
for m in mcps:
    assert m["entityType"] == "dataset" and m["changeType"] == "UPSERT"
    assert m["aspectName"] == "upstreamLineage"
    assert m["entityUrn"].startswith("urn:li:dataset:(urn:li:dataPlatform:")
    for u in m["aspect"]["json"]["upstreams"]:
        assert u["type"] in ("TRANSFORMED", "COPY", "VIEW") and u["dataset"].startswith("urn:li:dataset:(")
daily = [m for m in mcps if "Orders_Daily" in m["entityUrn"]][0]["aspect"]["json"]
fine = daily["fineGrainedLineages"]
assert any(f["upstreamType"] == "FIELD_SET" and f.get("transformOperation") == "SUM" for f in fine), fine
PY

# Into a second database, and out again: the same proposals.
DB2=$TMP/second.db
"$CLI" --db "$DB2" init >/dev/null
"$CLI" --db "$DB2" scan --type datahub "$TMP/out.json" >/dev/null || fail "reading the export back"
"$CLI" --db "$DB2" export --format datahub -o "$TMP/again.json" || fail "exporting again"
"$PY" - "$TMP/out.json" "$TMP/again.json" <<'PY' || fail "the round trip changed the lineage"
import json, sys
def strip(path):
    mcps = json.load(open(path))
    for m in mcps:
        for u in m["aspect"]["json"]["upstreams"]:
            u.pop("auditStamp")
    return mcps
assert strip(sys.argv[1]) == strip(sys.argv[2])
PY
checks=$((checks + 1))

rc=0
l scan --type datahub "$LINEAGE_SOURCE_DIR/tests/data/openlineage/run_events.jsonl" >"$TMP/out" 2>&1 || rc=$?
grep -q "not valid JSON" "$TMP/out" || fail "a file that is not DataHub's: $(cat "$TMP/out")"
echo "ok: $checks checks"
