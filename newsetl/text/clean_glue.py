"""Glue points: where one HTML paragraph was concatenated to the next with nothing between."""

from __future__ import annotations

import re
import string

from newsetl.text.clean_lexicon import (
    ABBREVIATIONS,
    CAMEL_WORDS,
    MONTH_ABBREVIATIONS,
    PLACE_NAMES,
    SENTENCE_STARTERS,
)

# Sentence starters long enough that an acronym or a number glued in front is no plural (`MPAs`).
_STRONG_STARTERS = frozenset(w for w in SENTENCE_STARTERS if len(w) >= 3)
_TITLES = ABBREVIATIONS - MONTH_ABBREVIATIONS
_CAPITALISED_RE = re.compile(r"[A-Z][a-z]+(?![a-z])")
_LOWER_NEXT_RE = re.compile(r" +[a-z]")
# The camel-cased names by their first letter: only those can start at a given offset.
_CAMEL_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(w for w in sorted(CAMEL_WORDS, key=len, reverse=True) if w[0] == first)
    for first in {w[0] for w in CAMEL_WORDS}
}
# A word is rarely longer than this: word_before looks back this far in one C-level step.
_WORD_WINDOW = 40


def word_before(text: str, end: int) -> str:
    """The run of ASCII letters that ends right before offset `end`."""
    start = max(0, end - _WORD_WINDOW)
    chunk = text[start:end]
    run = len(chunk) - len(chunk.rstrip(string.ascii_letters))
    if run == len(chunk) and start > 0:
        # Letters fill the whole window: the run may go on before it.
        start = end
        while start > 0 and text[start - 1] in string.ascii_letters:
            start -= 1
        return text[start:end]
    return chunk[len(chunk) - run :]


def _camel_word_at(text: str, start: int) -> tuple[str, ...]:
    """The camel-cased names that `text` holds at offset `start`, longest first."""
    return tuple(
        w for w in _CAMEL_BY_FIRST.get(text[start : start + 1], ()) if text.startswith(w, start)
    )


def camel_is_glue(line: str, pos: int) -> bool:
    """Whether lower-case + `Xy` at `pos` is a glued paragraph rather than a camel-cased name."""
    token_start = pos
    while token_start > 0 and line[token_start - 1].isalpha():
        token_start -= 1
    token_end = pos
    while token_end < len(line) and line[token_end].isalpha():
        token_end += 1
    token = line[token_start:token_end]
    right_end = pos + 1
    while right_end < token_end and line[right_end].islower():
        right_end += 1
    right = line[pos:right_end]
    if token in CAMEL_WORDS:
        return False
    head = line[token_start:pos]
    if head in CAMEL_WORDS:
        return True  # `TikTokDr`, `iPhoneThe`: a whole brand name, then a new paragraph
    if any(token_start + len(word) > pos for word in _camel_word_at(line, token_start)):
        return False  # inside `WeChat` of `WeChatPay`
    if head in PLACE_NAMES:
        return True  # `What comes next for ChileChina had`: a sub-heading ending in a place
    left_start = pos
    while left_start > token_start and line[left_start - 1].islower():
        left_start -= 1
    if left_start > token_start and line[left_start - 1].isupper():
        left_start -= 1
    left = line[left_start:pos]
    if left_start == token_start and (len(left) == 1 or left in ("Mc", "Mac")):
        return False  # iPhone, eBay, McDonald's, MacBook
    if left.islower():
        return True  # `helpingAs`: a sub-heading without final stop
    return right in SENTENCE_STARTERS


def acronym_is_glue(line: str, pos: int) -> bool:
    """`NATOThe`, `2023The`: an acronym or number glued to a sentence starter."""
    match = _CAPITALISED_RE.match(line, pos)
    if not match or match.group(0) not in _STRONG_STARTERS:
        return False
    if line[pos - 1].isdigit():
        return True
    return pos >= 2 and line[pos - 2].isupper()


def stop_is_glue(line: str, pos: int) -> bool:
    """Whether the sentence punctuation at `pos` followed by an upper-case letter is glue."""
    if line[pos] != ".":
        return True
    word = word_before(line, pos)
    if word in _TITLES:
        return False  # `Mr.Li`
    if len(word) == 1 and word.isupper():
        # `U.S.A.` continues an initialism; `U.S.The` ends one.
        return not (pos + 2 < len(line) and line[pos + 2] == ".")
    return True


def glue_in_token(text: str, start: int, end: int) -> int | None:
    """First glue point strictly inside text[start:end], a token of a photo credit, if any.

    In a credit a long capitalised word run into another (`BilibiliFang`) is glue even when the
    second is no sentence starter: credits name sources, and the next paragraph follows them. A
    four-letter head needs a sentence going on after it (`RailConsumer confidence`, not `NovaGen
    Biotech`).
    """
    for pos in range(start + 1, end):
        char, prev = text[pos], text[pos - 1]
        if char in '"“”':
            return pos
        if char.isdigit() and prev.islower() and text[pos + 1 : pos + 2].isupper():
            return pos  # `the Sanxingdui Museum5G goes rural`
        if char.isupper() and (prev.islower() or prev == "."):
            if camel_is_glue(text, pos):
                return pos
            head = word_before(text, pos)
            start_of_word = pos - len(head)
            if (
                (len(head) >= 5 or (len(head) >= 4 and _LOWER_NEXT_RE.match(text, end)))
                and head[0].isupper()
                and not _camel_word_at(text, start_of_word)
            ):
                return pos
    return None
