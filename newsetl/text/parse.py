"""Parse one raw file's bytes into header fields and the raw body, or a reject reason."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field

from newsetl.settings import (
    EARLIEST_PUBLISHED_DATE,
    PLACEHOLDER,
    RAW_NAME_PATTERN,
    latest_published_date,
)


class RejectReason:
    """Why a raw file could not become an article (the `reason` column of rejected_files)."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    NO_TEXT_MARKER = "no_text_marker"
    NO_TITLE = "no_title"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    BAD_SYMLINK = "bad_symlink"
    CHANGED_WHILE_READ = "changed_while_read"
    # A FIFO, socket or device named like an article: never opened for a read that may block.
    NOT_REGULAR_FILE = "not_regular_file"
    # A name whose bytes are not UTF-8: no path column can hold it as it is.
    BAD_FILE_NAME = "bad_file_name"
    # A read that did not finish within the deadline (a hung mount or device).
    READ_TIMEOUT = "read_timeout"


class ParseError(Exception):
    """A raw file that cannot be loaded; `reason` is one of RejectReason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """Header fields (NULL where missing) and the still-damaged body of one raw file."""

    article_id: str
    source_file: str
    published_date: dt.date | None
    title: str
    section: str | None
    subsection: str | None
    author: str | None
    author_title: str | None
    author_description: str | None
    raw_body: str
    content_sha256: str
    notes: tuple[str, ...] = field(default=())


_NAME_RE = re.compile(RAW_NAME_PATTERN)
_KEY_RE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9 ]{0,40}?)\s*:(?P<value>.*)$")
_CATEGORY_RE = re.compile(r"category\s*(?P<n>[12])\s*:", re.IGNORECASE)
_KNOWN_KEYS = {
    "published time": "published",
    "published": "published",
    "date": "published",
    "title": "title",
    "category 1": "categories",
    "category 2": "categories",
    "author": "author",
    "author title": "author_title",
    "author description": "author_description",
    "text": "text",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO_DATE_RE = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?$")
_DMY_DATE_RE = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?:[ T].*)?$")
_TEXT_MONTH_RE = re.compile(
    r"^(?:(?P<d1>\d{1,2})\s+(?P<mon1>[A-Za-z]+)\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<mon2>[A-Za-z]+)\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))\b"
)


def article_id_for(source_file: str) -> str:
    """The 16-hex id from a `NNN_<id>.txt` name, else one derived from the file's path.

    `source_file` is the path relative to the raw dir (`/`-separated). For any other name the
    id is the first 16 hex digits of the sha256 of that path's UTF-8 bytes
    (`printf %s 'notes/a.txt' | sha256sum | cut -c1-16`): stable however often the file is
    edited, so an edit replaces its article; a renamed or moved file is another article.
    """
    match = _NAME_RE.match(source_file.rsplit("/", 1)[-1])
    if match:
        return match.group("article_id")
    return hashlib.sha256(source_file.encode()).hexdigest()[:16]


# A valid UTF-8 multi-byte sequence: if a file has one, its other bad bytes are damage, not
# a legacy 8-bit encoding.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


# Control characters a text file has no business with (tab, newlines and form feed are fine).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# The same characters as bytes: decoded as UTF-8, cp1252 or Latin-1, each is the one byte of
# the same value, and no other byte gives one.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])
# The first 4 KiB characters are encoded in at most this many bytes (4 each, after a BOM).
_CONTROL_SCAN_BYTES = 4 * 4096 + 3


def decode(content: bytes) -> tuple[str, tuple[str, ...]]:
    """Bytes to text, with a note for every fallback taken.

    UTF-8 (BOM dropped) is the format; BOM-marked UTF-16 is accepted; a file cut inside its last
    UTF-8 sequence loses only that sequence; a file with no UTF-8 at all is read as cp1252
    (Latin-1 where cp1252 has holes). Mixed or binary content is rejected. No charset guessing:
    guessers mis-detect these scrapes (docs/text-cleaning.md#encoding).
    """
    if not content or content.isspace():  # `not content.strip()`, without copying the file
        raise ParseError(RejectReason.EMPTY, f"{len(content)} bytes, no text")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), ("encoding:utf-16",)
        except UnicodeDecodeError as exc:
            raise ParseError(RejectReason.UNDECODABLE, f"invalid UTF-16: {exc}") from None
    if content.find(b"\x00", 0, 4096) >= 0:
        raise ParseError(RejectReason.BINARY, "NUL bytes: not a text file")
    notes: tuple[str, ...] = ()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            text = content[: exc.start].decode("utf-8-sig", errors="strict")
            notes = (
                f"encoding:truncated UTF-8 sequence of {len(content) - exc.start} bytes dropped",
            )
        elif _UTF8_MULTIBYTE.search(content) is None:
            text, notes = _decode_legacy(content)
        else:
            raise ParseError(
                RejectReason.UNDECODABLE, f"invalid UTF-8 at byte {exc.start} in a UTF-8 file"
            ) from None
    controls = _count_controls(content, text)
    if controls > 8:
        raise ParseError(RejectReason.BINARY, f"{controls} control characters in the first 4 KiB")
    return text, notes


def _count_controls(content: bytes, text: str) -> int:
    """Control characters in the first 4 KiB characters of `text`, the decoded `content`."""
    # Fast path: a file without a control byte where those characters can lie has none to
    # count; bytes.translate deletes in C, several times faster than the regex scan.
    head = content[:_CONTROL_SCAN_BYTES]
    if len(head.translate(None, _CONTROL_BYTES)) == len(head):
        return 0
    return len(_CONTROL_RE.findall(text, 0, 4096))


def _decode_legacy(content: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return content.decode("cp1252"), ("encoding:cp1252",)
    except UnicodeDecodeError:
        return content.decode("latin-1"), ("encoding:latin-1",)


def parse_date(
    value: str | None, latest: dt.date | None = None
) -> tuple[dt.date | None, str | None]:
    """A `Published Time` value to a date, or (None, note) when it is missing, impossible, or
    implausible: before EARLIEST_PUBLISHED_DATE or after `latest` (default:
    settings.latest_published_date() of now)."""
    if not value:
        return None, None
    text = value.strip()
    found: tuple[int, int, int] | None = None
    for pattern in (_ISO_DATE_RE, _DMY_DATE_RE):
        match = pattern.match(text)
        if match:
            year, month, day = map(int, match.group("y", "m", "d"))
            found = (year, month, day)
            break
    else:
        match = _TEXT_MONTH_RE.match(text)
        month_name = (match.group("mon1") or match.group("mon2")).lower() if match else ""
        month_number = _MONTHS.get(month_name)
        if match and month_number is not None:
            year = int(match.group("y1") or match.group("y2"))
            found = (year, month_number, int(match.group("d1") or match.group("d2")))
    if found is None:
        return None, f"date:unparseable {text!r}"
    try:
        published = dt.date(*found)
    except ValueError:
        return None, f"date:impossible {text!r}"
    if not EARLIEST_PUBLISHED_DATE <= published <= (latest or latest_published_date()):
        return None, f"date:implausible {text!r}"
    return published, None


_PLACEHOLDER_FOLDED = PLACEHOLDER.casefold()


def _null(value: str | None) -> str | None:
    """Empty values and the scraper's placeholder are NULL."""
    if value is None:
        return None
    value = " ".join(value.split())
    if not value or value.casefold() == _PLACEHOLDER_FOLDED:
        return None
    return value


def split_header(text: str) -> tuple[dict[str, str], str, list[str]]:
    """Header `Key: value` lines up to the `Text:` line, the body after it, and parse notes.

    A line that is not `Key: value` continues the previous value (a title that wrapped).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    fields: dict[str, str] = {}
    notes: list[str] = []
    last_key: str | None = None
    # Line by line up to the `Text:` line only: the body, most of the file, is never split.
    start = 0
    while start <= len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        line = text[start:end]
        start = end + 1
        match = _KEY_RE.match(line)
        key = _known_key(match.group("key")) if match else None
        if match and key == "text":
            value = match.group("value").strip()
            if newline < 0:
                return fields, value.strip("\n "), notes
            # An empty value (the usual `Text: `) saves a copy of the body.
            body = f"{value}\n{text[start:]}" if value else text[start:]
            return fields, body.strip("\n "), notes
        if match and key == "categories":
            fields.update(_split_categories(line))
            last_key = None
        elif match and key is not None:
            fields[key] = match.group("value").strip()
            last_key = key
        elif last_key is not None and line.strip():
            fields[last_key] = f"{fields[last_key]} {line.strip()}".strip()
            notes.append(f"{last_key}:wrapped")
        elif line.strip():
            notes.append(f"header:unknown line {line.strip()[:40]!r}")
    raise ParseError(RejectReason.NO_TEXT_MARKER, "no `Text:` line ends the header")


# Every file spells the same few keys: each spelling is normalised once per process.
@functools.lru_cache(maxsize=256)
def _known_key(spelling: str) -> str | None:
    """The field a header key names (`Published Time`, `TITLE`, `category  1`), if any."""
    return _KNOWN_KEYS.get(" ".join(spelling.lower().split()))


def _split_categories(line: str) -> dict[str, str]:
    """`Category 1: A; Category 2: B` (either may be empty, or on a line of its own)."""
    found: dict[str, str] = {}
    marks = list(_CATEGORY_RE.finditer(line))
    for position, mark in enumerate(marks):
        end = marks[position + 1].start() if position + 1 < len(marks) else len(line)
        value = line[mark.end() : end].strip().rstrip(";").strip()
        found["section" if mark.group("n") == "1" else "subsection"] = value
    return found


def parse_article(
    source_file: str,
    content: bytes,
    content_sha256: str | None = None,
    latest_date: dt.date | None = None,
) -> ParsedArticle:
    """Parse one raw file; raises ParseError with a reject reason when it cannot be an article.

    Pass `content_sha256` when the caller has already hashed the bytes (the hot path does), and
    a load's `latest_date` (settings.latest_published_date of its start): a later published
    date is NULL, with a note (parse_date).
    """
    digest = content_sha256 or hashlib.sha256(content).hexdigest()
    text, decode_notes = decode(content)
    fields, body, notes = split_header(text)
    title = _null(fields.get("title"))
    if title is None:
        raise ParseError(RejectReason.NO_TITLE, "the `Title:` value is empty or missing")
    published, date_note = parse_date(_null(fields.get("published")), latest_date)
    if date_note:
        notes.append(date_note)
    return ParsedArticle(
        article_id=article_id_for(source_file),
        source_file=source_file,
        published_date=published,
        title=title,
        section=_null(fields.get("section")),
        subsection=_null(fields.get("subsection")),
        author=_null(fields.get("author")),
        author_title=_null(fields.get("author_title")),
        author_description=_null(fields.get("author_description")),
        raw_body=body,
        content_sha256=digest,
        notes=(*decode_notes, *notes),
    )
