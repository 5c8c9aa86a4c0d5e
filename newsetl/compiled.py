"""The parser and text cleaner compiled by Cython in place (`make install`), checked to be current.

    .venv/bin/python newsetl/compiled.py          compile what changed (needs the dev group)
    .venv/bin/python newsetl/compiled.py --clean  remove the compiled files: plain Python again

Run as a script, not with `-m`: importing the package checks that no compiled module is stale,
and a stale one is what this script is there to rebuild. The modules are the plain Python ones
(the reference; they run as they are where nothing is compiled) plus clean_scan.pyx, whose
functions each have a Python fallback. Python imports a module's compiled file before its
source, so a compiled module older than its source would run old code: `check_current` refuses
that, and a compiled file left where its module was before a move (the script removes those).
A wheel carries the same modules compiled by hatch_build.py, which calls
`compile_modules` on a copy.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The modules a load spends its CPU in: the cleaner (~30% less time compiled) and the parser.
COMPILED_MODULES = (
    "text/clean.py",
    "text/clean_captions.py",
    "text/clean_chars.py",
    "text/clean_glue.py",
    "text/clean_paragraphs.py",
    "text/clean_quotes.py",
    "text/clean_scan.pyx",
    "text/clean_spaces.py",
    "text/parse.py",
)
# Where the C files and objects go, out of the package (ignored by git).
BUILD_DIR = PACKAGE_DIR.parent / ".cache" / "cython"


def compiled_files(package_dir: Path = PACKAGE_DIR) -> dict[Path, Path]:
    """Each compiled module file under `package_dir`
    (`text/clean.cpython-311-x86_64-linux-gnu.so`), mapped to its source beside it."""
    found: dict[Path, Path] = {}
    for binary in package_dir.rglob("*.so"):
        stem = binary.name.split(".", 1)[0]
        for suffix in (".py", ".pyx"):
            source = binary.parent / f"{stem}{suffix}"
            if source.is_file():
                found[binary] = source
    return found


def stray_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Compiled files named after a compiled module but not beside its source: left from before
    the module moved (`newsetl/clean.*.so` once it is `newsetl/text/clean.py`). Python would
    still import the old code under the old name."""
    stems = {Path(name).stem: name for name in COMPILED_MODULES}
    listed = set(compiled_files(package_dir))
    return sorted(
        binary
        for binary in package_dir.rglob("*.so")
        if binary.name.split(".", 1)[0] in stems and binary not in listed
    )


def stale_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The compiled modules whose source changed after they were compiled, by source path
    in the package (`text/clean.py`)."""
    return sorted(
        source.relative_to(package_dir).as_posix()
        for binary, source in compiled_files(package_dir).items()
        if source.stat().st_mtime > binary.stat().st_mtime
    )


def check_current(package_dir: Path = PACKAGE_DIR) -> None:
    """Raise ImportError naming the fix if a compiled module is older than its source.

    Only in a checkout (a pyproject.toml beside the package), where sources change under the
    compiled files: an installed wheel's files all come from one build, written in any order.
    """
    if not (package_dir.parent / "pyproject.toml").is_file():
        return
    strays = [binary.relative_to(package_dir).as_posix() for binary in stray_files(package_dir)]
    if strays:
        raise ImportError(
            f"newsetl: {', '.join(strays)} compiled a module whose source has moved, and Python "
            "would run that old code under the old name. Run `make install`, which removes it."
        )
    stale = stale_modules(package_dir)
    if stale:
        raise ImportError(
            f"newsetl: {', '.join(stale)} changed since it was compiled, and Python would run "
            "the old compiled code. Run `make install` to compile it again, or "
            "`.venv/bin/python newsetl/compiled.py --clean` to run plain Python."
        )


def compile_modules(package_dir: Path = PACKAGE_DIR, build_dir: Path = BUILD_DIR) -> None:
    """Compile COMPILED_MODULES in place; Cython skips those whose C file is current."""
    # Build tools, from the dev group: only this function needs them.
    from Cython.Build import cythonize
    from setuptools import Distribution

    sources = [str(package_dir / name) for name in COMPILED_MODULES]
    extensions = cythonize(  # type: ignore[no-untyped-call]
        sources,
        build_dir=str(build_dir),
        language_level=3,
        quiet=True,
        nthreads=os.cpu_count() or 1,
        # The modules' type hints are for mypy: as C types they would change what the code does
        # (an `int` hint would reject a bool), and the plain Python is the reference.
        compiler_directives={"annotation_typing": False},
    )
    # A bare Distribution: setuptools would otherwise read pyproject.toml, whose build is
    # hatchling's, and look for packages to install. The package's folder is named, so that an
    # in-place build lands there and not in the working directory's `newsetl/` (hatch_build.py
    # compiles a copy).
    distribution = Distribution(
        {
            "ext_modules": extensions,
            "script_name": "compiled.py",
            "package_dir": {package_dir.name: str(package_dir)},
        }
    )
    build_ext = distribution.get_command_obj("build_ext")
    build_ext.inplace = True
    build_ext.build_temp = str(build_dir / "temp")
    build_ext.build_lib = str(build_dir / "lib")
    build_ext.parallel = os.cpu_count() or 1
    distribution.run_command("build_ext")


def remove_compiled(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Remove every compiled module of `package_dir`; returns the files removed."""
    removed = [*compiled_files(package_dir), *stray_files(package_dir)]
    for binary in removed:
        binary.unlink()
    return removed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="newsetl/compiled.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules instead")
    args = parser.parse_args(argv)
    if args.clean:
        for binary in remove_compiled():
            print(f"removed {binary.relative_to(PACKAGE_DIR).as_posix()}")
        return 0
    from setuptools.errors import CompileError, ExecError

    for binary in stray_files():
        binary.unlink()
        print(f"removed {binary.relative_to(PACKAGE_DIR).as_posix()}: its source has moved")
    before = {binary: binary.stat().st_mtime for binary in compiled_files()}
    try:
        compile_modules()
    except (CompileError, ExecError, OSError) as error:
        print(
            f"newsetl/compiled.py: the C compiler failed ({error}). It needs gcc (or the CC "
            "variable's compiler) and the Python headers: `apt-get install gcc python3-dev`. "
            "Without them newsetl runs as plain Python, slower: use .venv/bin/newsetl directly.",
            file=sys.stderr,
        )
        return 1
    built = sorted(
        source.relative_to(PACKAGE_DIR).as_posix()
        for binary, source in compiled_files().items()
        if before.get(binary) != binary.stat().st_mtime
    )
    print(f"compiled: {', '.join(built)}" if built else "compiled modules are current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
