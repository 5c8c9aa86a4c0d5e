"""Scoring the cleaner against the generator's truth (newsetl.quality)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsetl import quality
from newsetl.generate import generate_article, generate_articles
from newsetl.quality import QualityReport, format_report, score, score_article
from newsetl.text.clean import CleanedBody, Photo


def _perfect(raw_body: str, title: str | None = None) -> CleanedBody:
    """A cleaner that knows the answer: the article being scored is looked up by its body."""
    article = _CURRENT["article"]
    photos = tuple(Photo(p.position, p.caption, p.credit) for p in article.photos)
    paragraphs = article.paragraphs
    return CleanedBody("\n\n".join(paragraphs), paragraphs, photos, article.print_headline, {})


_CURRENT: dict[str, object] = {}


def test_a_perfect_cleaner_scores_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quality, "clean_body", _perfect)
    report = QualityReport()
    for article in generate_articles(40, seed=3):
        _CURRENT["article"] = article
        score_article(report, article)
    assert report.articles == 40
    assert report.metrics()["paragraph_f1"] == 1.0
    assert (report.exact_share, report.caption_precision, report.caption_recall) == (1.0, 1, 1)
    assert report.missed_targets() == []


def test_a_lost_paragraph_and_a_lost_photo_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    article = next(a for a in generate_articles(50, seed=5) if a.photos and len(a.paragraphs) > 3)

    def lossy(raw_body: str, title: str | None = None) -> CleanedBody:
        perfect = _perfect(raw_body, title)
        paragraphs = perfect.paragraphs[1:]
        return replace(perfect, paragraphs=paragraphs, photos=perfect.photos[1:])

    _CURRENT["article"] = article
    monkeypatch.setattr(quality, "clean_body", lossy)
    report = QualityReport()
    score_article(report, article)
    gold = len(article.paragraphs)
    assert (report.paragraphs_gold, report.paragraphs_matched) == (gold, gold - 1)
    assert report.paragraph_precision == 1.0
    assert report.paragraph_recall == (gold - 1) / gold
    assert report.exact == 0 and report.misses == [article.file_name]
    assert report.caption_recall == (len(article.photos) - 1) / len(article.photos)
    assert any(miss.startswith("exact_share 0.0000 < 0.97") for miss in report.missed_targets())


def test_residue_is_found_in_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    def dirty(raw_body: str, title: str | None = None) -> CleanedBody:
        body = "Left \u8db3over.Glued Photo: VCG and &amp; and \u00e2\u20ac\u2122 and \u00a0"
        return CleanedBody(body, (body,), (), None, {})

    monkeypatch.setattr(quality, "clean_body", dirty)
    report = score([generate_article(0, seed=1)])
    assert {kind: n for kind, n in report.residue.items() if n} == {
        "stray_characters": 1,
        "cjk_in_latin_word": 1,
        "mojibake": 1,
        "html_entity": 1,
        "credit_label": 1,
        "glue": 1,
    }
    assert "residue in bodies (target 0):" in format_report(report)


@pytest.mark.slow
def test_the_cleaner_meets_the_targets_on_2000_generated_articles() -> None:
    """The gate of the text-fidelity issue (`make quality`), kept by CI so it cannot regress."""
    report = score(generate_articles(2000, seed=7))
    assert report.missed_targets() == [], format_report(report)
