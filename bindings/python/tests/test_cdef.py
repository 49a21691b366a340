"""The generated cdef (lineage/_cdef_gen.py) covers the whole public C API.

The cdef is generated from include/lineage/*.h when the binding is built; these tests read the
headers and the loaded library on their own and check that every public function, constant,
enum value and struct field is reachable through ``lineage._lineage_cffi``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sysconfig
from pathlib import Path

from cffi import FFI

from lineage import _cdef_gen
from lineage._lineage_cffi import ffi, lib

HERE = Path(__file__).resolve().parent
INCLUDE = Path(os.environ.get("LINEAGE_SOURCE_DIR", HERE.parents[2])) / "include" / "lineage"


def _headers() -> str:
    src = "\n".join(h.read_text(encoding="utf-8") for h in sorted(INCLUDE.glob("*.h")))
    src = re.sub(r"/\*.*?\*/", " ", src, flags=re.S)
    return re.sub(r"//[^\n]*", " ", src)


def _public_functions() -> set[str]:
    return set(re.findall(r"^\s*LINEAGE_EXTERN\b[^;(]*?\b(\w+)\s*\(", _headers(), flags=re.M))


def _loaded_library() -> str:
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "/liblineage.so" in line}
    assert len(paths) == 1, f"expected one liblineage loaded, found {paths}"
    return paths.pop()


def test_every_public_function_is_callable() -> None:
    functions = _public_functions()
    assert len(functions) > 100, f"found only {len(functions)} functions under {INCLUDE}"
    missing = sorted(name for name in functions if not callable(getattr(lib, name, None)))
    assert not missing, f"public functions missing from lib: {missing}"


def test_every_exported_symbol_is_declared() -> None:
    nm = subprocess.run(["nm", "-D", "--defined-only", _loaded_library()], check=True,
                        capture_output=True, text=True).stdout
    exported = {line.split()[-1] for line in nm.splitlines() if " lineage_" in line}
    assert exported, "the loaded liblineage exports no lineage_ symbol"
    assert sorted(exported - set(dir(lib))) == []


def test_constants_and_enum_values_match_the_headers() -> None:
    src = _headers()
    integer = r"(-?(?:0[xX][0-9a-fA-F]+|\d+))[uUlL]*"
    expected = {name: int(value, 0) for name, value in
                re.findall(r"#\s*define\s+(LINEAGE_\w+)\s+\(?" + integer + r"\)?\s*$", src,
                           flags=re.M)}
    for body in re.findall(r"\benum\b[^{;]*\{(.*?)\}", src, flags=re.S):
        expected.update((n, int(v, 0)) for n, v in re.findall(r"(\w+)\s*=\s*" + integer, body))
    assert len(expected) > 80
    wrong = {name: (value, getattr(lib, name, None)) for name, value in expected.items()
             if getattr(lib, name, None) != value}
    assert not wrong, f"name: (header, lib): {wrong}"
    strings = dict(re.findall(r'#\s*define\s+(LINEAGE_\w+)\s+"([^"]*)"', src))
    assert "LINEAGE_VERSION" in strings
    assert {n: ffi.string(getattr(lib, n)).decode() for n in strings} == strings


def test_struct_fields_match_the_headers() -> None:
    structs = re.findall(r"typedef\s+struct\s+\w+\s*\{(.*?)\}\s*(\w+)\s*;", _headers(), flags=re.S)
    assert len(structs) > 15
    for body, name in structs:
        fields = []
        for decl in filter(str.strip, body.split(";")):
            pointer = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)  # int (*cb)(...)
            fields += [pointer.group(1)] if pointer else [
                re.findall(r"\w+", part.split("[")[0])[-1] for part in decl.split(",")]
        assert [f for f, _ in ffi.typeof(name).fields] == fields, name


HEADER = r"""
#ifndef T_LINEAGE_H
#define T_LINEAGE_H
#include <stdio.h>
#include <stdint.h>
#define LINEAGE_EXTERN __attribute__((visibility("default")))
#define T_FLAG 0x4u
#define T_BOTH (T_FLAG | 0x1u)
#define T_NAME "t"
#define T_RATIO 0.5
#define T_MAX(a, b) ((a) > (b) ? (a) : (b))
typedef struct t_thing { int a; int64_t b; int (*cb)(void *payload); } t_thing;
typedef enum t_kind { T_ONE = 1, T_TWO = 2 } t_kind;
LINEAGE_EXTERN int t_read(t_thing *out, FILE *file) __attribute__((nonnull(1)));
static inline const char *t_brace(void) { return "}"; }
__attribute__((unused)) static int t_hidden(int x) { return x; }
_Static_assert(sizeof(int) >= 4, "int");
#endif
"""


def test_generator_strips_what_cffi_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "lineage").mkdir()
    (tmp_path / "lineage" / "lineage.h").write_text(HEADER, encoding="utf-8")
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    cdef = _cdef_gen.generate(cc, [f"-I{tmp_path}"])
    for absent in ("__attribute__", "t_brace", "t_hidden", "_Static_assert", "T_RATIO", "T_MAX",
                   "printf", "LINEAGE_EXTERN"):
        assert absent not in cdef, cdef
    # cffi reads it, and compiles it against the header: the values come from the compiler.
    builder = FFI()
    builder.cdef(cdef)
    builder.set_source("_t_cdef", '#include <lineage/lineage.h>\n'
                       "int t_read(t_thing *out, FILE *file) { (void)file; out->a = 7; return 0; }",
                       include_dirs=[str(tmp_path)])
    module = builder.compile(tmpdir=str(tmp_path))
    spec = importlib.util.spec_from_file_location("_t_cdef", module)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    assert (loaded.lib.T_FLAG, loaded.lib.T_BOTH, loaded.lib.T_TWO) == (4, 5, 2)
    assert loaded.ffi.string(loaded.lib.T_NAME) == b"t"
    thing = loaded.ffi.new("t_thing *")
    assert loaded.lib.t_read(thing, loaded.ffi.NULL) == 0 and thing.a == 7
