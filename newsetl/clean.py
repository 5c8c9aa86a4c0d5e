"""Article body cleaning: undo paragraph glue, sentence splitting and scraper debris."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsetl.clean_captions import extract_photos, strip_trailers
from newsetl.clean_chars import char_repairs, clean_field, normalize_spaces, repair_chars
from newsetl.clean_lexicon import SENTENCE_STARTERS
from newsetl.clean_paragraphs import Note, build_paragraphs, mark_space_breaks
from newsetl.clean_quotes import QUOTES

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


@dataclass(frozen=True, slots=True)
class Photo:
    """One photo of an article: its place, caption and credit (without the `Photo:` label)."""

    position: int
    caption: str | None
    credit: str | None


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


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def _common_in_order(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two word lists."""
    previous = [0] * (len(b) + 1)
    for word in a:
        row = [0]
        for j, other in enumerate(b):
            row.append(previous[j] + 1 if word == other else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]


def _is_headline_echo(paragraph: str, title: str) -> bool:
    title_words, words = _words(title), _words(paragraph)
    if not title_words or not words:
        return False
    if words == title_words:
        return True
    if paragraph.rstrip().endswith(".") or len(title_words) < 3:
        return False
    if len(words) > 2 * len(title_words) + 5:
        return False
    common = _common_in_order(title_words, words)
    return common >= max(2, math.ceil(0.7 * len(title_words))) and common * 2 >= len(words)


def _drop_headline_echo(paragraphs: list[str], title: str | None, note: Note) -> list[str]:
    # Straight and curly apostrophes are one character each: offsets match across both forms.
    title = clean_field(title).translate(_APOSTROPHES) if title else ""
    # Repeated, so that a second cleaning pass finds no echo left to remove.
    while title and paragraphs:
        first = paragraphs[0]
        if first.translate(_APOSTROPHES).lower().startswith(title.lower()):
            rest = first[len(title) :]
            lead = rest.lstrip()
            next_word = re.match(r"[^\W\d_]*", lead)
            # With a space between, a headline ending in `?` or `.` is the lead's own first
            # sentence.
            glued = lead == rest or (
                not title.endswith((".", "?", "!"))
                and next_word is not None
                and next_word.group(0) in SENTENCE_STARTERS
            )
            if lead and (lead[0] in QUOTES or (lead[0].isupper() and glued)):
                # The headline run into the lead, or into a credit (`in SuzhouPhoto: VCG`).
                note("headline_echo_removed", first[: len(title) + 20])
                paragraphs = [lead, *paragraphs[1:]]
                continue
        if _is_headline_echo(first, title):
            note("headline_echo_removed", first)
            paragraphs = paragraphs[1:]
            continue
        break
    return paragraphs


def _tidy(paragraph: str) -> str:
    return re.sub(r"\s+", " ", paragraph).strip()


def clean_body(
    raw_body: str, title: str | None = None, trace: list[Repair] | None = None
) -> CleanedBody:
    """Clean a raw article body: recover paragraphs, move captions and trailers out.

    `raw_body` is the text after the `Text:` header line, `title` the article's headline (used to
    drop a repeated headline at the top). Each repair is counted in `repairs`; pass a list as
    `trace` to also get every repair with the raw text around it. Never raises; an empty body
    gives an empty result.
    """
    counts = dict.fromkeys(REPAIR_KINDS, 0)

    def note(kind: str, context: str) -> None:
        counts[kind] += 1
        if trace is not None:
            trace.append(Repair(kind, context))

    text = raw_body if isinstance(raw_body, str) else ""
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
    paragraphs = build_paragraphs(text, note)
    title = title if isinstance(title, str) else None
    # The headline echo can run into a caption (`...plant in ShenyangShoppers browse`): it goes
    # before the captions are read, and again after, for an echo that followed a photo block.
    paragraphs = _drop_headline_echo(paragraphs, title, note)
    paragraphs, found = extract_photos(paragraphs)
    for _, caption, credit in found:
        note("captions_extracted", f"{caption or ''} | {credit or ''}")
    paragraphs = _drop_headline_echo(paragraphs, title, note)
    kept = tuple(p for p in (_tidy(p) for p in paragraphs) if p)
    # position is the photo's ordinal: (article_id, position) is the grain of article_photos.
    photos = tuple(
        Photo(
            position=ordinal,
            caption=_tidy(caption) if caption else None,
            credit=_tidy(credit) if credit else None,
        )
        for ordinal, (_, caption, credit) in enumerate(found)
    )
    return CleanedBody(
        body="\n\n".join(kept),
        paragraphs=kept,
        photos=photos,
        print_headline=print_headline,
        repairs=counts,
    )
