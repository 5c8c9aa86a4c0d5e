"""Shared fixtures: a Prefect home inside the project, raw-file builders, corpus paths."""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from newsetl.store.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
# Prefect reads these at import: its database stays in an ignored folder of the project.
# One home per test session, so concurrent sessions never share Prefect's SQLite database.
PREFECT_TEST_HOME = ROOT / ".cache" / "prefect-test" / f"session-{os.getpid()}"
PREFECT_TEST_HOME.mkdir(parents=True, exist_ok=True)
os.environ["PREFECT_HOME"] = str(PREFECT_TEST_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.pop("PREFECT_API_URL", None)
# Imported now, so Prefect's log handlers bind to pytest's session-wide stderr rather than to a
# per-test capsys stream that is closed after the test (which sends logging into a recursion).
import prefect  # noqa: E402,F401

# The publisher's corpus lies beside the repository (never copied into it): CI lays a copy of
# shared/ next to its clone, as every developer machine has it next to the worktrees.
SHARED = ROOT.parent / "shared"
SEED = ROOT / "raw" / "000_5110aec6e8f52836.txt"
GLOBALTIMES_RAW = SHARED / "corpus" / "globaltimes" / "raw"
GLOBALTIMES_FILES = 300


def shared_corpus(path: Path = GLOBALTIMES_RAW) -> Path:
    """`path` under ../shared, which must exist: a test that reads it fails in CI (env CI set)
    when it is missing, and is skipped elsewhere; either way saying where it is expected."""
    if path.is_dir():
        return path
    message = (
        f"the shared corpus is missing: expected {path.relative_to(ROOT.parent)} beside the "
        f"repository, at {path} (shared/ must sit next to the clone)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


RawWriter = Callable[..., Path]


@pytest.fixture
def without_s3fs(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if s3fs were not installed, even after another test has imported it (fsspec keeps
    the classes it has imported, by protocol)."""
    import importlib
    import sys

    registry = importlib.import_module("fsspec.registry")
    monkeypatch.setitem(sys.modules, "s3fs", None)
    for name in ("s3", "s3a"):
        monkeypatch.delitem(registry._registry, name, raising=False)


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """An S3 API on localhost (moto's server), which s3fs and DuckDB's httpfs both talk to: its
    `host:port` (bench.publish.s3_on_localhost)."""
    from bench.publish import s3_on_localhost

    with s3_on_localhost() as endpoint:
        yield endpoint


@pytest.fixture
def memory_root() -> Iterator[str]:
    """A fresh memory:// location standing for a bucket, removed afterwards (the memory
    filesystem is one store per process)."""
    import uuid

    from fsspec.implementations.memory import MemoryFileSystem

    root = f"/newsetl-test-{uuid.uuid4().hex}"
    yield f"memory://{root}"
    store = MemoryFileSystem()
    if store.exists(root):
        store.rm(root, recursive=True)


def raw_text(
    *,
    title: str = "A test headline",
    body: str = "First paragraph.",
    published: str = "2022-06-20",
    categories: str = "CHINA; Category 2: SOCIETY",
    author: str = "Wang Qi",
) -> str:
    """A raw file in the scrape format (seven header lines, then the body)."""
    return (
        f"Published Time: {published}\n"
        f"Title: {title}\n"
        f"Category 1: {categories}\n"
        f"Author: {author}\n"
        "Author title: Author details not found\n"
        "Author description: Author details not found\n"
        "Text: \n"
        f"{body}\n"
    )


ARTICLES_FILE_DATE = datetime.date(2022, 6, 10)


def articles_file(path: Path, *articles: tuple[str, ...]) -> Path:
    """An articles partition file with the columns the derived tables read: each article is
    (id, title, body) or (id, title, body, load_id); the load_id defaults to "load-1", and
    every article is dated ARTICLES_FILE_DATE."""
    import pyarrow as pa

    from newsetl.store.write import write_parquet_atomic

    ids, titles, bodies, load_ids = zip(*((*a, "load-1")[:4] for a in articles), strict=True)
    table = pa.table(
        {
            "article_id": list(ids),
            "published_date": pa.array([ARTICLES_FILE_DATE] * len(ids), pa.date32()),
            "title": list(titles),
            "body": list(bodies),
            "load_id": list(load_ids),
        }
    )
    write_parquet_atomic(table, path)
    return path


def table_rows(warehouse: Path, table: str) -> list[tuple[object, ...]]:
    """Every row of one data table of a warehouse, sorted, without the columns that name the
    load (they differ between any two runs): for comparing what two loads wrote."""
    import duckdb

    files = sorted(str(p) for p in (warehouse / table).glob("year=*/month=*/*.parquet"))
    assert files, table
    with duckdb.connect() as con:
        relation = con.read_parquet(files, hive_partitioning=False)
        columns = [c for c in relation.columns if c not in ("load_id", "ingested_at")]
        return con.sql(f"select {', '.join(columns)} from relation order by all").fetchall()


PARTITIONED_TABLES = (
    "articles",
    "article_photos",
    "term_counts",
    "search_terms",
    "search_documents",
)


def warehouse_contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every partitioned table with its partition, without the load's id and time
    (they name the run); the manifest's and rejects' standing of each file."""
    import duckdb

    from newsetl.store.state import read_manifest, read_rejects

    found: dict[str, list[tuple[object, ...]]] = {}
    with duckdb.connect() as con:
        for table in PARTITIONED_TABLES:
            files = sorted(str(p) for p in (warehouse / table).glob("year=*/month=*/*.parquet"))
            if not files:
                found[table] = []
                continue
            relation = con.read_parquet(files, hive_partitioning=True)
            columns = [c for c in relation.columns if c not in ("load_id", "ingested_at")]
            found[table] = con.sql(
                f"select {', '.join(columns)} from relation order by all"
            ).fetchall()
    manifest = read_manifest(warehouse / "_state")
    found["raw_files"] = sorted(
        (e.source_file, e.status, e.detail, e.article_id, e.published_date, e.sha256)
        for e in manifest.values()
    )
    found["rejected_files"] = sorted(
        (r.source_file, r.reason, r.detail) for r in read_rejects(warehouse / "_state").values()
    )
    return found


def built_warehouse(root: Path, count: int, seed: int, extra: dict[str, str]) -> Paths:
    """A warehouse of `count` generated articles, the seed article and the `extra` raw files
    (name: text), loaded and built under root."""
    from devtools.articles import write_corpus

    raw = root / "raw"
    write_corpus(raw, count, seed=seed, gold=False)
    shutil.copy(SEED, raw / SEED.name)
    return loaded_warehouse(root, extra)


def loaded_warehouse(root: Path, files: dict[str, str]) -> Paths:
    """The raw `files` (name: text) written into root/raw (beside what is there), loaded and
    built into root/warehouse."""
    from newsetl.load.ingest import Load
    from newsetl.store.paths import resolve_paths
    from newsetl.warehouse.build import build_database

    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    for name, text in files.items():
        (raw / name).write_text(text)
    paths = resolve_paths(raw, root / "warehouse")
    Load(paths).run()
    build_database(paths)
    return paths


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    path = tmp_path / "raw"
    path.mkdir()
    return path


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def write_raw(raw_dir: Path) -> RawWriter:
    """Write `raw_dir/name` from raw_text(**fields), or from `content` bytes when given."""

    def write(
        name: str, content: bytes | None = None, mtime_ns: int | None = None, **fields: str
    ) -> Path:
        path = raw_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if content is not None else raw_text(**fields).encode())
        if mtime_ns is not None:
            os.utime(path, ns=(mtime_ns, mtime_ns))
        return path

    return write


@pytest.fixture
def globaltimes_files() -> list[Path]:
    """The 300 real scraped files in ../shared (read in place, never copied)."""
    files = sorted(shared_corpus().glob("*.txt"))
    assert len(files) == GLOBALTIMES_FILES, f"{GLOBALTIMES_RAW}: {len(files)} files"
    return files


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(PREFECT_TEST_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """One temporary Prefect server for every flow test of the session (of each xdist worker):
    flows run in this process use it, and its API URL, the fixture's value, serves the
    `newsetl` processes a test starts (PREFECT_API_URL), which then skip starting their own."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS
    from prefect.testing.utilities import prefect_test_harness

    # The longer of 2 minutes and the start-up timeout the environment gives every run.
    startup = max(120, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with prefect_test_harness(server_startup_timeout=startup):
        yield str(PREFECT_API_URL.value())
