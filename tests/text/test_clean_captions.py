"""Captions, credits and trailers (newsetl.text.clean_captions) on the bodies a copy editor built.

Each test is one finding of a reader who tried to break the cleaner by hand; the text is invented.
"""

from __future__ import annotations

import pytest

from newsetl.text.clean import Photo, Repair, clean_body
from newsetl.text.clean_spaces import mark_space_breaks

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


_HAMI = "Workers check panels at a solar plant in Hami. Photo: Li Hao"


@pytest.mark.parametrize("gap", ["\xa0\xa0", " "])
@pytest.mark.parametrize(
    "paragraph",
    ["Zhang Wei, a manager at the plant, said output doubled.", "Zhang Wei said output doubled."],
)
def test_credit_without_a_desk_leaves_the_next_paragraph_its_subject(
    gap: str, paragraph: str
) -> None:
    # A flat scrape: the credit's value runs on into `Zhang Wei, a manager`. Body words never
    # move into a credit: a name before an apposition or a verb is the next sentence's subject.
    result = clean_body(f"{_HAMI}{gap}{paragraph}")
    caption = "Workers check panels at a solar plant in Hami."
    assert result.photos == (Photo(0, caption, "Li Hao", "photo"),)
    assert result.paragraphs == (paragraph,)


def test_hard_space_run_after_a_credit_is_a_paragraph_break() -> None:
    # After `Hami. ` and a plain space the run would be inside a sentence; a credit ends there.
    notes: list[str] = []
    marked = mark_space_breaks(
        f"{_HAMI}\xa0\xa0Zhang Wei Chen Lu", lambda kind, _: notes.append(kind)
    )
    assert marked == f"{_HAMI}\n\nZhang Wei Chen Lu"
    assert notes == ["paragraphs_split"]
    # No credit before the run: a run inside a sentence stays a space.
    plain = "Workers check panels in Hami. Li Hao\xa0\xa0Zhang Wei said so."
    assert mark_space_breaks(plain, lambda kind, _: notes.append(kind)) == plain


def test_body_sentence_dated_without_a_comma_does_not_join_the_caption() -> None:
    # `in Paris on Dec. 12, 2015.` dates an event in the body; a caption sets its date off by
    # a comma, as a dateline does.
    body = "The agreement was adopted in Paris on Dec. 12, 2015."
    caption = "Delegates applaud at the closing session of the conference."
    result = clean_body(f"{body}\n{caption}\nPhoto: AFPThe talks go on.")
    assert result.photos == (Photo(0, caption, "AFP", "photo"),)
    assert result.paragraphs == (body, "The talks go on.")


@pytest.mark.parametrize(
    "dated",
    [
        "A mechanical fish is seen at a port of Elefsina, Greece, Feb. 4, 2023.",
        "Starlings fly above a lake near Larnaca, Cyprus, on Jan. 10, 2023.",
    ],
)
def test_caption_dated_after_a_comma_takes_the_sentence_after_it(dated: str) -> None:
    # Xinhua's two-sentence captions: a dateline sentence, then one of background.
    second = "The ceremony was held on Saturday in the town."
    result = clean_body(f"The body ends here.\n{dated}\n{second}\nPhoto: XinhuaMore text.")
    assert result.photos == (Photo(0, f"{dated} {second}", "Xinhua", "photo"),)
    assert result.paragraphs == ("The body ends here.", "More text.")


def test_quoted_first_person_is_not_the_caption_speaking() -> None:
    caption = (
        'Children hold a banner reading "Our future" during a climate march in Berlin, '
        "Germany, on Sept. 15, 2023."
    )
    raw = f"The march was large.\n{caption}\nPhoto: AFP"
    result = clean_body(raw)
    assert result.photos == (Photo(0, caption, "AFP", "photo"),)
    assert result.paragraphs == ("The march was large.",)
    assert _decisions(raw) == [
        f"the caption is the sentence before the credit: {caption!r} | Photo: AFP"
    ]
    # Outside the quotes the first person still speaks: that line stays in the body.
    spoken = 'We hold a banner reading "Go" in Berlin, Germany, on Sept. 15, 2023.'
    assert clean_body(f"The march was large.\n{spoken}\nPhoto: AFP").photos == (
        Photo(0, None, "AFP", "photo"),
    )


@pytest.mark.parametrize("gap", ["", " ", "\n"])
def test_special_coverage_link_is_a_trailer(gap: str) -> None:
    # The page's link to related coverage, glued to the last sentence or not: navigation.
    trace: list[Repair] = []
    result = clean_body(f"It can thus be started.{gap}Read more in Special Coverage:", trace=trace)
    assert result.paragraphs == ("It can thus be started.",)
    assert result.repairs["trailers_removed"] == 1
    assert [r.context for r in trace if r.kind == "trailers_removed"] == [
        "Read more in Special Coverage:"
    ]


@pytest.mark.parametrize("label", ["Photo", "Illustration"])
def test_quotation_before_a_credit_in_a_flat_scrape_stays_in_the_body(label: str) -> None:
    # `said, "... half." Photo:` on one line: the quote's stop is no missing stop, and a
    # quotation is no caption.
    quoted = 'Li Ming, a commentator, said, "We made too many mistakes."'
    raw = f"The team lost.\xa0 \xa0 {quoted} {label}: Peng Yuwei/GT\xa0 \xa0 Next is Friday."
    result = clean_body(raw)
    assert result.photos == (Photo(0, None, "Peng Yuwei/GT", label.lower()),)
    assert result.paragraphs == ("The team lost.", quoted, "Next is Friday.")
