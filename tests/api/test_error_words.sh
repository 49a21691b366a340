#!/usr/bin/env bash
# Errors that reach people name no C function or constant unless only a C caller can cause
# them (issue 11, defect 10). Every lin_error_set() message in lib/ that names one must be
# listed in tests/data/errors/c_only.txt; a message with a hint (lin_error_hint) says what is
# wrong in words of no surface, since each surface adds its own fix.
set -euo pipefail
src=${LINEAGE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
exec "$PY" - "$src" <<'PYTHON'
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
C_NAME = re.compile(r"\blineage_[a-z_]+(\(|\s+needs|:)|\bLINEAGE_[A-Z_]+")
LITERALS = r"((?:\"(?:[^\"\\]|\\.)*\"\s*)+)"
SET = re.compile(r"lin_error_set\(\s*[A-Z_]+\s*,\s*" + LITERALS)
HINT = re.compile(r"lin_error_hint\(\s*[A-Z_]+\s*,\s*[A-Z_]+\s*,\s*[^,]+,\s*" + LITERALS)
allowed = {line for line in (root / "tests/data/errors/c_only.txt").read_text().splitlines()
           if line and not line.startswith("#")}


def text(literals: str) -> str:
    return "".join(re.findall(r"\"((?:[^\"\\]|\\.)*)\"", literals))


bad, seen, hinted = [], set(), 0
for f in sorted(root.glob("lib/**/*.c")):
    source = f.read_text()
    where = lambda m: f"{f.relative_to(root)}:{source.count(chr(10), 0, m.start()) + 1}"
    for m in SET.finditer(source):
        msg = text(m.group(1))
        if C_NAME.search(msg):
            seen.add(msg)
            if msg not in allowed:
                bad.append(f"{where(m)}: names a C symbol without a hint: {msg}")
    for m in HINT.finditer(source):
        hinted += 1
        msg = text(m.group(1))
        if C_NAME.search(msg):
            bad.append(f"{where(m)}: a hinted problem names a C symbol: {msg}")
for msg in sorted(allowed - seen):  # a note: branches merge in any order
    print(f"note: tests/data/errors/c_only.txt lists a message lib/ no longer has: {msg}")
if hinted < 10:
    bad.append(f"only {hinted} lin_error_hint() calls found: the scan is broken")
if bad:
    sys.exit("\n".join(bad))
print(f"test_error_words: {len(seen)} C-only messages, {hinted} hinted ones checked")
PYTHON
