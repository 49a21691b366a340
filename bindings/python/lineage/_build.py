"""cffi build script (API mode, out of line) for the ``lineage._lineage_cffi`` extension.

Where liblineage is found, in this order:

1. ``LINEAGE_BUILD_DIR``: a CMake build tree of liblineage; the library is
   ``<build>/lib/liblineage.so`` and the headers are the source tree's ``include/``, found
   through ``LINEAGE_SOURCE_DIR`` or the build tree's ``CMakeCache.txt``
   (``lineage_SOURCE_DIR``);
2. ``pkg-config --cflags --libs lineage`` (an installed liblineage).

The library directory is recorded as an rpath, so ``import lineage`` needs no
``LD_LIBRARY_PATH``. The cdef is generated from the headers found there (``_cdef_gen.py``),
so every public declaration is in ``lib`` and a header change is never missed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
from typing import NoReturn

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _cdef_gen  # noqa: E402  (a sibling file: this script runs outside its package)

# Callbacks implemented in Python (lineage/_callbacks.py).
PYTHON_CALLBACKS = """
extern "Python" int _lineage_progress_trampoline(const char *stage, uint64_t done,
                                                 uint64_t total, void *payload);
extern "Python" void _lineage_commit_trampoline(lineage_db *db, int64_t first_seq,
                                                int64_t last_seq, void *payload);
"""


def _fail(message: str) -> NoReturn:
    sys.stderr.write("lineage build: " + message + "\n")
    raise SystemExit(1)


def _source_dir_from_cache(build_dir: str) -> str | None:
    cache = os.path.join(build_dir, "CMakeCache.txt")
    try:
        with open(cache, encoding="utf-8") as f:
            for line in f:
                if line.startswith("lineage_SOURCE_DIR:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        return None
    return None


def _from_build_dir(build_dir: str) -> dict[str, list[str]]:
    build_dir = os.path.abspath(build_dir)
    lib_dir = os.path.join(build_dir, "lib")
    if not os.path.exists(os.path.join(lib_dir, "liblineage.so")):
        _fail(
            f"LINEAGE_BUILD_DIR={build_dir} has no lib/liblineage.so: build liblineage first "
            "(cmake -S . -B build -G Ninja && cmake --build build)"
        )
    source_dir = os.environ.get("LINEAGE_SOURCE_DIR") or _source_dir_from_cache(build_dir)
    if not source_dir:
        _fail(
            f"cannot find liblineage's source tree for {build_dir}: set LINEAGE_SOURCE_DIR "
            "to the folder that holds include/lineage/lineage.h"
        )
    include_dir = os.path.join(os.path.abspath(source_dir), "include")
    if not os.path.exists(os.path.join(include_dir, "lineage", "lineage.h")):
        _fail(f"{include_dir} has no lineage/lineage.h: check LINEAGE_SOURCE_DIR")
    return {"include_dirs": [include_dir], "library_dirs": [lib_dir], "cflags": []}


def _from_pkg_config() -> dict[str, list[str]]:
    try:
        out = subprocess.run(
            ["pkg-config", "--cflags", "--libs", "lineage"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        _fail(
            "liblineage not found: set LINEAGE_BUILD_DIR to a liblineage build tree, or "
            "install liblineage so that `pkg-config --libs lineage` finds it "
            f"({exc})"
        )
    include_dirs, library_dirs, cflags = [], [], []
    for flag in shlex.split(out):
        if flag.startswith("-I"):
            include_dirs.append(flag[2:])
        elif flag.startswith("-L"):
            library_dirs.append(flag[2:])
        elif flag.startswith("-l"):
            pass  # -llineage is added below
        else:
            cflags.append(flag)
    return {"include_dirs": include_dirs, "library_dirs": library_dirs, "cflags": cflags}


def _locate() -> dict[str, list[str]]:
    build_dir = os.environ.get("LINEAGE_BUILD_DIR")
    if build_dir:
        return _from_build_dir(build_dir)
    return _from_pkg_config()


def _compiler() -> list[str]:
    """The compiler that will build the extension (setuptools takes the same)."""
    return shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")


def _cdef(where: dict[str, list[str]]) -> str:
    flags = [f"-I{d}" for d in where["include_dirs"]] + where["cflags"]
    try:
        return _cdef_gen.generate(_compiler(), flags) + PYTHON_CALLBACKS
    except (OSError, RuntimeError) as exc:
        _fail(f"cannot read liblineage's headers: {exc}")


def make_ffibuilder() -> FFI:
    where = _locate()
    builder = FFI()
    builder.cdef(_cdef(where))
    rpaths = [f"-Wl,-rpath,{d}" for d in where["library_dirs"]]
    builder.set_source(
        "lineage._lineage_cffi",
        "#include <lineage/lineage.h>",
        include_dirs=where["include_dirs"],
        library_dirs=where["library_dirs"],
        libraries=["lineage"],
        extra_compile_args=where["cflags"],
        extra_link_args=rpaths,
    )
    return builder


ffibuilder = make_ffibuilder()

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
