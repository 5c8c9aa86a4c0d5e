"""Score the cleaner against the generator's clean truth: `make quality`."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsetl.generate import GeneratedArticle, generate_articles
from newsetl.text.clean import clean_body, clean_text
from newsetl.text.parse import parse_article

# Targets from the text-fidelity issue; `--check` fails when one is missed.
TARGETS = {
    "paragraph_f1": 0.995,
    "exact_share": 0.97,
    "caption_recall": 0.98,
    "caption_precision": 0.99,
}
RESIDUE_PATTERNS = {
    "stray_characters": re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\u00a0\u3000]"),
    "cjk_in_latin_word": re.compile(r"[A-Za-z][\u3400-\u9fff]|[\u3400-\u9fff][A-Za-z]"),
    "mojibake": re.compile(r"â€|Ã[\u0080-\u00bf]|â\u0080"),
    "html_entity": re.compile(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE),
    "credit_label": re.compile(r"\b(?:Photo|Photos|Illustration|File photo)\s*:"),
    "glue": re.compile(r"[a-z][.!?][\"”]?[A-Z][a-z]"),
}


@dataclass(slots=True)
class QualityReport:
    """Paragraph and caption scores, exact articles and residue over a generated corpus."""

    articles: int = 0
    exact: int = 0
    paragraphs_gold: int = 0
    paragraphs_found: int = 0
    paragraphs_matched: int = 0
    photos_gold: int = 0
    photos_found: int = 0
    photos_matched: int = 0
    titles_exact: int = 0
    residue: Counter[str] = field(default_factory=Counter)
    exact_by_style: Counter[str] = field(default_factory=Counter)
    articles_by_style: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def paragraph_precision(self) -> float:
        return self._ratio(self.paragraphs_matched, self.paragraphs_found)

    @property
    def paragraph_recall(self) -> float:
        return self._ratio(self.paragraphs_matched, self.paragraphs_gold)

    @property
    def paragraph_f1(self) -> float:
        p, r = self.paragraph_precision, self.paragraph_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_share(self) -> float:
        return self._ratio(self.exact, self.articles)

    @property
    def caption_precision(self) -> float:
        return self._ratio(self.photos_matched, self.photos_found)

    @property
    def caption_recall(self) -> float:
        return self._ratio(self.photos_matched, self.photos_gold)

    def metrics(self) -> dict[str, float]:
        """The scored numbers, by the names of TARGETS."""
        return {
            "paragraph_precision": self.paragraph_precision,
            "paragraph_recall": self.paragraph_recall,
            "paragraph_f1": self.paragraph_f1,
            "exact_share": self.exact_share,
            "caption_precision": self.caption_precision,
            "caption_recall": self.caption_recall,
            "title_exact_share": self._ratio(self.titles_exact, self.articles),
        }

    def missed_targets(self) -> list[str]:
        """Targets not met, and any residue at all (the target for residue is zero)."""
        metrics = self.metrics()
        missed = [f"{name} {metrics[name]:.4f} < {goal}" for name, goal in TARGETS.items()
                  if metrics[name] < goal]  # fmt: skip
        missed += [f"residue {kind}: {count}" for kind, count in self.residue.items() if count]
        return missed


def _overlap(found: Iterable[object], gold: Iterable[object]) -> int:
    return sum((Counter(found) & Counter(gold)).values())


def score_article(report: QualityReport, article: GeneratedArticle) -> None:
    """Clean one generated article and add its comparison with the truth to the report."""
    parsed = parse_article(article.file_name, article.raw_text.encode())
    cleaned = clean_body(parsed.raw_body, parsed.title)
    report.articles += 1
    report.articles_by_style[article.style] += 1
    report.paragraphs_gold += len(article.paragraphs)
    report.paragraphs_found += len(cleaned.paragraphs)
    report.paragraphs_matched += _overlap(cleaned.paragraphs, article.paragraphs)
    if tuple(cleaned.paragraphs) == article.paragraphs:
        report.exact += 1
        report.exact_by_style[article.style] += 1
    elif len(report.misses) < 20:
        report.misses.append(article.file_name)
    found_photos = [(photo.caption, photo.credit) for photo in cleaned.photos]
    gold_photos = [(photo.caption, photo.credit) for photo in article.photos]
    report.photos_gold += len(gold_photos)
    report.photos_found += len(found_photos)
    report.photos_matched += _overlap(found_photos, gold_photos)
    report.titles_exact += clean_text(parsed.title) == article.title
    for kind, pattern in RESIDUE_PATTERNS.items():
        report.residue[kind] += len(pattern.findall(cleaned.body))


def score(articles: Iterable[GeneratedArticle]) -> QualityReport:
    """Score the cleaner over the given generated articles."""
    report = QualityReport()
    for article in articles:
        score_article(report, article)
    return report


def format_report(report: QualityReport) -> str:
    """A plain-text table of the scores, targets and residue."""
    lines = [
        f"articles scored: {report.articles}",
        "",
        f"{'metric':<22}{'value':>10}{'target':>10}",
    ]
    for name, value in report.metrics().items():
        target = TARGETS.get(name)
        lines.append(f"{name:<22}{value:>10.4f}{'' if target is None else f'>= {target}':>10}")
    lines += ["", "residue in bodies (target 0):"]
    lines += [f"  {kind:<20}{report.residue[kind]:>8}" for kind in RESIDUE_PATTERNS]
    lines += ["", "exact articles by style:"]
    for style, total in sorted(report.articles_by_style.items()):
        lines.append(f"  {style:<20}{report.exact_by_style[style]:>8} / {total}")
    if report.misses:
        lines += ["", "first articles not recovered exactly: " + ", ".join(report.misses[:10])]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m newsetl.quality [--count N] [--seed S] [--check]`."""
    parser = argparse.ArgumentParser(
        prog="python -m newsetl.quality",
        description="Generate articles with a known clean truth, clean them, and score the "
        "cleaner: paragraph precision/recall/F1, exact articles, captions, residue.",
    )
    parser.add_argument("--count", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target is missed or residue is left"
    )
    args = parser.parse_args(argv)
    report = score(generate_articles(args.count, seed=args.seed))
    print(format_report(report))
    missed = report.missed_targets()
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
