"""The compiled scans (clean_scan.pyx) against the regexes they stand for."""

from __future__ import annotations

import random
from pathlib import Path

from newsetl import clean_scan
from newsetl.clean_paragraphs import (
    _NEVER_FIRES,
    glue_candidates,
    glue_candidates_by_regex,
)
from newsetl.generate import generate_articles
from newsetl.parse import parse_article

# Each class of character the glue rules tell apart: capitals, lower case, digits, stops, `)`,
# quotes, spaces, accents that never fire, and other non-ASCII letters, digits and marks.
_ALPHABET = 'aAzZ09.?!…)( "“”’—\t\u00a0éÉΣσ²İ足中-,:'
_PIECES = ["said", "Li", "The", "A", "5G", " goes", "NATO", "2010", "U.S", "WeChat", "Mr.", "²"]


def _assert_scans_agree(lines: list[str]) -> None:
    for line in lines:
        assert clean_scan.glue_candidates(line, _NEVER_FIRES) == glue_candidates_by_regex(line), (
            repr(line)
        )


def test_glue_points_use_the_compiled_scan() -> None:
    assert glue_candidates("said Nuryshev.The envoy") == [14]
    assert glue_candidates.func is clean_scan.glue_candidates  # type: ignore[attr-defined]


def test_glue_candidates_match_the_regex_on_random_text() -> None:
    rng = random.Random(31)
    lines = ["", "A", '"', "x.5", "a.5", "é.5G", 'e""A', "AB", "ABc", "2Ab", "aé", "a’", "a—"]
    for _ in range(20000):
        lines.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(16))))
    for _ in range(10000):
        lines.append("".join(rng.choice([*_PIECES, *'."“”é’ ']) for _ in range(rng.randrange(10))))
    _assert_scans_agree(lines)


def test_glue_candidates_match_the_regex_on_articles(globaltimes_files: list[Path]) -> None:
    lines: list[str] = []
    for article in generate_articles(500, seed=9):
        lines += article.raw_text.split("\n")
    for path in globaltimes_files:
        lines += parse_article(path.name, path.read_bytes()).raw_body.split("\n")
    assert len(lines) > 10000
    _assert_scans_agree(lines)
