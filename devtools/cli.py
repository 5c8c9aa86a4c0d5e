"""`python -m devtools generate|quality`: write a generated corpus, or score the cleaner on one."""

from __future__ import annotations

import argparse
import pathlib
import sys
import time
from collections.abc import Sequence

from devtools.articles import generate_articles, write_corpus
from devtools.quality import format_report, score


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devtools",
        description="Developer tools of newsetl (not in the wheel): the synthetic-article "
        "generator and the text cleaner's quality score.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    generate = commands.add_parser(
        "generate",
        help="write synthetic raw articles and their clean truth",
        description=(
            "Generate synthetic news articles in the raw scrape format (7 header lines, then a "
            "damaged body: headline echo, photo blocks after a line break, glued paragraphs, "
            "sentence line breaks, mis-decoded characters) together with their clean truth. "
            "About 80% are in the 'original' style, 10% 'flat' and 10% 'noisy'. The same "
            "--seed always gives byte-identical files."
        ),
        epilog=(
            "OUT_DIR receives NNN_<16 hex>.txt files and gold.jsonl, one JSON object per "
            "article: file_name, article_id, published_date, title, section, subsection, "
            "author, authors, author_title, author_description, paragraphs, photos "
            "(position, caption, credit, kind, case), print_headline, style."
        ),
    )
    generate.add_argument("out_dir", metavar="OUT_DIR", type=pathlib.Path, help="output folder")
    generate.add_argument("--count", "-n", type=int, default=100, help="articles (default 100)")
    generate.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    generate.add_argument("--no-gold", action="store_true", help="do not write gold.jsonl")
    generate.add_argument(
        "--subdirs",
        type=int,
        default=0,
        metavar="K",
        help="spread files over K sub-folders part-000, part-001, ... (default 0: flat)",
    )
    quality = commands.add_parser(
        "quality",
        help="score the text cleaner on generated articles",
        description="Generate articles with a known clean truth, clean them, and score the "
        "cleaner: paragraph precision/recall/F1, exact articles, captions by what the photo "
        "block follows, photo kinds, residue.",
    )
    quality.add_argument("--count", type=int, default=2000, help="articles (default 2000)")
    quality.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    quality.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed or residue is left"
    )
    return parser


def _generate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.count < 0 or args.subdirs < 0:
        parser.error("--count and --subdirs must be >= 0")
    t0 = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / max(time.perf_counter() - t0, 1e-9)
        print(f"{done:,} files written ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    count = write_corpus(
        args.out_dir,
        args.count,
        args.seed,
        gold=not args.no_gold,
        subdirs=args.subdirs,
        progress=progress,
    )
    print(f"wrote {count:,} articles to {args.out_dir} in {time.perf_counter() - t0:.1f}s")
    return 0


def _quality(args: argparse.Namespace) -> int:
    report = score(generate_articles(args.count, seed=args.seed))
    print(format_report(report))
    missed = report.missed_targets()
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
    return 1 if args.check and missed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status (0, or 1 for `quality --check` with a target missed)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "generate":
        return _generate(args, parser)
    return _quality(args)
