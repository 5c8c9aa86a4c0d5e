"""`newsetl explain ARTICLE_ID`: the raw body beside the cleaned one, with every repair listed."""

from __future__ import annotations

import hashlib
import textwrap
from itertools import zip_longest
from pathlib import Path

import pyarrow.dataset as ds

from newsetl.settings import ARTICLES_TABLE, Settings
from newsetl.store.paths import resolve_paths
from newsetl.text.clean import TRACE_KINDS, CleanedBody, Repair, clean_body
from newsetl.text.parse import parse_article

_COLUMN = 58


def find_article(warehouse_dir: Path, article_id: str) -> dict[str, object] | None:
    """The article's row from warehouse/articles/**/*.parquet, or None."""
    table_dir = warehouse_dir / ARTICLES_TABLE
    if not table_dir.is_dir():
        return None
    files = sorted(str(p) for p in table_dir.rglob("*.parquet"))
    if not files:
        return None
    table = ds.dataset(files, format="parquet").to_table(
        filter=ds.field("article_id") == article_id
    )
    rows = table.to_pylist()
    return rows[0] if rows else None


def _side_by_side(left: list[str], right: list[str]) -> list[str]:
    """Two columns of wrapped text: the raw lines on the left, the paragraphs on the right."""

    def wrap(blocks: list[str]) -> list[str]:
        out: list[str] = []
        for block in blocks:
            out += textwrap.wrap(block, _COLUMN) or [""]
            out.append("")
        return out

    return [
        f"{a:<{_COLUMN}} | {b}".rstrip()
        for a, b in zip_longest(wrap(left), wrap(right), fillvalue="")
    ]


def render(raw_body: str, cleaned: CleanedBody, trace: list[Repair]) -> str:
    """The raw and the cleaned body side by side, then photos and where each caption starts,
    the print headline and each repair."""
    out = [f"{'RAW BODY (splitter lines)':<{_COLUMN}} | CLEANED BODY (paragraphs)"]
    out.append("-" * (2 * _COLUMN + 3))
    out += _side_by_side(raw_body.splitlines(), list(cleaned.paragraphs))
    if cleaned.photos:
        out += ["", "PHOTOS (taken out of the body):"]
        out += [
            f"  [{p.position}] caption: {p.caption!r}  credit: {p.credit!r}  kind: {p.kind}"
            for p in cleaned.photos
        ]
    decisions = [repair.context for repair in trace if repair.kind in TRACE_KINDS]
    if decisions:
        out += ["", "CAPTION DECISIONS (where each caption starts, and why):"]
        out += [f"  - {' '.join(decision.split())}" for decision in decisions]
    if cleaned.print_headline:
        out += ["", f"PRINT HEADLINE: {cleaned.print_headline}"]
    counts = ", ".join(f"{kind} {n}" for kind, n in cleaned.repairs.items() if n) or "none"
    out += ["", f"REPAIRS ({counts}):"]
    repairs = [repair for repair in trace if repair.kind not in TRACE_KINDS]
    for number, repair in enumerate(repairs, start=1):
        context = " ".join(repair.context.split())
        out.append(f"  {number:>3}. {repair.kind:<22} {context[:110]}")
    return "\n".join(out)


def explain(
    article_id: str,
    raw_dir: str | None = None,
    warehouse_dir: str | None = None,
    settings: Settings | None = None,
) -> str:
    """Re-read an article's raw file, clean it again with a trace, and render what was done.

    Raises LookupError when the article is not in the warehouse; says so in the output when
    the raw file is gone or has changed since it was loaded. The folders not given come from
    `settings` (the defaults without).
    """
    paths = resolve_paths(raw_dir, warehouse_dir, settings)
    row = find_article(paths.warehouse_dir, article_id)
    if row is None:
        raise LookupError(f"article {article_id} is not in {paths.warehouse_dir / ARTICLES_TABLE}")
    source = str(row["source_file"])
    raw_path = paths.raw_dir / source
    header = [f"article {article_id}: {row.get('title')}", f"raw file: {raw_path}"]
    if not raw_path.is_file():
        header.append(
            "WARNING: the raw file is gone; the stored body is shown, the repairs cannot be."
        )
        return "\n".join([*header, "", str(row.get("body", ""))])
    content = raw_path.read_bytes()
    if hashlib.sha256(content).hexdigest() != row.get("content_sha256"):
        header.append(
            "WARNING: the raw file changed since it was loaded: what follows is the cleaning of "
            "the file as it is now, not of what is in the warehouse (run `newsetl run`)."
        )
    parsed = parse_article(source, content)
    trace: list[Repair] = []
    cleaned = clean_body(parsed.raw_body, parsed.title, trace)
    if cleaned.body != row.get("body") and len(header) == 2:
        header.append("NOTE: the cleaner has changed since the load; the stored body differs.")
    return "\n".join([*header, "", render(parsed.raw_body, cleaned, trace)])
