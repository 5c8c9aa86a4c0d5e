"""Human-readable summaries of loads and builds: terminal text and Markdown for artifacts."""

from __future__ import annotations

import shlex
from pathlib import Path
from stat import S_ISREG

import duckdb

from newsetl.load.ingest import LOAD_STEPS, LoadSummary
from newsetl.settings import DATA_TABLES, PARTITION_FILE
from newsetl.store.paths import Paths
from newsetl.store.publish import PublishSummary
from newsetl.store.state import LoadRecord
from newsetl.warehouse.build import BuildSummary
from newsetl.warehouse.connect import duckdb_cli

EXAMPLE_QUERY = (
    "select section, count(*) as articles, min(published_date) as first, "
    "max(published_date) as last from articles group by all order by articles desc"
)


def file_counts_line(summary: LoadSummary) -> str:
    """`files seen N: loaded a, unchanged b, duplicate c, rejected d` (they always add up)."""
    return (
        f"files seen {summary.files_seen}: loaded {summary.files_loaded}, "
        f"unchanged {summary.files_unchanged}, duplicate {summary.files_duplicate}, "
        f"rejected {summary.files_rejected}"
    )


def deleted_line(summary: LoadSummary) -> str:
    """`gone from the raw dir: 3 files; articles removed: 2 (their files: gone from the raw dir
    1, empty 1)`: deletions and removals apart, as a removal need not be a deletion (raw_files
    keeps deleted files as deleted)."""
    parts = []
    if summary.files_deleted:
        parts.append(f"gone from the raw dir: {summary.files_deleted} files")
    if summary.articles_removed:
        why = ", ".join(f"{cause} {count}" for cause, count in summary.removed_because.items())
        parts.append(
            f"articles removed: {summary.articles_removed}"
            + (f" (their files: {why})" if why else "")
        )
    return "; ".join(parts)


def steps_line(summary: LoadSummary) -> str:
    """`steps (s): discover 0.5, batches 21.0, ...`: where the load's time went."""
    return "steps (s): " + ", ".join(f"{step} {s:.1f}" for step, s in summary.steps.items())


def steps_markdown(summary: LoadSummary) -> list[str]:
    """The load's steps as Markdown table lines: step, what it does, seconds."""
    return [
        "| step | what it does | s |",
        "|---|---|---:|",
        *(
            f"| {step} | {LOAD_STEPS[step]} | {seconds:.1f} |"
            for step, seconds in summary.steps.items()
        ),
    ]


def load_text(summary: LoadSummary) -> str:
    """The terminal summary of one load."""
    rows = ", ".join(f"{table} {count}" for table, count in summary.table_rows.items())
    lines = [
        f"load {summary.load_id} ({summary.kind}) finished in {summary.seconds:.1f} s",
        f"  {file_counts_line(summary)}",
        f"  written: {summary.articles_written} articles, {summary.photos_written} photos, "
        f"{summary.partitions_written} partitions"
        if summary.committed
        else "  nothing new: nothing written",
        f"  rows now: {rows}",
        f"  {steps_line(summary)}",
    ]
    if summary.files_deleted or summary.articles_removed:
        lines.insert(2, f"  {deleted_line(summary)}")
    if summary.published is not None:
        lines.append(f"  {published_line(summary.published)}")
    if summary.unlisted:
        lines.append(f"  {unlisted_line(summary)}")
    for reject in summary.rejects[:10]:
        lines.append(f"  rejected {reject.source_file}: {reject.reason} ({reject.detail})")
    if len(summary.rejects) > 10:
        lines.append(f"  ... and {len(summary.rejects) - 10} more: select * from rejected_files")
    return "\n".join(lines)


def unlisted_line(summary: LoadSummary) -> str:
    """`unreadable folders 2 (a/, b/): ...`: what a load could not list, and what it kept."""
    shown = ", ".join(summary.unlisted[:5]) + (", ..." if len(summary.unlisted) > 5 else "")
    return (
        f"unreadable folders {len(summary.unlisted)} ({shown}): could not be listed (or are "
        "links, or list none of the files known there); the "
        f"{summary.files_not_listed} files known under them keep their rows (rejected_files "
        "says why; fix the permissions or the mount, and the next run reads them)"
    )


