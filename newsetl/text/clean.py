"""Article body cleaning: undo paragraph glue, sentence splitting and scraper debris."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from newsetl.text.clean_captions import extract_photos, strip_trailers
from newsetl.text.clean_chars import char_repairs, clean_field, normalize_spaces, repair_chars
from newsetl.text.clean_lexicon import SENTENCE_STARTERS
from newsetl.text.clean_paragraphs import build_paragraphs
from newsetl.text.clean_quotes import QUOTES
from newsetl.text.clean_spaces import Note, mark_space_breaks

REPAIR_KINDS: tuple[str, ...] = (
    "lines_joined",
    "paragraphs_split",
    "quotes_moved",
    "stray_chars_removed",
    "mojibake_fixed",
    "captions_extracted",
    "headline_echo_removed",
    "trailers_removed",
)
# What the trace also holds, uncounted: where each caption starts and why (`newsetl explain`).
TRACE_KINDS: tuple[str, ...] = ("caption_decision",)


@dataclass(frozen=True, slots=True)
class Photo:
    """One photo of an article: its place, caption, credit (without the `Photo:` label) and
    kind (what the label calls it: photo, file photo, illustration, screenshot, graphic)."""

    position: int
    caption: str | None
    credit: str | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class CleanedBody:
    """A cleaned body: paragraphs joined by blank lines, plus what was taken out of it."""

    body: str
    paragraphs: tuple[str, ...]
    photos: tuple[Photo, ...]
    print_headline: str | None
    repairs: dict[str, int]


_WORD_RE = re.compile(r"[^\W_]+")
_APOSTROPHES = str.maketrans("‘’", "''")
_LETTERS_RE = re.compile(r"[^\W\d_]*")


@dataclass(frozen=True, slots=True)
class Repair:
    """One repair the cleaner made: its kind (a REPAIR_KINDS name) and the raw text around it."""

    kind: str
    context: str


def clean_text(value: str) -> str:
    """Repair one header field (title, author ...): mojibake, stray chars, entities, spaces."""
    if not isinstance(value, str):
        return ""
    return clean_field(value)


# ---------------------------------------------------------------------------------------------
# Headline echo


def _words(text: str, limit: int | None = None) -> list[str]:
    """The text's words, lower-cased; with `limit`, only the first `limit + 1` of them."""
    # A long paragraph need not be split to the end to know it has more than `limit` words:
    # split a window of it, and trust it when it holds a word more than needed (only its last
    # word can be cut short) or the whole text.
    window = len(text) if limit is None else 8 * (limit + 2)
    head = text[:window]
    if head.isascii():
        # ASCII lower-cases letter for letter, so lower-casing first splits the same words.
        found = _WORD_RE.findall(head.lower())
    else:
        found = [w.lower() for w in _WORD_RE.findall(head)]
    if limit is None:
        return found
    if window >= len(text) or len(found) >= limit + 2:
        return found[: limit + 1]
    return [m.group().lower() for m in itertools.islice(_WORD_RE.finditer(text), limit + 1)]


