"""Scoring the cleaner against the generator's truth: devtools.quality, `devtools quality`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from devtools import quality
from devtools.articles import GoldPhoto, generate_article, generate_articles
from devtools.cli import main
from devtools.quality import (
    QualityReport,
    align_photos,
    caption_outcome,
    format_report,
    score,
    score_article,
)
from newsetl.text.clean import CleanedBody, Photo


def _perfect(raw_body: str, title: str | None = None) -> CleanedBody:
    """A cleaner that knows the answer: the article being scored is looked up by its body."""
    article = _CURRENT["article"]
    photos = tuple(Photo(p.position, p.caption, p.credit, p.kind) for p in article.photos)
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
    assert report.metrics()["photo_kind_share"] == 1.0
    assert {outcome for _, outcome in +report.captions} == {"exact"}
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


def test_caption_outcomes_tell_body_text_taken_from_caption_text_left() -> None:
    assert caption_outcome("A port.", "A port.") == "exact"
    assert caption_outcome("Trade grew. A port.", "A port.") == "body_taken"
    assert caption_outcome("A port.", None) == "body_taken"
    assert caption_outcome("It opened.", "A port in Tianjin, May 2, 2021. It opened.") == (
        "caption_left"
    )
    assert caption_outcome(None, "A port.") == "caption_left"
    assert caption_outcome("A dock.", "A port.") == "other"


def test_photos_are_aligned_by_credit_in_order() -> None:
    gold = (
        GoldPhoto(0, "A port.", "VCG"),
        GoldPhoto(1, "A dock.", "Xinhua"),
        GoldPhoto(2, "A ship.", "VCG"),
    )
    found = [Photo(0, "A dock.", "Xinhua", "photo"), Photo(1, "A ship.", "VCG", "photo")]
    assert align_photos(found, gold) == [(gold[0], None), (gold[1], found[0]), (gold[2], found[1])]


def test_caption_cases_are_scored_by_what_the_block_follows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A cleaner that glues the line before every caption onto it (issue #19's bug).
    def greedy(raw_body: str, title: str | None = None) -> CleanedBody:
        perfect = _perfect(raw_body, title)
        photos = tuple(
            replace(p, caption=f"Trade grew. {p.caption}") if p.caption else p
            for p in perfect.photos
        )
        return replace(perfect, photos=photos)

    monkeypatch.setattr(quality, "clean_body", greedy)
    report = QualityReport()
    for article in generate_articles(60, seed=2):
        _CURRENT["article"] = article
        score_article(report, article)
    cases = {case for case, outcome in +report.captions if outcome == "body_taken"}
    assert {"start", "after_stop"} <= cases
    uncaptioned = sum(
        p.case == "after_stop" and p.caption is None
        for a in generate_articles(60, seed=2)
        for p in a.photos
    )
    assert report.captions["after_stop", "exact"] == uncaptioned  # only those stay right
    assert report.case_recall("after_stop") < 0.5
    table = format_report(report)
    assert "after_stop" in table and "body_taken" in table


def test_quality_command_prints_the_table_and_checks_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["quality", "--count", "30", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "articles scored: 30" in out and "captions by what the photo block follows" in out