def committed_load_text(record: LoadRecord) -> str:
    """What a load that committed did, from its ledger row: shown when a later step failed."""
    return (
        f"load {record.load_id} ({record.kind}) committed: files seen {record.files_seen}: "
        f"loaded {record.files_loaded}, unchanged {record.files_unchanged}, duplicate "
        f"{record.files_duplicate}, rejected {record.files_rejected}; written: "
        f"{record.articles_written} articles, {record.photos_written} photos, "
        f"{record.partitions_written} partitions"
        + (f"; {record.files_deleted} files deleted" if record.files_deleted else "")
        + (f"; {record.articles_removed} articles removed" if record.articles_removed else "")
    )


def _scope(summary: BuildSummary) -> str:
    """Which articles partitions the whole-table tests read
    (newsetl.warehouse.tested_partitions)."""
    count, removed = len(summary.partitions_tested), len(summary.partitions_removed)
    gone = f"{removed} articles partitions removed" if removed else ""
    if count == 0:
        if removed:
            return f"no articles partition to test: {gone} since the last passing build"
        return "no articles partition changed since the last passing build"
    tested = (
        f"whole-table tests on {count} articles partitions, changed since the last passing build"
    )
    return f"{tested}; {gone}" if removed else tested


def _tests_passed(summary: BuildSummary) -> str:
    """`10 SQL tests passed`, or `9 SQL tests passed, 1 warned` (newsetl.warehouse.data_tests)."""
    warned = f", {len(summary.warnings)} warned" if summary.warnings else ""
    return f"{len(summary.tests)} SQL tests passed{warned}"


def build_text(summary: BuildSummary) -> str:
    """The terminal summary of one build, ending with a query to try."""
    built = (
        f"{summary.database} is up to date (built from this snapshot and these models)"
        if summary.skipped
        else f"built {summary.database}: {len(summary.models)} models, "
        f"{_tests_passed(summary)} ({_scope(summary)})"
    )
    published = (
        []
        if summary.published is None
        else [f"published news.duckdb reading snapshot {summary.published} to the warehouse URL"]
    )
    warnings = [f"warning: {text}" for text in summary.warnings]
    # as the Prefect summary links it (run_markdown)
    charts = [] if summary.report is None else [f"charts: {_shown(summary.report)}"]
    return "\n".join(
        [
            built,
            *warnings,
            *published,
            *charts,
            "try:",
            # the CLI by its full path (the duckdb-cli wheel's, beside this Python): the one in
            # `.venv/bin/` exists only from the repository's folder
            f"  {shlex.quote(str(duckdb_cli()))} -readonly "
            f'{shlex.quote(_shown(summary.database))} -c "{EXAMPLE_QUERY}"',
        ]
    )


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def published_line(sent: PublishSummary) -> str:
    """`Published snapshot X to URL: ...`, for a load that sent its snapshot to the store."""
    return (
        f"Published snapshot {sent.snapshot} to {sent.url}: {sent.uploaded} files uploaded "
        f"({human_bytes(sent.uploaded_bytes)}), {sent.copied} copied on the store, "
        f"{sent.pruned} old snapshots pruned"
    )


def partition_rows(paths: Paths, load_id: str, limit: int = 60) -> list[tuple[str, str, int, int]]:
    """(table, partition, rows written by the load, rows now) for each partition the load wrote."""
    found: list[tuple[str, str, int, int]] = []
    for table in DATA_TABLES:
        files = sorted(paths.table_dir(table).glob(f"year=*/month=*/{PARTITION_FILE}"))
        if not files:
            continue
        with duckdb.connect() as con:
            rows = con.execute(
                "select year, month, count(*) filter (where load_id = $id), count(*) "
                "from read_parquet($files, hive_partitioning = true) group by all "
                "having count(*) filter (where load_id = $id) > 0 order by all",
                {"id": load_id, "files": [str(f) for f in files]},
            ).fetchall()
        for year, month, written, total in rows:
            partition = "no date" if year is None else f"{year}-{int(month):02d}"
            found.append((table, partition, int(written), int(total)))
    return found[:limit]