def _common_in_order(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists.

    Bit-parallel (Allison and Dix; Hyyrö): bit i of `row` stands for a[i], and each word of `b`
    updates all of them in a few integer operations instead of a loop over `a`. The zero bits
    of `row` in the end count the common subsequence.
    """
    positions: dict[str, int] = {}
    for i, word in enumerate(a):
        positions[word] = positions.get(word, 0) | (1 << i)
    row = (1 << len(a)) - 1
    for word in b:
        matched = row & positions.get(word, 0)
        row = (row + matched) | (row - matched)
    return len(a) - (row & ((1 << len(a)) - 1)).bit_count()


def _is_headline_echo(paragraph: str, title: str, title_words: list[str] | None = None) -> bool:
    """Whether the paragraph repeats the headline; `title_words` is `_words(title)` if known."""
    if title_words is None:
        title_words = _words(title)
    if not title_words:
        return False
    # Only equal words can match a paragraph that ends in a stop, or a short title; otherwise
    # at most 2n + 5 words: in both cases reading one word more than that is enough.
    equal_only = paragraph.rstrip().endswith(".") or len(title_words) < 3
    limit = len(title_words) if equal_only else 2 * len(title_words) + 5
    words = _words(paragraph, limit)
    if not words:
        return False
    if words == title_words:
        return True
    if equal_only or len(words) > limit:
        return False
    common = _common_in_order(title_words, words)
    return common >= max(2, math.ceil(0.7 * len(title_words))) and common * 2 >= len(words)


def _starts_with_lower(text: str, prefix_lower: str, prefix_length: int) -> bool:
    """`text.translate(_APOSTROPHES).lower().startswith(prefix_lower)`, prefix_lower being the
    lower case of a text of `prefix_length` characters: on ASCII only the head is converted.
    """
    head = text[:prefix_length]
    if head.isascii() and prefix_lower.isascii() and len(prefix_lower) == prefix_length:
        # ASCII letters lower-case one to one and without context; apostrophes are no ASCII.
        return head.lower() == prefix_lower
    return text.translate(_APOSTROPHES).lower().startswith(prefix_lower)


@dataclass(frozen=True, slots=True)
class _Headline:
    """The title as the echo check reads it, prepared once per article."""

    text: str  # cleaned, curly apostrophes straightened
    lower: str
    words: list[str]


def _headline(title: str | None) -> _Headline:
    # Straight and curly apostrophes are one character each: offsets match across both forms.
    text = clean_field(title).translate(_APOSTROPHES) if title else ""
    return _Headline(text, text.lower(), _words(text))


def _drop_headline_echo(paragraphs: list[str], headline: _Headline, note: Note) -> list[str]:
    title, title_lower, title_words = headline.text, headline.lower, headline.words
    # Repeated, so that a second cleaning pass finds no echo left to remove.
    while title and paragraphs:
        first = paragraphs[0]
        if _starts_with_lower(first, title_lower, len(title)):
            rest = first[len(title) :]
            lead = rest.lstrip()
            next_word = _LETTERS_RE.match(lead)
            # With a space between, a headline ending in `?` or `.` is the lead's own first
            # sentence.
            glued = lead == rest or (
                not title.endswith((".", "?", "!"))
                and next_word is not None
                and next_word.group(0) in SENTENCE_STARTERS
            )
            if lead and (lead[0] in QUOTES or (lead[0].isupper() and glued)):
                # The headline run into the lead, or into a credit (`in SuzhouPhoto: VCG`); the
                # note holds exactly what leaves.
                note("headline_echo_removed", first[: len(title)])
                paragraphs = [lead, *paragraphs[1:]]
                continue
        if _is_headline_echo(first, title, title_words):
            note("headline_echo_removed", first)
            paragraphs = paragraphs[1:]
            continue
        break
    return paragraphs


def is_tidy_plain(paragraph: str) -> bool:
    """Whether `" ".join(paragraph.split())` gives the paragraph back unchanged.

    The space is the only whitespace character `str.isprintable` accepts, so a printable
    paragraph with no double space and none at either end is tidy. The reference for the
    compiled clean_scan.is_tidy, which `make install` builds and _tidy uses when it is there
    (one pass instead of four scans: _tidy took 9.2 -> 4.0 µs an article).
    """
    return (
        paragraph.isprintable()
        and "  " not in paragraph
        and not paragraph.startswith(" ")
        and not paragraph.endswith(" ")
    )


is_tidy: Callable[[str], bool]
try:
    from newsetl.text.clean_scan import is_tidy
except ImportError:  # not compiled (a checkout before `make install`): the same verdicts
    is_tidy = is_tidy_plain


def _tidy(paragraph: str) -> str:
    # The same as collapsing `\s+` runs to one space and stripping: `str.split` and `\s`
    # both split on exactly the characters for which `str.isspace` holds. Most paragraphs
    # are tidy already, and one scan can tell.
    return paragraph if is_tidy(paragraph) else " ".join(paragraph.split())


def clean_body(
    raw_body: str, title: str | None = None, trace: list[Repair] | None = None
) -> CleanedBody:
    """Clean a raw article body: recover paragraphs, move captions and trailers out.

    `raw_body` is the text after the `Text:` header line, `title` the article's headline (used to
    drop a repeated headline at the top). Each repair is counted in `repairs`; pass a list as
    `trace` to also get every repair with the raw text around it, and each caption decision
    (TRACE_KINDS). Never raises; an empty body gives an empty result.
    """
    counts = dict.fromkeys(REPAIR_KINDS, 0)

    def note(kind: str, context: str) -> None:
        if kind in counts:
            counts[kind] += 1  # a TRACE_KINDS decision is only traced
        if trace is not None:
            trace.append(Repair(kind, context))

    text = raw_body if isinstance(raw_body, str) else ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    char_counts: dict[str, int] = {}
    repaired = repair_chars(text, char_counts)
    for kind, count in char_counts.items():
        counts[kind] += count
    if trace is not None and repaired != text:
        trace.extend(Repair(kind, context) for kind, context in char_repairs(text, repaired))
    text = mark_space_breaks(repaired, note)
    text = normalize_spaces(text)
    text, print_headline, trailers = strip_trailers(text)
    for trailer in trailers:
        note("trailers_removed", trailer)
    paragraphs = build_paragraphs(text, note, contexts=trace is not None)
    # A displaced quote moved back up joins two characters a line break kept apart, which can
    # spell mojibake (`é“` + `”`): repaired here, so cleaning the output again changes nothing.
    for i, paragraph in enumerate(paragraphs):
        rejoined = repair_chars(paragraph, counts)
        if rejoined != paragraph:
            paragraphs[i] = rejoined
            if trace is not None:
                trace.extend(Repair(k, c) for k, c in char_repairs(paragraph, rejoined))
    headline = _headline(title if isinstance(title, str) else None)
    # The headline echo can run into a caption (`...plant in ShenyangShoppers browse`): it goes
    # before the captions are read, and again after, for an echo that followed a photo block.
    paragraphs = _drop_headline_echo(paragraphs, headline, note)
    no_echo = paragraphs[0] if paragraphs else None
    paragraphs, found = extract_photos(paragraphs)
    for _, caption, credit, _kind in found:
        note("captions_extracted", f"{caption or ''} | {credit or ''}")
    # The first pass stopped at a first paragraph that is no echo (the verdict depends on it and
    # the title alone): only a different one, a photo block taken off the top, needs a look.
    if not paragraphs or paragraphs[0] != no_echo:
        paragraphs = _drop_headline_echo(paragraphs, headline, note)
    kept = tuple(p for p in (_tidy(p) for p in paragraphs) if p)
    # position is the photo's ordinal: (article_id, position) is the grain of article_photos.
    photos = tuple(
        Photo(
            position=ordinal,
            caption=_tidy(caption) if caption else None,
            credit=_tidy(credit) if credit else None,
            kind=kind,
        )
        for ordinal, (_, caption, credit, kind) in enumerate(found)
    )
    return CleanedBody(
        body="\n\n".join(kept),
        paragraphs=kept,
        photos=photos,
        print_headline=print_headline,
        repairs=counts,
    )
