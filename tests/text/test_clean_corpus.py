"""The cleaner on the real Global Times scrapes (../shared, read in place) and on the seed:
no word lost, none invented."""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from newsetl.text.clean import CleanedBody, Repair, clean_body, clean_text
from newsetl.text.parse import parse_article
from tests.conftest import SEED

# Words in the pieces glue repair can cut them into (`helpingAs`, `2030The`), lower-cased.
from tests.text.test_clean import _word_counts

# A credit's label leaves with the photo block; its words are the only ones the cleaner drops
# besides the headline echo and the trailers, which its trace records word for word.
_LABEL_RE = re.compile(
    r"(?:File [Pp]hotos?|Photos?|Illustrations?|Graphics?|Infographic|Cartoon|Photo [Cc]redit)"
    r"\s*:"
)
_DROPPED_KINDS = ("headline_echo_removed", "trailers_removed")


def lost_and_invented(raw_body: str, title: str | None) -> tuple[Counter[str], Counter[str]]:
    """(words of the raw body the cleaned article lacks, words it has that the raw body lacks).

    The raw body is counted after the character repairs (mojibake, EUC-JP, soft hyphens); the
    article is its body, captions and credits, plus what the trace records as taken out on
    purpose, word for word (the headline echo, and the trailers: the print headline's among
    them), and the credit labels.
    """
    trace: list[Repair] = []
    cleaned: CleanedBody = clean_body(raw_body, title, trace)
    expected = _word_counts(clean_text(raw_body))
    kept = [cleaned.body]
    kept += [f"{photo.caption or ''} {photo.credit or ''}" for photo in cleaned.photos]
    kept += [repair.context for repair in trace if repair.kind in _DROPPED_KINDS]
    kept += _LABEL_RE.findall(clean_text(raw_body))
    found = _word_counts(" ".join(kept))
    return expected - found, found - expected


def test_no_word_is_lost_or_invented_on_the_real_corpus(globaltimes_files: list[Path]) -> None:
    assert len(globaltimes_files) == 300
    problems = {}
    for path in [*globaltimes_files, SEED]:
        parsed = parse_article(path.name, path.read_bytes())
        lost, invented = lost_and_invented(parsed.raw_body, parsed.title)
        if lost or invented:
            problems[path.name] = (dict(lost), dict(invented))
    assert problems == {}


def test_the_word_count_sees_a_lost_or_an_invented_word(monkeypatch: pytest.MonkeyPatch) -> None:
    # The documented removals count as kept; a cleaner that loses the body line before a
    # caption, or invents a word, is caught.
    raw = "Talks ended.\nA port at dawn.\nPhoto: VCGTrade grew.Newspaper headline: Ports busy"
    assert lost_and_invented(raw, None) == (Counter(), Counter())
    assert lost_and_invented("Trade grew.\nRELATED ARTICLES: Ports reopen", None) == (
        Counter(),
        Counter(),
    )

    real = clean_body

    def lossy(raw_body: str, title: str | None, trace: list[Repair]) -> CleanedBody:
        cleaned = real(raw_body, title, trace)
        return replace(cleaned, body=cleaned.body.replace("Talks ended.", "Talk ended ok."))

    monkeypatch.setattr(sys.modules[__name__], "clean_body", lossy)
    assert lost_and_invented(raw, None) == (Counter({"talks": 1}), Counter({"talk": 1, "ok": 1}))


def test_no_page_navigation_is_left_in_real_bodies(globaltimes_files: list[Path]) -> None:
    # Files 197, 206 and 212 end in the page's link to related coverage.
    left = {}
    for path in globaltimes_files:
        parsed = parse_article(path.name, path.read_bytes())
        body = clean_body(parsed.raw_body, parsed.title).body
        if "Read more in Special Coverage" in body:
            left[path.name] = body[-60:]
    assert left == {}
