"""Issue 15's bad input over real HTTP (uvicorn on 127.0.0.1): role escalation, a 1 GB
upload, a zip bomb workbook and a YAML alias bomb. Each time the service answers with its
envelope, keeps serving others, and the database is as it was."""

from __future__ import annotations

import json
import socket
import threading
import time
import zipfile
from pathlib import Path
from typing import Any, Iterator

import lineage
from conftest import assert_error
from served import Served, serve
from test_xlsx_http import workbook

API = "/api/v1"


def state(db: Path) -> tuple[int, dict[str, Any], int]:
    """What a failed request must not change: the change feed, the counts, the tokens."""
    with lineage.open(db) as g:
        stats = g.stats()
        return g.last_seq(), {k: stats[k] for k in ("assets", "edges")}, g.token_count()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_role_escalation_is_refused_and_changes_nothing(db_file: Path) -> None:
    with lineage.open(db_file, actor="setup") as g:
        tok = {role: g.create_token(role + "-user", role)[1] for role in lineage.ROLES}
        batch = g.changes_since(0, 1)[0].batch_id
    before = state(db_file)
    with serve(db_file) as s:
        attempts = [
            # an editor (or a steward) minting an admin token, or one for itself
            ("editor", "POST", "/tokens", {"json": {"user": "mallory", "role": "admin"}}),
            ("steward", "POST", "/tokens", {"json": {"user": "steward-user", "role": "admin"}}),
            ("editor", "DELETE", "/tokens/1", {}),
            ("editor", "GET", "/tokens", {}),
            # tokens acting beyond their role
            ("viewer", "PUT", "/assets/esc.t", {"json": {"kind": "table"}}),
            ("viewer", "POST", "/import/execute",
             {"files": {"file": ("a.csv", b"key,kind\nesc.a,table\n")}}),
            ("editor", "POST", "/admin/backup", {"json": {}}),
            ("editor", "POST", f"/batches/{batch}/revert", {}),
            ("steward", "POST", f"/batches/{batch}/revert", {}),
        ]
        for role, method, path, kw in attempts:
            r = s.http.request(method, API + path, headers=bearer(tok[role]), **kw)
            err = assert_error(r, 403, "forbidden")
            assert f"role {role}" in err["message"] and "needs role" in err["message"], err
            assert tok[role] not in r.text
        # an editor approving, and a steward signing as an admin
        edge = s.http.get(f"{API}/edges/pending", params={"limit": 1}).json()["items"][0]["id"]
        assert_error(s.http.post(f"{API}/lineage/{edge}/approve", json={},
                                 headers=bearer(tok["editor"])), 403, "forbidden")
        assert_error(s.http.post(f"{API}/lineage/{edge}/approve", json={"by": "admin-user"},
                                 headers=bearer(tok["steward"])), 403, "forbidden")
        # a ticket stands for its token on the streams only, never on a write
        t = s.http.post(f"{API}/auth/ticket", headers=bearer(tok["viewer"])).json()["ticket"]
        assert_error(s.http.put(f"{API}/assets/esc.t", json={"kind": "table"},
                                params={"ticket": t}), 401, "unauthorized")
        # an admin may not make a role that does not exist
        assert_error(s.http.post(f"{API}/tokens", json={"user": "x", "role": "root"},
                                 headers=bearer(tok["admin"])), 422, "validation_error")
        assert s.http.get("/health").status_code == 200
    assert state(db_file) == before


def _stream_upload(s: Served, total: int, path: str) -> tuple[bytes, int]:
    """POST a multipart body of `total` bytes, chunked, from a generator on a raw socket (the
    server may answer before it has read it all); the answer, and how much was sent."""
    host, port = s.base[len("http://"):].split(":")
    sock = socket.create_connection((host, int(port)))
    sent = [0]

    def body() -> Iterator[bytes]:
        yield (b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
               b"Content-Type: text/csv\r\n\r\nkey,kind\r\n")
        chunk = b"big.table,table\n" * 65536  # 1 MiB, reused: nothing of 1 GB is held
        for _ in range(total // len(chunk)):
            yield chunk
        yield b"\r\n--b--\r\n"

    def send() -> None:
        try:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                         "Content-Type: multipart/form-data; boundary=b\r\n\r\n".encode())
            for part in body():
                sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
                sent[0] += len(part)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server stopped reading: it has answered

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sock.settimeout(120)
    answer = b""
    try:
        while not (b"\r\n\r\n" in answer and answer.endswith(b"}}")):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    finally:
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        sender.join(30)
    return answer, sent[0]


