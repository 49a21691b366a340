from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import lineage


def test_version() -> None:
    assert lineage.library_version().count(".") == 2


def test_context_manager_and_close(db_path: Path) -> None:
    with lineage.open(db_path) as g:
        g.add_asset("a", "table")
        assert not g.closed and g.db_path == str(db_path)
        assert g.schema_version >= 1
    assert g.closed
    g.close()  # twice is fine
    with pytest.raises(lineage.LineageError, match="closed"):
        g.get_asset("a")
    with pytest.raises(lineage.LineageError):
        g.downstream("a")
    with lineage.open(str(db_path)) as again:
        assert again.get_asset("a").kind == "table"


def test_open_errors(tmp_path: Path) -> None:
    with pytest.raises(lineage.NotFoundError):
        lineage.open(tmp_path / "missing.db", create=False)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(lineage.DatabaseError):
        lineage.open(junk)
    with pytest.raises(TypeError, match="path must be str"):
        lineage.open(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="busy_timeout_ms"):
        lineage.open(":memory:", busy_timeout_ms="soon")


def test_max_staleness_ms(g: lineage.Graph, tmp_path: Path) -> None:
    """A reader that skips the per-query check still learns of another writer's commits
    (in PostgreSQL from their notifications; a SQLite file ignores the option)."""
    with pytest.raises(ValueError, match="max_staleness_ms"):
        lineage.open(":memory:", max_staleness_ms=-1)
    with pytest.raises(TypeError, match="max_staleness_ms"):
        lineage.open(":memory:", max_staleness_ms="soon")
    if os.environ.get("LINEAGE_TEST_BACKEND") == "postgres":
        path, schema = os.environ["LINEAGE_TEST_PG"], "py_stale_" + str(os.getpid())
        options: dict[str, str] = {"pg_schema": schema}
    else:
        path, options = str(tmp_path / "shared.db"), {}
    with lineage.open(path, **options) as writer, \
            lineage.open(path, max_staleness_ms=3_600_000, **options) as reader:
        writer.add_asset("raw.orders", "table")
        writer.add_asset("stg.orders", "table")
        writer.add_edge("raw.orders", "stg.orders")
        assert len(reader.downstream("raw.orders")) == 2
        writer.add_asset("mart.sales", "table")
        writer.add_edge("stg.orders", "mart.sales")
        for _ in range(500):  # an hour's bound: only the notification can tell the reader
            if len(reader.downstream("raw.orders")) == 3:
                break
            time.sleep(0.01)
        assert len(reader.downstream("raw.orders")) == 3


def test_readonly(db_path: Path) -> None:
    lineage.open(db_path).close()
    with lineage.open(db_path, readonly=True) as ro:
        with pytest.raises(lineage.ReadOnlyError):
            ro.add_asset("a", "table")


def test_transaction_commits_and_rolls_back(g: lineage.Graph) -> None:
    with g.transaction("load"):
        g.add_asset("a", "table")
        g.add_asset("b", "table")
        assert g.in_transaction
    assert not g.in_transaction and "b" in g
    with pytest.raises(RuntimeError):
        with g.transaction():
            g.add_asset("c", "table")
            raise RuntimeError("boom")
    assert "c" not in g and not g.in_transaction


def test_history_and_change_feed(g: lineage.Graph) -> None:
    start = g.last_seq()
    g.add_asset("a", "table")
    e = g.add_edge("a", "b", create_missing=True)
    g.approve(e.id, by="alice")
    changes = g.changes_since(start)
    assert [ch.seq for ch in changes] == sorted(ch.seq for ch in changes)
    assert changes[-1].seq == g.last_seq()
    assert {ch.action for ch in changes} >= {"create", "approve"}
    assert all(isinstance(ch, lineage.Change) for ch in changes)
    hist = g.history("a")
    assert hist[0].seq > hist[-1].seq  # newest first
    assert any(ch.entity == "edge" for ch in hist)
    assert hist[0].to_dict()["seq"] == hist[0].seq
    assert g.edge_history(e.id)[0].action == "approve"
    assert g.changes_since(g.last_seq()) == []
    with pytest.raises(ValueError, match="seq"):
        g.changes_since(-1)


def test_revert_batch(g: lineage.Graph) -> None:
    g.add_asset("keep", "table")
    with g.transaction("oops"):
        g.add_asset("x", "table")
        g.add_asset("y", "table")
        batch = g.batch_id
    g.revert_batch(batch)
    assert "x" not in g and "y" not in g and "keep" in g


def test_stats(warehouse: lineage.Graph) -> None:
    s = warehouse.stats()
    assert s["assets"] == 5 and s["edges"] == 4
    assert s["edges_by_source"]["inferred"] == 1
    assert s["last_seq"] == warehouse.last_seq()


