"""Header parsing and the reject reasons of newsetl.text.parse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsetl.settings import latest_published_date
from newsetl.text.parse import ParseError, RejectReason, article_id_for, parse_article, parse_date
from tests.conftest import SEED, raw_text


def test_seed_header_fields() -> None:
    parsed = parse_article(SEED.name, SEED.read_bytes())
    assert parsed.article_id == "5110aec6e8f52836"
    assert parsed.source_file == "000_5110aec6e8f52836.txt"
    assert parsed.published_date == dt.date(2022, 6, 20)
    assert parsed.title == (
        "Central Asia-China cooperation crucial to regional security and development: ambassador"
    )
    assert (parsed.section, parsed.subsection) == ("IN-DEPTH", "DIPLOMATIC CHANNEL")
    assert parsed.author == "Sun Haoran"
    assert parsed.author_title is None
    assert parsed.author_description is None
    assert parsed.raw_body.startswith("Central Asia-China cooperation crucial")
    assert parsed.raw_body.endswith('cooperation in this field," he added.')
    assert parsed.notes == ()


def test_placeholder_and_empty_values_are_null() -> None:
    text = raw_text(categories="; Category 2: ", author="Author details not found")
    parsed = parse_article("x.txt", text.encode())
    assert (parsed.section, parsed.subsection, parsed.author) == (None, None, None)


def test_keys_in_other_case_and_order() -> None:
    text = (
        "TITLE: Out of order\nauthor: Li Hao\npublished time: 2021-01-02\n"
        "category 2: SPORT; category 1: WORLD\ntext:\nBody here.\n"
    )
    parsed = parse_article("x.txt", text.encode())
    assert parsed.title == "Out of order"
    assert parsed.author == "Li Hao"
    assert parsed.published_date == dt.date(2021, 1, 2)
    assert (parsed.section, parsed.subsection) == ("WORLD", "SPORT")
    assert parsed.raw_body == "Body here."


def test_wrapped_title_is_joined_and_noted() -> None:
    text = raw_text(title="US \nwarships play games")
    parsed = parse_article("x.txt", text.encode())
    assert parsed.title == "US warships play games"
    assert parsed.notes == ("title:wrapped",)


def test_crlf_and_bom() -> None:
    text = "\ufeff" + raw_text(body="One.\nTwo.").replace("\n", "\r\n")
    parsed = parse_article("x.txt", text.encode())
    assert parsed.published_date == dt.date(2022, 6, 20)
    assert parsed.raw_body == "One.\nTwo."


def test_utf16_with_bom_is_decoded_and_noted() -> None:
    parsed = parse_article("x.txt", raw_text(title="Wide").encode("utf-16"))
    assert parsed.title == "Wide"
    assert parsed.notes == ("encoding:utf-16",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-06-20", dt.date(2022, 6, 20)),
        ("2022-06-20 14:35:00", dt.date(2022, 6, 20)),
        ("2022-06-20T14:35:00+08:00", dt.date(2022, 6, 20)),
        ("2022/6/5", dt.date(2022, 6, 5)),
        ("20/06/2022", dt.date(2022, 6, 20)),
        ("June 20, 2022", dt.date(2022, 6, 20)),
        ("Jun 20, 2022", dt.date(2022, 6, 20)),
        ("20 June 2022", dt.date(2022, 6, 20)),
    ],
)
def test_dates_in_common_formats(value: str, expected: dt.date) -> None:
    assert parse_date(value) == (expected, None)


def test_impossible_date_is_kept_as_null_with_a_note() -> None:
    parsed = parse_article("x.txt", raw_text(published="2022-13-45").encode())
    assert parsed.published_date is None
    assert parsed.notes == ("date:impossible '2022-13-45'",)


@pytest.mark.parametrize("value", ["2099-01-01", "1969-07-20", "0001-01-01", "9999-12-31"])
def test_an_implausible_date_is_null_with_a_note(value: str) -> None:
    parsed = parse_article("x.txt", raw_text(published=value).encode())
    assert parsed.published_date is None
    assert parsed.notes == (f"date:implausible {value!r}",)


def test_the_plausible_range_ends_a_day_after_the_load_started() -> None:
    started = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    latest = latest_published_date(started)  # 2026-03-02 04:30 UTC: the 3rd is plausible
    assert latest == dt.date(2026, 3, 3)
    assert parse_date("1990-01-01", latest) == (dt.date(1990, 1, 1), None)
    assert parse_date("1989-12-31", latest) == (None, "date:implausible '1989-12-31'")
    assert parse_date("March 3, 2026", latest) == (dt.date(2026, 3, 3), None)
    assert parse_date("2026-03-04", latest) == (None, "date:implausible '2026-03-04'")
    assert parse_date("2026-02-30", latest) == (None, "date:impossible '2026-02-30'")


def test_missing_date_is_null_without_a_note() -> None:
    parsed = parse_article("x.txt", raw_text(published="").encode())
    assert parsed.published_date is None
    assert parsed.notes == ()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b"  \n\n ", RejectReason.EMPTY),
        (b"\x00\x01\x02binary\x00junk", RejectReason.BINARY),
        (bytes(range(1, 32)) * 4, RejectReason.BINARY),
        (b"Published Time: 2022-06-20\nTitle: No body marker\n", RejectReason.NO_TEXT_MARKER),
        (raw_text(title="").encode(), RejectReason.NO_TITLE),
        (raw_text(title="Author details not found").encode(), RejectReason.NO_TITLE),
    ],
)
def test_bad_input_is_rejected_with_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_article("bad.txt", content)
    assert caught.value.reason == reason
    assert caught.value.detail


def test_latin1_and_cp1252_files_are_read_with_a_recorded_fallback() -> None:
    parsed = parse_article("x.txt", raw_text(title="Caf\xe9 \u201cnews\u201d").encode("cp1252"))
    assert parsed.title == "Caf\xe9 \u201cnews\u201d"
    assert parsed.notes == ("encoding:cp1252",)
    parsed = parse_article("x.txt", raw_text(title="Caf\xe9").encode("latin-1") + b"\x81")
    assert parsed.notes == ("encoding:latin-1",)


def test_file_cut_inside_its_last_utf8_sequence_loses_only_that() -> None:
    content = raw_text(body="Pok\xe9mon fans").encode() + "\xe9".encode()[:1]
    parsed = parse_article("x.txt", content)
    assert parsed.raw_body == "Pok\xe9mon fans"
    assert parsed.notes == ("encoding:truncated UTF-8 sequence of 1 bytes dropped",)


def test_invalid_bytes_inside_a_utf8_file_are_rejected() -> None:
    content = raw_text(body="Pok\xe9mon").encode() + b"\xff and more text"
    with pytest.raises(ParseError) as caught:
        parse_article("x.txt", content)
    assert caught.value.reason == RejectReason.UNDECODABLE


def test_article_id_from_name_else_from_the_path() -> None:
    assert article_id_for("012_00ff00ff00ff00ff.txt") == "00ff00ff00ff00ff"
    assert article_id_for("2022/06/012_00ff00ff00ff00ff.txt") == "00ff00ff00ff00ff"
    # sha256 of the path's UTF-8 bytes: printf %s notes.txt | sha256sum | cut -c1-16
    assert article_id_for("notes.txt") == "e39538e7f27a7bf5"
    assert article_id_for("2022/notes.txt") == "df266940abe00ddb"
    assert article_id_for("012_00FF00FF00FF00FF.txt") == "c85737f575935dee"
    first = parse_article("notes.txt", raw_text(title="First").encode())
    edited = parse_article("notes.txt", raw_text(title="Edited").encode())
    assert first.article_id == edited.article_id == "e39538e7f27a7bf5"


def test_every_globaltimes_file_parses(globaltimes_files: list[Path]) -> None:
    assert len(globaltimes_files) == 300
    parsed = [parse_article(path.name, path.read_bytes()) for path in globaltimes_files]
    assert all(article.title for article in parsed)
    assert sum(article.published_date is not None for article in parsed) == 7
    wrapped = [a.source_file for a in parsed if "title:wrapped" in a.notes]
    assert wrapped == ["071_37ff7c4ce5841704.txt"]
