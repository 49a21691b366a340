"""cffi's cdef, generated from liblineage's public headers when the binding is built.

The C compiler preprocesses ``<lineage/lineage.h>`` with the binding's own flags, so cffi
reads exactly what a C program sees. Only the text that comes from the folder of
``lineage/lineage.h`` is kept (cffi knows the standard types itself), then what cffi cannot
read is removed: attributes and visibility markers, static or inline functions,
``_Static_assert``. ``#define`` constants do not survive preprocessing: the integer ones are
read back from ``cc -dM`` and declared as ``#define NAME ...`` (cffi asks the compiler for
the value), the string ones as ``static const char *const NAME;``.

Run it alone to see the result: ``python _cdef_gen.py -I include``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

_ROOT = "#include <lineage/lineage.h>\n"
_LINE_MARKER = re.compile(r'#\s*(?:line\s+)?\d+\s+"((?:\\.|[^"\\])*)"')
_SKIPPED_WORDS = re.compile(r"\b(?:__extension__|__inline__|__inline)\b")
_ATTRIBUTE = re.compile(r"\b(?:__attribute__|__declspec)\s*\(")
_NOT_FOR_CFFI = re.compile(r"\s*(?:static|inline|_Static_assert|static_assert)\b")
# A string or character literal, or a character that shapes top-level declarations.
_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|[{};]')
_DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)", re.M)
_INTEGER = re.compile(r"(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*")
_STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def _preprocess(cc: list[str], flags: list[str], *extra: str) -> str:
    cmd = [*cc, "-E", *extra, *flags, "-x", "c", "-"]
    done = subprocess.run(cmd, input=_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return done.stdout


def _own_text(preprocessed: str) -> tuple[str, str]:
    """The lines that came from lineage/lineage.h's folder, and that folder."""
    folder, current, kept = None, None, []
    for line in preprocessed.splitlines():
        marker = _LINE_MARKER.match(line)
        if marker:
            current = os.path.dirname(os.path.realpath(marker.group(1)))
            if folder is None and marker.group(1).endswith("lineage/lineage.h"):
                folder = current
        elif line.startswith("#"):
            continue  # a #pragma or #ident
        elif folder is not None and current == folder:
            kept.append(line)
    if folder is None:
        raise RuntimeError("the preprocessor output names no lineage/lineage.h")
    return "\n".join(kept), folder


def _strip_attributes(src: str) -> str:
    while match := _ATTRIBUTE.search(src):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(src)):
            depth += {"(": 1, ")": -1}.get(src[end], 0)
            if depth == 0:
                break
        src = src[:match.start()] + src[end + 1:]
    return _SKIPPED_WORDS.sub("", src)


def _declarations(src: str) -> list[str]:
    """Top-level declarations; function definitions (a body after ')') are left out."""
    out, depth, start, definition = [], 0, 0, False
    for token in _TOKEN.finditer(src):
        ch, at = token.group(), token.start()
        if ch == "{":
            if depth == 0:
                definition = src[start:at].rstrip().endswith(")")
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and definition:
                start, definition = token.end(), False
        elif ch == ";" and depth == 0:
            out.append(src[start:token.end()].strip())
            start = token.end()
    return [d for d in out if d != ";" and not _NOT_FOR_CFFI.match(d)]


def _constants(macros: str, names: set[str]) -> list[str]:
    """Declarations of the header's #define constants that cffi can take from the compiler."""
    values = {}
    for line in macros.splitlines():
        parts = line.split(None, 2)  # "#define NAME VALUE"; a function-like NAME has a "("
        if len(parts) == 3 and parts[1] in names and "(" not in parts[1]:
            values[parts[1]] = parts[2].strip()
    integers: set[str] = set()
    grew = True
    while grew:  # a constant may be written with others: (LINEAGE_A | LINEAGE_B)
        grew = False
        for name, value in values.items():
            tokens = re.findall(r"\w+|\S", value)
            if name not in integers and tokens and all(
                    _INTEGER.fullmatch(t) or t in integers or t in "()+-*/%<>|&^~!"
                    for t in tokens):
                integers.add(name)
                grew = True
    out = [f"#define {name} ..." for name in sorted(integers)]
    out += [f"static const char *const {name};" for name, value in sorted(values.items())
            if _STRING.fullmatch(value)]
    return out


def generate(cc: list[str], flags: list[str]) -> str:
    """The cdef for the public API seen through the include flags `flags`."""
    text, folder = _own_text(_preprocess(cc, flags))
    names = set()
    for header in sorted(os.listdir(folder)):
        if header.endswith(".h"):
            with open(os.path.join(folder, header), encoding="utf-8") as f:
                names.update(_DEFINE.findall(f.read()))
    lines = _constants(_preprocess(cc, flags, "-dM"), names)
    lines += _declarations(_strip_attributes(text))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(generate([os.environ.get("CC", "cc")], sys.argv[1:]))
