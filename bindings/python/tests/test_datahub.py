"""DataHub metadata files from Python: scanned in, exported, read back the same."""

from __future__ import annotations

import json

import lineage

DATASET = "urn:li:dataset:(urn:li:dataPlatform:postgres,Shop.Public.{},PROD)"
FIELD = "urn:li:schemaField:({},{})"


def proposals() -> list[dict]:
    orders, daily = DATASET.format("Orders"), DATASET.format("Daily")
    return [{
        "entityType": "dataset", "entityUrn": daily, "changeType": "UPSERT",
        "aspectName": "upstreamLineage",
        "aspect": {"json": {
            "upstreams": [{"auditStamp": {"time": 0, "actor": "urn:li:corpuser:unknown"},
                           "dataset": orders, "type": "TRANSFORMED"}],
            "fineGrainedLineages": [{
                "upstreamType": "FIELD_SET", "upstreams": [FIELD.format(orders, "amount")],
                "downstreamType": "FIELD", "downstreams": [FIELD.format(daily, "total")],
                "transformOperation": "SUM", "confidenceScore": 0.7}]}},
    }]


def test_scan_export_and_read_back(g: lineage.Graph) -> None:
    report = g.scan_data(json.dumps(proposals()), "mcps.json", type="datahub")
    assert report.to_dict()["edges"]["created"] == 2
    edge = g.find_edge("shop.public.orders.amount", "shop.public.daily.total")
    assert edge.transformation_type == "SUM" and abs(edge.confidence - 0.7) < 1e-9
    out = json.loads(g.export("datahub"))
    assert [m["entityUrn"] for m in out] == [DATASET.format("Daily")]
    aspect = out[0]["aspect"]["json"]
    assert aspect["upstreams"][0]["dataset"] == DATASET.format("Orders")
    assert aspect["fineGrainedLineages"][0]["downstreams"] == [FIELD.format(DATASET.format("Daily"), "total")]
    with lineage.open(":memory:") as again:
        again.scan_data(json.dumps(out), "exported.json")  # detected as DataHub's
        assert again.find_edge("shop.public.orders", "shop.public.daily").transformation_type == "TRANSFORMED"
        assert json.loads(again.export("datahub"))[0]["aspect"]["json"]["fineGrainedLineages"] \
            == aspect["fineGrainedLineages"]