def test_a_1gb_upload_is_refused_at_the_limit_with_memory_bounded(db_file: Path) -> None:
    before = state(db_file)
    limit = 64 << 20
    with serve(db_file, LINEAGE_MAX_UPLOAD_BYTES=str(limit)) as s:
        assert s.http.get("/health").status_code == 200
        rss_before = rss_kib(s.proc.pid)
        peak = [rss_before]
        others: list[int] = []
        done = threading.Event()

        def watch() -> None:  # the server's memory, and others served during the upload
            while not done.is_set():
                peak[0] = max(peak[0], rss_kib(s.proc.pid))
                try:
                    others.append(s.http.get(f"{API}/assets/stg.orders").status_code)
                except Exception:  # noqa: BLE001 - counted as not served
                    others.append(0)
                time.sleep(0.2)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            answer, sent = _stream_upload(s, 1 << 30, f"{API}/import/execute")
        finally:
            done.set()
            watcher.join(30)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
        err = json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]
        assert err["code"] == "too_large" and "LINEAGE_MAX_UPLOAD_BYTES" in err["message"]
        # streamed to the limit, not read to the end; the server's memory did not follow it
        assert limit < sent < (1 << 30), sent
        assert peak[0] - rss_before < (limit >> 10) // 2, (rss_before, peak[0])
        assert others and all(code == 200 for code in others), others
        assert s.http.get(f"{API}/assets/stg.orders").status_code == 200
    assert state(db_file) == before


def zip_bomb(path: Path) -> Path:
    """A real workbook whose sheet inflates to 256 MiB of spaces (about 250 KiB zipped)."""
    good = workbook(path.with_name("good.xlsx"), [["key", "kind"], ["bomb.t", "table"]])
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, src.read(item.filename))
                continue
            xml = src.read(item.filename)
            head, tail = xml.split(b"<sheetData>", 1)
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                spaces = b" " * (1 << 20)
                for _ in range(256):
                    sheet.write(spaces)
                sheet.write(tail)
    assert path.stat().st_size < 2 << 20
    return path


def test_zip_bomb_and_yaml_alias_bomb_are_refused(db_file: Path, tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path / "bomb.xlsx").read_bytes()
    laughs = ['- key: lol\n  kind: table\n  description: &a0 "lol"\n']
    for i in range(1, 10):
        laughs.append(f"- key: lol{i}\n  kind: table\n  tags: &a{i} [" +
                      ", ".join([f"*a{i - 1}"] * 10) + "]\n")
    yaml_bomb = "".join(laughs).encode()
    before = state(db_file)
    with serve(db_file) as s:
        for route in ("validate", "execute"):
            r = s.http.post(f"{API}/import/{route}", files={"file": ("bomb.xlsx", bomb)})
            err = assert_error(r, 413, "limit")
            assert "zip bomb" in err["message"] and "Nothing was read" in err["message"], err
            r = s.http.post(f"{API}/import/{route}", files={"file": ("laughs.yaml", yaml_bomb)})
            err = assert_error(r, 400, "parse_error")
            assert "alias" in err["message"], err
        # the async form fails its job the same way
        r = s.http.post(f"{API}/import/execute", params={"async": "true"},
                        files={"file": ("bomb.xlsx", bomb)})
        job = s.wait_job(r.json()["job_id"])
        assert job["state"] == "failed" and "zip bomb" in job["error"]["message"], job
        assert s.http.get("/health").status_code == 200
    assert state(db_file) == before
