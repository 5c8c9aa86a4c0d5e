"""The sql/tests data tests: run them, and say which raw files their failing rows come from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from newsetl.settings import NULL_PARTITION

# A test's header may hold `-- severity: warn` (its rows are reported, the build goes on: for
# tests one raw file can trip) and `-- on failure: ...` (what to do, to the end of the header).
SEVERITY_KEY = "severity:"
ON_FAILURE_KEY = "on failure:"
WARN = "warn"
# What to do when a test without its own `on failure` fails: every other test checks a rule
# each load keeps whatever the raw files hold, so a failing row is a bug or a hand edit.
ON_FAILURE = (
    "these rows break a rule every load keeps, whatever the raw files hold: a newsetl bug, or "
    "tables changed by hand. Rewrite the tables from raw/ with `newsetl run --full-refresh`; if "
    "the test fails again, report it with these rows. To unblock the nightly meanwhile, move "
    "those of the named raw files still in raw/ out of it and run `newsetl run`: their "
    "articles leave the warehouse (rows whose files left raw/ already, or name none, leave "
    "only with the full refresh)"
)
SHOWN_ROWS = 5
SHOWN_FILES = 10


@dataclass(frozen=True, slots=True)
class DataTest:
    """One sql/tests query: its name, text, severity and what to do when it returns rows."""

    name: str
    sql: str
    warn: bool
    on_failure: str


@dataclass(slots=True)
class DataTestResults:
    """What running the data tests found: failures stop a build, warnings do not."""

    passed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The articles partitions (`year=YYYY/month=MM`) of warned rows: tested again next build.
    warned_partitions: set[str] = field(default_factory=set)


def read_data_test(path: Path) -> DataTest:
    """A sql/tests file with the `severity` and `on failure` of its header comment."""
    sql = path.read_text()
    header: list[str] = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        header.append(line[2:].strip())
    warn = any(line.lower() == f"{SEVERITY_KEY} {WARN}" for line in header)
    on_failure = ON_FAILURE
    for position, line in enumerate(header):
        if line.lower().startswith(ON_FAILURE_KEY):
            rest = [line[len(ON_FAILURE_KEY) :], *header[position + 1 :]]
            on_failure = " ".join(part.strip() for part in rest if part.strip())
            break
    return DataTest(path.stem, sql, warn, on_failure)


def run_data_tests(
    con: duckdb.DuckDBPyConnection, tests: list[DataTest], render: Callable[[str], str]
) -> DataTestResults:
    """Run each test's rendered query; a test returning rows is a failure (or a warning),
    described with a few rows, the raw files they come from and what to do."""
    results = DataTestResults()
    for test in tests:
        sql = render(test.sql)
        relation = con.sql(sql)
        rows = relation.fetchmany(SHOWN_ROWS)
        if not rows:
            results.passed.append(test.name)
            continue
        total = con.sql(f"select count(*) from ({sql})").fetchone()
        lines = [f"{test.name}: {total[0] if total else '?'} failing rows, e.g."]
        lines += [f"  {row!r}" for row in rows]
        columns = set(relation.columns)
        if "source_file" in columns:
            lines.append(f"  source files: {_source_files(con, sql)}")
        lines.append(f"  what to do: {test.on_failure}")
        text = "\n  ".join(lines)
        if test.warn:
            results.warnings.append(text)
            if {"published_year", "published_month"} <= columns:
                results.warned_partitions |= _partitions(con, sql)
        else:
            results.failures.append(text)
    return results


def _source_files(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The distinct raw files of a test's rows: the first SHOWN_FILES, and how many more."""
    found = con.sql(
        f"select source_file, count(*) over () from (select distinct source_file from ({sql})) "
        f"order by source_file nulls last limit {SHOWN_FILES}"
    ).fetchall()
    if not found:
        return "none"
    names = ", ".join("(none)" if name is None else name for name, _ in found)
    more = int(found[0][1]) - len(found)
    return names + (f" and {more} more" if more else "")


def _partitions(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    rows = con.sql(f"select distinct published_year, published_month from ({sql})").fetchall()
    return {
        f"year={NULL_PARTITION}/month={NULL_PARTITION}"
        if year is None
        else f"year={int(year):04d}/month={int(month):02d}"
        for year, month in rows
    }
