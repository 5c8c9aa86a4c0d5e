"""The compiled cleaner: it is what runs, it gives what plain Python gives, it is never stale."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from setuptools.errors import CompileError

import newsetl
from newsetl import compiled
from newsetl.compiled import (
    COMPILED_MODULES,
    check_current,
    compiled_files,
    remove_compiled,
    stale_modules,
    stray_files,
)

PACKAGE_DIR = Path(newsetl.__file__).parent
SEED_ARTICLE = PACKAGE_DIR.parent / "raw" / "000_5110aec6e8f52836.txt"

# Parses and cleans generated articles and the seed article; prints one repr per article, which
# holds every field of the parsed article and the cleaned body, and for every 8th article and the
# seed the trace of each repair (a trace diffs the text's characters: 95% of the CPU if all).
CLEAN_SCRIPT = f"""
import sys
from pathlib import Path
from newsetl.text.clean import clean_body
from devtools.articles import generate_articles
from newsetl.text.parse import parse_article

files = [(a.file_name, a.raw_text.encode()) for a in generate_articles(400, seed=23)]
files.append(({SEED_ARTICLE.name!r}, Path({str(SEED_ARTICLE)!r}).read_bytes()))
for index, (name, content) in enumerate(files):
    parsed = parse_article(name, content)
    trace = [] if index % 8 == 0 or index == 400 else None
    print(repr((parsed, clean_body(parsed.raw_body, parsed.title, trace), trace)))
print(sys.modules["newsetl.text.clean"].__file__)
"""


def test_every_listed_module_runs_compiled() -> None:
    # `make install` compiles them: the speed the bench reports is that of the code tested here.
    for name in COMPILED_MODULES:
        module = importlib.import_module(f"newsetl.{name.rsplit('.', 1)[0].replace('/', '.')}")
        assert module.__file__ is not None
        assert module.__file__.endswith(".so"), f"{name} is not compiled: run `make install`"


def _clean_outputs(cwd: Path, plain: bool) -> list[str]:
    # `-c` puts the working directory first on sys.path: the plain copy, or no package at all.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", CLEAN_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=cwd / "plain" if plain else cwd,
    )
    return result.stdout.splitlines()


@pytest.mark.slow
def test_compiled_cleaner_gives_what_plain_python_gives(tmp_path: Path) -> None:
    # The same sources with no compiled module beside them, ahead of the installed package.
    plain = tmp_path / "plain" / "newsetl"
    shutil.copytree(PACKAGE_DIR, plain, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    compiled_lines = _clean_outputs(tmp_path, plain=False)
    plain_lines = _clean_outputs(tmp_path, plain=True)
    assert compiled_lines[-1].endswith(".so")
    assert plain_lines[-1] == str(plain / "text" / "clean.py")
    assert len(compiled_lines) == 402
    assert compiled_lines[:-1] == plain_lines[:-1]
    assert "Repair(kind='headline_echo_removed'" in "".join(compiled_lines)  # traces compared


def _touch(path: Path, mtime: float) -> Path:
    path.write_text("")
    os.utime(path, (mtime, mtime))
    return path


def test_a_compiled_module_older_than_its_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")  # a checkout
    package = tmp_path / "newsetl"
    (package / "text").mkdir(parents=True)
    binary = _touch(package / "text" / "clean.cpython-311-x86_64-linux-gnu.so", 1000)
    _touch(package / "text" / "clean.py", 900)
    scan = _touch(package / "text" / "clean_scan.cpython-311-x86_64-linux-gnu.so", 1000)
    _touch(package / "text" / "clean_scan.pyx", 900)
    _touch(package / "orphan.cpython-311-x86_64-linux-gnu.so", 1000)  # no source: not ours
    assert compiled_files(package) == {
        binary: package / "text" / "clean.py",
        scan: package / "text" / "clean_scan.pyx",
    }
    assert stale_modules(package) == []
    check_current(package)

    _touch(package / "text" / "clean_scan.pyx", 1100)  # edited after the build
    assert stale_modules(package) == ["text/clean_scan.pyx"]
    with pytest.raises(ImportError, match=r"text/clean_scan\.pyx changed since it was compiled.*"):
        check_current(package)
    # Installed from a wheel (no pyproject.toml beside the package), files come in any order.
    (tmp_path / "pyproject.toml").unlink()
    check_current(package)


def test_a_compiled_file_left_where_its_module_was_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")  # a checkout
    package = tmp_path / "newsetl"
    (package / "text").mkdir(parents=True)
    _touch(package / "text" / "clean.py", 900)
    current = _touch(package / "text" / "clean.cpython-311-x86_64-linux-gnu.so", 1000)
    # From before clean.py moved into text/: `import newsetl.text.clean` would still run it.
    stray = _touch(package / "clean.cpython-311-x86_64-linux-gnu.so", 800)
    _touch(package / "orphan.cpython-311-x86_64-linux-gnu.so", 800)  # not a module of ours
    assert stray_files(package) == [stray]
    assert stale_modules(package) == []
    with pytest.raises(ImportError, match=r"clean\.cpython-311-x86_64-linux-gnu\.so compiled a"):
        check_current(package)
    assert sorted(remove_compiled(package)) == sorted([current, stray])
    check_current(package)


def test_clean_removes_only_compiled_modules(tmp_path: Path) -> None:
    binary = _touch(tmp_path / "clean.cpython-311-x86_64-linux-gnu.so", 1000)
    source = _touch(tmp_path / "clean.py", 900)
    assert remove_compiled(tmp_path) == [binary]
    assert sorted(tmp_path.iterdir()) == [source]


def test_the_script_explains_itself() -> None:
    result = subprocess.run(
        [sys.executable, compiled.__file__, "--help"], capture_output=True, text=True, check=True
    )
    assert "--clean" in result.stdout
    assert "compiled by Cython" in result.stdout


def test_a_failed_compiler_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_compiler() -> None:
        raise CompileError("command 'gcc' failed: No such file or directory")

    monkeypatch.setattr(compiled, "compile_modules", no_compiler)
    assert compiled.main([]) == 1
    message = capsys.readouterr().err
    assert "command 'gcc' failed" in message
    assert "apt-get install gcc python3-dev" in message


@pytest.mark.slow
@pytest.mark.timeout(600)  # a Cython build of eight modules, on 2 shared cores
def test_the_wheel_carries_the_compiled_modules(tmp_path: Path) -> None:
    # hatch_build.py compiles a copy of the modules: the checkout's compiled files stay as they are.
    uv = PACKAGE_DIR.parent / ".tools" / "bin" / "uv"
    assert uv.is_file(), "uv is installed into .tools/ by `make install`"
    checkout = {binary: binary.stat().st_mtime for binary in compiled_files()}
    subprocess.run(
        [str(uv), "build", "--wheel", "--out-dir", str(tmp_path), str(PACKAGE_DIR.parent)],
        capture_output=True,
        check=True,
    )
    [wheel] = tmp_path.glob("newsetl-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
    binaries = sorted(n.split(".", 1)[0] for n in names if n.endswith(".so"))
    assert binaries == sorted(f"newsetl/{name.rsplit('.', 1)[0]}" for name in COMPILED_MODULES)
    assert "newsetl/text/clean.py" in names  # the reference ships beside its compiled form
    # The generator and the quality score are developer tools: not in the wheel.
    assert not [n for n in names if n.startswith("devtools/") or "generate" in n], names
    assert "Root-Is-Purelib: false" in metadata
    assert {binary: binary.stat().st_mtime for binary in compiled_files()} == checkout
