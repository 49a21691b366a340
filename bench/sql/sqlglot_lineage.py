"""The baseline of bench_sql: sqlglot (PyPI) parsing a script and computing column lineage.

For every statement that writes a table from a query (CREATE TABLE AS, INSERT ... SELECT,
MERGE), sqlglot parses it and sqlglot.lineage.lineage() traces every output column of the
query to its source columns — what lineage_sql_analyze() does for the same text. Prints one
JSON line: seconds (CPU, parse and lineage), parse_seconds, bytes, statements, column edges.

    python bench/sql/sqlglot_lineage.py SCRIPT.sql DIALECT
"""
import json
import sys
import time

import sqlglot
from sqlglot import exp
from sqlglot.lineage import lineage


def query_of(statement):
    if isinstance(statement, (exp.Create, exp.Insert)):
        return statement.expression
    if isinstance(statement, exp.Merge):
        return statement.args.get("using")
    return None


def sources(node):
    found = []
    for n in node.walk():
        if not n.downstream and isinstance(n.expression, exp.Table):
            found.append(n.name)
    return found


def main():
    path, dialect = sys.argv[1], sys.argv[2]
    text = open(path, encoding="utf-8").read()
    start = time.process_time()
    statements = sqlglot.parse(text, read=dialect)
    parse_seconds = time.process_time() - start
    edges = 0
    for statement in statements:
        query = query_of(statement)
        if isinstance(query, exp.Subquery):
            query = query.this
        if not isinstance(query, exp.Query):
            continue
        try:
            # Every output column at once (sqlglot 30+: column None gives a dict of nodes).
            traced = lineage(None, query, None, dialect=dialect)
            nodes = traced.values() if isinstance(traced, dict) else [traced]
        except TypeError:  # older sqlglot: one column at a time
            nodes = [lineage(c, query, dialect=dialect) for c in query.named_selects]
        for node in nodes:
            edges += len(sources(node))
    seconds = time.process_time() - start
    print(json.dumps({"seconds": seconds, "parse_seconds": parse_seconds, "bytes": len(text.encode()), "statements": len(statements),
                      "column_edges": edges, "sqlglot": sqlglot.__version__}))


if __name__ == "__main__":
    main()
