"""Load a small demo warehouse into a lineage database through the Python binding.

    python demo.py lineage.db

Sources in Postgres and S3 feed staging tables, marts and dashboards; a few edges are
inferred (as a SQL scanner would propose them) and wait for review in the web view.
"""

from __future__ import annotations

import sys

import lineage

ASSETS = [
    ("pg.shop.orders", "table", "shop", "Orders placed in the web shop"),
    ("pg.shop.order_items", "table", "shop", "Lines of each order"),
    ("pg.shop.customers", "table", "crm", "Customer master data"),
    ("pg.shop.products", "table", "catalog", "Product catalogue"),
    ("s3.events.clicks", "file", "web", "Click stream, hourly Parquet files"),
    ("stg.orders", "table", "analytics", "Cleaned orders"),
    ("stg.customers", "table", "analytics", "Deduplicated customers"),
    ("stg.sessions", "table", "analytics", "Web sessions built from clicks"),
    ("mart.revenue_daily", "table", "finance", "Revenue per day and product"),
    ("mart.customer_ltv", "table", "finance", "Customer lifetime value"),
    ("mart.funnel", "table", "growth", "Visit to order conversion funnel"),
    ("bi.revenue", "dashboard", "finance", "Revenue dashboard"),
    ("bi.growth", "dashboard", "growth", "Growth dashboard"),
    ("ml.churn_model", "model", "data-science", "Churn prediction model"),
    ("job.dbt_nightly", "job", "analytics", "Nightly dbt run"),
]

EDGES = [
    # source, target, lineage source, confidence, transformation
    ("pg.shop.orders", "stg.orders", "manual", None, "select * from orders where not test"),
    ("pg.shop.order_items", "stg.orders", "manual", None, None),
    ("pg.shop.customers", "stg.customers", "approved", None, None),
    ("s3.events.clicks", "stg.sessions", "manual", None, None),
    ("stg.orders", "mart.revenue_daily", "manual", None, "sum(amount) group by day"),
    ("pg.shop.products", "mart.revenue_daily", "inferred", 0.7, None),
    ("stg.orders", "mart.customer_ltv", "manual", None, None),
    ("stg.customers", "mart.customer_ltv", "inferred", 0.85, None),
    ("stg.sessions", "mart.funnel", "manual", None, None),
    ("stg.orders", "mart.funnel", "inferred", 0.55, None),
    ("mart.revenue_daily", "bi.revenue", "approved", None, None),
    ("mart.funnel", "bi.growth", "manual", None, None),
    ("mart.customer_ltv", "bi.growth", "inferred", 0.4, None),
    ("mart.customer_ltv", "ml.churn_model", "manual", None, None),
]


def load(graph: lineage.Graph) -> None:
    with graph.transaction("demo warehouse"):
        for key, kind, owner, description in ASSETS:
            graph.add_asset(key, kind, owner=owner, description=description)
        for column in ("id", "customer_id", "amount", "ordered_at"):
            graph.add_asset(f"pg.shop.orders.{column}", "column", parent="pg.shop.orders")
        for source, target, src, confidence, transformation in EDGES:
            graph.add_edge(source, target, lineage_source=src, confidence=confidence,
                           transformation=transformation,
                           job="job.dbt_nightly" if source.startswith("stg.") else None)


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "lineage.db"
    with lineage.open(path, actor="demo") as graph:
        load(graph)
        stats = graph.stats()
    print(f"{path}: {stats['assets']} assets, {stats['edges']} edges")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
