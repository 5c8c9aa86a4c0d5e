"""The parser and text cleaner compiled by Cython in place (`make install`), checked to be current.

    .venv/bin/python newsetl/compiled.py          compile what changed (needs the dev group)
    .venv/bin/python newsetl/compiled.py --clean  remove the compiled files: plain Python again

Run as a script, not with `-m`: importing the package checks that no compiled module is stale,
and a stale one is what this script is there to rebuild. The modules are the plain Python ones
(the reference; they run as they are where nothing is compiled) plus clean_scan.pyx, whose
functions each have a Python fallback. Python imports a module's compiled file before its
source, so a compiled module older than its source would run old code: `check_current` refuses
that. A wheel carries the same modules compiled by hatch_build.py, which calls
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
    "clean.py",
    "clean_captions.py",
    "clean_chars.py",
    "clean_glue.py",
    "clean_paragraphs.py",
    "clean_quotes.py",
    "clean_scan.pyx",
    "clean_spaces.py",
    "parse.py",
)
# Where the C files and objects go, out of the package (ignored by git).
BUILD_DIR = PACKAGE_DIR.parent / ".cache" / "cython"


def compiled_files(package_dir: Path = PACKAGE_DIR) -> dict[Path, Path]:
    """Each compiled module file in `package_dir` (`clean.cpython-311-x86_64-linux-gnu.so`),
    mapped to its source."""
    found: dict[Path, Path] = {}
    for binary in package_dir.glob("*.so"):
        stem = binary.name.split(".", 1)[0]
        for suffix in (".py", ".pyx"):
            source = package_dir / f"{stem}{suffix}"
            if source.is_file():
                found[binary] = source
    return found


def stale_modules(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """The compiled modules whose source changed after they were compiled, by source name."""
    return sorted(
        source.name
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
    removed = list(compiled_files(package_dir))
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
            print(f"removed {binary.name}")
        return 0
    from setuptools.errors import CompileError, ExecError

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
        source.name
        for binary, source in compiled_files().items()
        if before.get(binary) != binary.stat().st_mtime
    )
    print(f"compiled: {', '.join(built)}" if built else "compiled modules are current")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
