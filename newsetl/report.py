"""Human-readable summaries of loads and builds: terminal text and Markdown for artifacts."""

from __future__ import annotations

from pathlib import Path

from newsetl.build import BuildSummary
from newsetl.ingest import LoadSummary

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


def load_text(summary: LoadSummary) -> str:
    """The terminal summary of one load."""
    rows = ", ".join(f"{table} {count}" for table, count in summary.table_rows.items())
    lines = [
        f"load {summary.load_id} ({summary.kind}) finished in {summary.seconds:.1f} s",
        f"  {file_counts_line(summary)}",
        f"  written: {summary.articles_written} articles, {summary.photos_written} photos, "
        f"{summary.partitions_written} partitions",
        f"  rows now: {rows}",
    ]
    for reject in summary.rejects[:10]:
        lines.append(f"  rejected {reject.source_file}: {reject.reason} ({reject.detail})")
    if len(summary.rejects) > 10:
        lines.append(f"  ... and {len(summary.rejects) - 10} more: select * from rejected_files")
    return "\n".join(lines)


def build_text(summary: BuildSummary) -> str:
    """The terminal summary of one build, ending with a query to try."""
    return "\n".join(
        [
            f"built {summary.database}: {len(summary.models)} models, "
            f"{len(summary.tests)} SQL tests passed",
            "try:",
            f'  .venv/bin/duckdb -readonly {_shown(summary.database)} -c "{EXAMPLE_QUERY}"',
        ]
    )


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_markdown(summary: LoadSummary) -> str:
    """The Markdown summary artifact of one load."""
    lines = [
        f"# Load `{summary.load_id}` ({summary.kind})",
        "",
        "| files seen | loaded | unchanged | duplicate | rejected |",
        "|---:|---:|---:|---:|---:|",
        f"| {summary.files_seen} | {summary.files_loaded} | {summary.files_unchanged} "
        f"| {summary.files_duplicate} | {summary.files_rejected} |",
        "",
        f"Written: {summary.articles_written} articles, {summary.photos_written} photos, "
        f"{summary.partitions_written} partitions, in {summary.seconds:.1f} s.",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {table} | {count} |" for table, count in summary.table_rows.items()),
    ]
    return "\n".join(lines)
