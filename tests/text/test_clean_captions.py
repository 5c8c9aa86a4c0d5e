"""Captions, credits and trailers (newsetl.text.clean_captions) on the bodies a copy editor built.

Each test is one finding of a reader who tried to break the cleaner by hand; the text is invented.
"""

from __future__ import annotations

import pytest

from newsetl.text.clean import Photo, Repair, clean_body

_CAPTION = "A customer tries a phone at a store in Beijing."


def _decisions(raw: str) -> list[str]:
    trace: list[Repair] = []
    clean_body(raw, trace=trace)
    return [r.context for r in trace if r.kind == "caption_decision"]


@pytest.mark.parametrize(
    ("glued", "credit", "paragraph"),
    [
        ("VCGiPhone sales fell 10 percent.", "VCG", "iPhone sales fell 10 percent."),
        ("XinhuaiFlytek said it would hire more.", "Xinhua", "iFlytek said it would hire more."),
        ("AFPeBay said sales rose.", "AFP", "eBay said sales rose."),
    ],
)
def test_known_source_ends_before_a_lower_case_brand_glued_on(
    glued: str, credit: str, paragraph: str
) -> None:
    # `VCG` + `iPhone`: a known source ends there, as it does before a capital (`VCGThe`).
    result = clean_body(f"{_CAPTION}\nPhoto: {glued}")
    assert result.photos == (Photo(0, _CAPTION, credit, "photo"),)
    assert result.paragraphs == (paragraph,)


@pytest.mark.parametrize(
    ("glued", "credit", "paragraph"),
    [
        ("Cui Meng/GTiPhone sales rose.", "Cui Meng/GT", "iPhone sales rose."),
        ("cnsphotoe-CNY wallets passed 1 million.", "cnsphoto", "e-CNY wallets passed 1 million."),
    ],
)
def test_photographer_or_cnsphoto_credit_before_a_lower_case_brand_is_found(
    glued: str, credit: str, paragraph: str
) -> None:
    raw = f"{_CAPTION}\nPhoto: {glued}"
    result = clean_body(raw)
    assert result.photos == (Photo(0, _CAPTION, credit, "photo"),)
    assert result.paragraphs == (paragraph,)
    assert _decisions(raw) == [
        f"the caption is the sentence before the credit: {_CAPTION!r} | Photo: {credit}"
    ]


def test_lower_case_after_a_known_source_that_opens_no_brand_goes_on_the_word() -> None:
    # `Webbing`, not `Web` + `bing`: only a lower-case letter before a capital opens a brand.
    result = clean_body(f"{_CAPTION}\nPhoto: Webbing")
    assert result.photos == (Photo(0, _CAPTION, "Webbing", "photo"),)