def warehouse_bytes(warehouse_dir: Path) -> int:
    """Bytes under the warehouse, each hard-linked file counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in warehouse_dir.rglob("*") if warehouse_dir.is_dir() else ():
        try:
            stat = path.lstat()
        except OSError:
            continue
        if S_ISREG(stat.st_mode) and (stat.st_dev, stat.st_ino) not in seen:
            seen.add((stat.st_dev, stat.st_ino))
            total += stat.st_size
    return total


def human_bytes(size: float) -> str:
    """1536 -> '1.5 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def waited_line(slot: float, since_due: float | None = None) -> str:
    """How long a run waited for its turn: from when it was due (its scheduled start, or when it
    was asked for) to the writer slot, which includes a wait for the deployment's own
    concurrency limit (Prefect's AwaitingConcurrencySlot) that the slot's queue does not see."""
    if since_due is None or since_due < slot + 1:
        return f"Waited {slot:.1f} s for the warehouse writer slot"
    return (
        f"Waited {since_due:.1f} s from when the run was due to the warehouse writer slot "
        f"({slot:.1f} s in the slot's queue, the rest before the run started)"
    )


def run_markdown(
    title: str,
    paths: Paths,
    load: LoadSummary | None = None,
    built: BuildSummary | None = None,
    failure: str | None = None,
    seconds: float | None = None,
    *,
    waited: float | None = None,
    since_due: float | None = None,
    cancelled: bool = False,
) -> str:
    """The Markdown summary artifact of one run: outcome, file counts, partitions, the build,
    the time it waited for the writer slot (`waited`) and since it was due (`since_due`), the
    locations and the size."""
    lines = [f"# {title}", ""]
    outcome = "Cancelled" if cancelled else "Failed"
    lines.append(f"**{outcome}**: {failure}" if failure else "**Completed**")
    lines.append("")
    if load is not None:
        lines += [
            f"Load `{load.load_id}` ({load.kind}) took {load.seconds:.1f} s.",
            "",
            "| files seen | loaded | unchanged | duplicate | rejected |",
            "|---:|---:|---:|---:|---:|",
            f"| {load.files_seen} | {load.files_loaded} | {load.files_unchanged} "
            f"| {load.files_duplicate} | {load.files_rejected} |",
            "",
        ]
        if load.files_deleted or load.articles_removed:
            line = deleted_line(load)
            lines += [line[0].upper() + line[1:] + ".", ""]
        if load.unlisted:
            lines += [f"**Warning**: {unlisted_line(load)}.", ""]
        written = partition_rows(paths, load.load_id)
        if written:
            lines += ["| table | partition | rows written | rows now |", "|---|---|---:|---:|"]
            lines += [f"| {t} | {p} | {w} | {n} |" for t, p, w, n in written]
        else:
            lines.append("No partition written (nothing new).")
        lines += ["", *steps_markdown(load)]
        if load.published is not None:
            lines += ["", published_line(load.published) + "."]
        lines.append("")
    if built is not None and built.skipped:
        lines += [
            f"Build skipped (nothing changed): `{built.database.name}` was already built from "
            "this snapshot and these models.",
            "",
        ]
    elif built is not None:
        lines += [
            f"Built `{built.database.name}`: {len(built.models)} models, "
            f"{_tests_passed(built)} ({_scope(built)}).",
            "",
        ]
        for text in built.warnings:
            lines += ["**Warning**:", "", "```", text, "```", ""]
        if built.published is not None:
            lines += [
                f"Published `news.duckdb` to `{paths.warehouse_url}`, reading snapshot "
                f"`{built.published}`.",
                "",
            ]
    if built is not None and built.report is not None:
        report = built.report.resolve()
        lines += [f"Charts: [{report.name}]({report.as_uri()}) (`{report}`).", ""]
    if seconds is not None:
        lines.append(f"Duration: {seconds:.1f} s.")
    if waited is not None:
        lines.append(waited_line(waited, since_due) + ".")
    lines.append(f"Raw files from `{paths.raw_location}`.")  # a cancelled run's too
    size = human_bytes(warehouse_bytes(paths.warehouse_dir))
    if paths.warehouse_url is None:
        lines.append(f"Warehouse `{paths.warehouse_dir}`: {size}.")
    else:
        lines.append(
            f"Warehouse `{paths.warehouse_url}`, worked on in `{paths.warehouse_dir}`: {size}."
        )
    return "\n".join(lines)
