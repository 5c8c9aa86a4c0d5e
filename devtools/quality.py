"""Score the cleaner against the generator's clean truth (`make quality`)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from devtools.articles import CAPTION_CASES, GeneratedArticle, GoldPhoto
from newsetl.text.clean import Photo, clean_body, clean_text
from newsetl.text.parse import parse_article

# Targets from the text-fidelity issues; `--check` fails when one is missed.
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
# How a photo's caption came out, against the truth (a photo of the truth that no photo found
# matches by credit is `missing`).
CAPTION_OUTCOMES = ("exact", "body_taken", "caption_left", "other", "missing")


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
    kinds_matched: int = 0
    titles_exact: int = 0
    residue: Counter[str] = field(default_factory=Counter)
    exact_by_style: Counter[str] = field(default_factory=Counter)
    articles_by_style: Counter[str] = field(default_factory=Counter)
    # (case, outcome) -> photos of the truth; case -> articles with such a photo, exact ones.
    captions: Counter[tuple[str, str]] = field(default_factory=Counter)
    articles_by_case: Counter[str] = field(default_factory=Counter)
    exact_by_case: Counter[str] = field(default_factory=Counter)
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

    def case_precision(self, case: str) -> float:
        """Of the photos found for the truth's photos of this case, the share captioned right."""
        found = sum(self.captions[case, o] for o in CAPTION_OUTCOMES if o != "missing")
        return self._ratio(self.captions[case, "exact"], found)

    def case_recall(self, case: str) -> float:
        """Of the truth's photos of this case, the share found with the right caption."""
        gold = sum(self.captions[case, o] for o in CAPTION_OUTCOMES)
        return self._ratio(self.captions[case, "exact"], gold)

    def metrics(self) -> dict[str, float]:
        """The scored numbers, by the names of TARGETS."""
        return {
            "paragraph_precision": self.paragraph_precision,
            "paragraph_recall": self.paragraph_recall,
            "paragraph_f1": self.paragraph_f1,
            "exact_share": self.exact_share,
            "caption_precision": self.caption_precision,
            "caption_recall": self.caption_recall,
            "photo_kind_share": self._ratio(self.kinds_matched, self.photos_gold),
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


def caption_outcome(found: str | None, gold: str | None) -> str:
    """How a found caption compares with the truth's (CAPTION_OUTCOMES, but `missing`)."""
    if found == gold:
        return "exact"
    if gold is None or (found is not None and found.endswith(gold)):
        return "body_taken"  # body text before the caption went into it
    if found is None or gold.endswith(found):
        return "caption_left"  # the caption's first part stayed in the body
    return "other"


def align_photos(
    found: Sequence[Photo], gold: Sequence[GoldPhoto]
) -> list[tuple[GoldPhoto, Photo | None]]:
    """Each photo of the truth with the found photo of the same credit, in order: the longest
    matching run of credits first (difflib), so that a photo not found shifts none of the rest."""
    matcher = difflib.SequenceMatcher(
        None, [p.credit for p in gold], [p.credit for p in found], autojunk=False
    )
    pairs: list[tuple[GoldPhoto, Photo | None]] = [(photo, None) for photo in gold]
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs[block.a + k] = (gold[block.a + k], found[block.b + k])
    return pairs


def score_article(report: QualityReport, article: GeneratedArticle) -> None:
    """Clean one generated article and add its comparison with the truth to the report."""
    parsed = parse_article(article.file_name, article.raw_text.encode())
    cleaned = clean_body(parsed.raw_body, parsed.title)
    report.articles += 1
    report.articles_by_style[article.style] += 1
    report.paragraphs_gold += len(article.paragraphs)
    report.paragraphs_found += len(cleaned.paragraphs)
    report.paragraphs_matched += _overlap(cleaned.paragraphs, article.paragraphs)
    exact = tuple(cleaned.paragraphs) == article.paragraphs
    if exact:
        report.exact += 1
        report.exact_by_style[article.style] += 1
    elif len(report.misses) < 20:
        report.misses.append(article.file_name)
    found_photos = [(photo.caption, photo.credit) for photo in cleaned.photos]
    gold_photos = [(photo.caption, photo.credit) for photo in article.photos]
    report.photos_gold += len(gold_photos)
    report.photos_found += len(found_photos)
    report.photos_matched += _overlap(found_photos, gold_photos)
    for gold, found in align_photos(cleaned.photos, article.photos):
        outcome = "missing" if found is None else caption_outcome(found.caption, gold.caption)
        report.captions[gold.case, outcome] += 1
        report.kinds_matched += found is not None and found.kind == gold.kind
    for case in {photo.case for photo in article.photos}:
        report.articles_by_case[case] += 1
        report.exact_by_case[case] += exact
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
    """A plain-text table of the scores, targets, caption cases and residue."""
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
    lines += [
        "",
        "captions by what the photo block follows (photos of the truth; body_taken: body text "
        "moved into the caption, caption_left: caption text left in the body):",
        f"  {'case':<14}{'photos':>7}"
        + "".join(f"{o:>14}" for o in CAPTION_OUTCOMES)
        + f"{'P':>8}{'R':>8}{'articles exact':>18}",
    ]
    for case in CAPTION_CASES:
        counts = [report.captions[case, o] for o in CAPTION_OUTCOMES]
        exact = f"{report.exact_by_case[case]} / {report.articles_by_case[case]}"
        lines.append(
            f"  {case:<14}{sum(counts):>7}"
            + "".join(f"{n:>14}" for n in counts)
            + f"{report.case_precision(case):>8.3f}{report.case_recall(case):>8.3f}{exact:>18}"
        )
    if report.misses:
        lines += ["", "first articles not recovered exactly: " + ", ".join(report.misses[:10])]
    return "\n".join(lines)