def test_on_commit(g: lineage.Graph) -> None:
    seen: list[tuple[int, int]] = []
    g.on_commit(lambda first, last: seen.append((first, last)))
    g.add_asset("a", "table")
    with g.transaction():
        g.add_asset("b", "table")
        g.add_asset("c", "table")
    assert len(seen) == 2
    assert seen[1][1] == g.last_seq() and seen[1][1] - seen[1][0] >= 1
    g.on_commit(None)
    g.add_asset("d", "table")
    assert len(seen) == 2
    with pytest.raises(TypeError):
        g.on_commit(42)  # type: ignore[arg-type]


def test_on_commit_callback_cannot_reenter(g: lineage.Graph) -> None:
    errors: list[BaseException] = []

    def callback(first: int, last: int) -> None:
        try:
            g.get_asset("a")
        except lineage.LineageError as exc:
            errors.append(exc)

    g.on_commit(callback)
    g.add_asset("a", "table")
    assert errors and isinstance(errors[0], lineage.UsageError)
    g.on_commit(None)
    assert g.get_asset("a").key == "a"


def _filled(path: Path, n: int = 2000) -> lineage.Graph:
    g = lineage.open(path)
    with g.transaction():
        for i in range(n):
            g.add_asset(f"t{i}", "table", description="x" * 200)
    return g


def test_backup_with_progress(tmp_path: Path) -> None:
    with _filled(tmp_path / "src.db") as g:
        calls: list[tuple[str, int, int]] = []
        g.backup(tmp_path / "copy.db", progress=lambda s, d, t: calls.append((s, d, t)))
        assert calls
    with lineage.open(tmp_path / "copy.db") as copy:
        assert copy.get_asset("t1999").kind == "table"


def test_progress_can_cancel_and_errors_propagate(tmp_path: Path) -> None:
    with _filled(tmp_path / "src.db") as g:
        with pytest.raises(lineage.CancelledError):
            g.backup(tmp_path / "a.db", progress=lambda s, d, t: False)

        def boom(stage: str, done: int, total: int) -> None:
            raise ZeroDivisionError("from the callback")

        with pytest.raises(ZeroDivisionError, match="from the callback"):
            g.backup(tmp_path / "b.db", progress=boom)
        with pytest.raises(TypeError, match="progress must be callable"):
            g.backup(tmp_path / "c.db", progress=5)  # type: ignore[arg-type]
        assert g.stats()["assets"] == 2000  # the graph is still usable


def test_ctrl_c_cancels_a_long_operation(tmp_path: Path, ctrl_c: None) -> None:
    with _filled(tmp_path / "src.db") as g:
        def interrupt(stage: str, done: int, total: int) -> None:
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C does
            time.sleep(0.01)  # the signal is delivered to Python code, here

        before = g.last_seq()
        with pytest.raises(KeyboardInterrupt):
            g.backup(tmp_path / "d.db", progress=interrupt)
        assert g.last_seq() == before
        assert g.get_asset("t0").kind == "table"


def test_one_graph_shared_by_threads(db_path: Path) -> None:
    errors: list[BaseException] = []
    with lineage.open(db_path) as g:
        def work(t: int) -> None:
            try:
                for i in range(50):
                    g.add_edge(f"s{t}.{i}", f"d{t}.{i}", create_missing=True)
                    assert g.downstream(f"s{t}.{i}").keys == [f"s{t}.{i}", f"d{t}.{i}"]
                    g.search(f"s{t}")
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors, errors
        assert g.stats()["edges"] == 200


def test_the_gil_is_released_during_c_calls(db_path: Path) -> None:
    """While one thread waits inside C for a lock, other Python threads keep running."""
    writer = lineage.open(db_path)
    waiter = lineage.open(db_path, busy_timeout_ms=1500)
    ticks = 0
    done = threading.Event()
    result: list[BaseException] = []

    def blocked() -> None:
        try:
            waiter.add_asset("w", "table")  # waits for the writer's lock inside SQLite
        except BaseException as exc:  # noqa: BLE001
            result.append(exc)
        done.set()

    with writer.transaction():
        writer.add_asset("held", "table")
        th = threading.Thread(target=blocked)
        started = time.monotonic()
        th.start()
        while not done.is_set() and time.monotonic() - started < 1.0:
            ticks += 1
            time.sleep(0.001)
    th.join()
    # Held GIL: the loop could not run at all while the other thread waited in C (0 or 1
    # tick). A loaded machine stretches each 1 ms sleep, so ask for a margin, not 1000.
    assert ticks >= 20, f"Python threads were blocked while C waited ({ticks} ticks)"
    assert not result or isinstance(result[0], lineage.BusyError)
    writer.close()
    waiter.close()
