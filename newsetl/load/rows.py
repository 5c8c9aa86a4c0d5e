"""Turn parsed and cleaned articles into Arrow tables with the warehouse schemas."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from newsetl.store.schema import ARTICLES, STAGED_PHOTOS
from newsetl.text.authors import split_authors
from newsetl.text.clean import REPAIR_KINDS, CleanedBody, clean_text
from newsetl.text.parse import ParsedArticle

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


def count_words_plain(text: str) -> int:
    """Words as an analyst would count them: runs of letters/digits, apostrophes kept inside.

    The definition, and the fallback of the compiled clean_scan.count_words, which `make
    install` builds: findall builds a string per word, and the regex engine tests each character.
    """
    return len(_WORD_RE.findall(text))


count_words: Callable[[str], int]
try:
    from newsetl.text.clean_scan import count_words
except ImportError:  # not compiled (a checkout before `make install`): the same counts
    count_words = count_words_plain


_REPAIR_COLUMNS = tuple((kind, f"repair_{kind}") for kind in REPAIR_KINDS)


def _optional_text(value: str | None) -> str | None:
    if value is None:
        return None
    return clean_text(value) or None


def article_row(
    parsed: ParsedArticle, cleaned: CleanedBody, load_id: str, ingested_at: dt.datetime
) -> dict[str, Any]:
    """One `articles` row: header fields repaired, body cleaned, repair counts attached."""
    author = _optional_text(parsed.author)
    row: dict[str, Any] = {
        "article_id": parsed.article_id,
        "source_file": parsed.source_file,
        "published_date": parsed.published_date,
        "title": clean_text(parsed.title) or parsed.title,
        "section": _optional_text(parsed.section),
        "subsection": _optional_text(parsed.subsection),
        "author": author,
        "authors": split_authors(author) or None,
        "author_title": _optional_text(parsed.author_title),
        "author_description": _optional_text(parsed.author_description),
        "body": cleaned.body,
        "print_headline": cleaned.print_headline,
        "word_count": count_words(cleaned.body),
        "paragraph_count": len(cleaned.paragraphs),
        "photo_count": len(cleaned.photos),
        "parse_notes": list(parsed.notes) or None,
        "content_sha256": parsed.content_sha256,
        "load_id": load_id,
        "ingested_at": ingested_at,
    }
    for kind, column in _REPAIR_COLUMNS:
        row[column] = cleaned.repairs.get(kind, 0)
    return row


def photo_rows(parsed: ParsedArticle, cleaned: CleanedBody, load_id: str) -> list[dict[str, Any]]:
    """The article's `article_photos` rows, carrying its date for partitioning."""
    return [
        {
            "article_id": parsed.article_id,
            "position": photo.position,
            "caption": photo.caption,
            "credit": photo.credit,
            "kind": photo.kind,
            "load_id": load_id,
            "source_file": parsed.source_file,
            "published_date": parsed.published_date,
        }
        for photo in cleaned.photos
    ]


def to_tables(
    articles: list[dict[str, Any]], photos: list[dict[str, Any]]
) -> tuple[pa.Table, pa.Table]:
    """Rows to the staged articles and photos tables, with the explicit schemas."""
    return (
        pa.Table.from_pylist(articles, schema=ARTICLES),
        pa.Table.from_pylist(photos, schema=STAGED_PHOTOS),
    )
