"""The hand-checked gold set (tests/text/gold/cases.json): invented excerpts, one a damage kind."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsetl.text.clean import clean_body

# Words as a reader sees them, so that glued text (`ICThe`) counts as the words it joins.
_WORD_RE = re.compile(r"[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])")
CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "gold" / "cases.json").read_text(encoding="utf-8")
)


def test_gold_set_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_gold_case(case: dict[str, Any]) -> None:
    result = clean_body(case["raw"], case["title"])
    assert list(result.paragraphs) == case["paragraphs"]
    assert [[p.caption, p.credit] for p in result.photos] == case["photos"]
    # Idempotent: the clean body cleans to itself.
    assert clean_body(result.body, case["title"]).body == result.body


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_gold_case_loses_no_word(case: dict[str, Any]) -> None:
    result = clean_body(case["raw"], case["title"])
    kept = " ".join(
        [result.body, case["title"] or "", result.print_headline or ""]
        + [f"{p.caption or ''} {p.credit or ''}" for p in result.photos]
    )
    kept_words = set(_WORD_RE.findall(kept))
    trailer_words = {"RELATED", "ARTICLES", "Newspaper", "headline", "Photo", "File", "photo"}
    trailer_words |= {"Illustration", "inspected", "Dam", "holds", "firm"}
    # Markup, and the longer form of a headline echo (`... in the south`), are meant to go.
    trailer_words |= {"amp", "in", "the", "south"}
    missing = set(_WORD_RE.findall(case["raw"])) - kept_words - trailer_words
    assert not missing
