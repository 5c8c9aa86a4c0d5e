"""Hard spaces: where a run of NBSPs or U+3000s is a paragraph break the scraper lost."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from newsetl.text.clean_captions import find_credit
from newsetl.text.clean_chars import sub_at
from newsetl.text.clean_glue import word_before
from newsetl.text.clean_lexicon import ABBREVIATIONS

try:
    from newsetl.text import clean_scan
except ImportError:  # not compiled (a checkout before `make install`): the Python references
    clean_scan = None  # type: ignore[assignment]

# Note(kind, raw context): how each repair is reported to the caller (counts and the trace).
Note = Callable[[str, str], None]

_STOPS = ".?!…"
# A run of NBSP / U+3000 after a sentence end is where the scraper lost a paragraph break.
_SPACE_BREAK_RE = re.compile(
    "(?P<end>[.?!…][\"”’')\\]]*)(?P<gap>[ \t]*[\u00a0\u3000][ \t\u00a0\u3000]*)(?=(?P<next>\\S))"
)
# A sub-heading has no final stop: a run of two or more (`Old crafts, new buyers\xa0 \xa0"We`)
# or one U+3000 before a capital or an opening quotation; a single NBSP is only a space
# (`the\xa0Army`).
_HEADING_BREAK_RE = re.compile(
    "(?P<end>[^\\s.?!…])(?:[ \t\u00a0]*\u3000[ \t\u00a0\u3000]*"  # U+3000 is never a space
    '|(?=[ \t\u00a0\u3000]*[\u00a0\u3000])[ \t\u00a0\u3000]{2,})(?=["“]?[A-Z])'
)
# The last part of a word: a title glued to a headline echo (`learn AIDr.\xa0Nakamura`).
_LAST_PART_RE = re.compile(r"[A-Z]?[a-z]*$")


def mark_space_breaks(text: str, note: Note) -> str:
    """Turn an NBSP / U+3000 run where a paragraph broke into a blank line.

    That is a run after a sentence end (not before a lower-case word, nor a single NBSP before a
    number: `Jan.\xa010`), or a run of two or more after a sub-heading with no final stop. A
    single NBSP after a stop is a break only where the article marks its other breaks that way:
    not an NBSP and spaces (`industries.\xa0 The US`, a typed double space) in an article whose
    breaks are lone NBSPs, nor a lone NBSP before a sentence typed with NBSPs for spaces
    (`subtly.\xa0It has\xa0started`) in an article whose breaks are runs of NBSPs. A run after
    a word that cannot end a sub-heading (`to include\xa0\xa0South Asia`) is a space.
    """
    if "\u00a0" not in text and "\u3000" not in text:
        return text  # both patterns need an NBSP or a U+3000
    hard_runs = hard_space_runs(text)
    forms: list[int] = []  # lone, spaced, runs: counted when a single NBSP needs them

    def replace(match: re.Match[str]) -> str:
        nxt = match.group("next")
        word = word_before(text, match.start())
        last_part = _LAST_PART_RE.search(word)
        if last_part and last_part.group(0) in ABBREVIATIONS:
            word = last_part.group(0)
        gap = match.group("gap")
        run = len(gap.strip(" \t")) > 1 or "\u3000" in gap
        kept = nxt.islower() or (nxt.isdigit() and not run)
        if kept or word in ABBREVIATIONS or len(word) == 1:
            return match.group(0)  # `Jan.\xa010`, `Mr.\xa0Li`: a kept-together space
        if not run:
            if not forms:
                forms.extend(_break_forms(text, hard_runs))
            lone, spaced, runs = forms
            if lone > spaced if gap != "\xa0" else runs > lone and _nbsp_word_spaces(text, match):
                return match.group(0)  # a single NBSP where this article's breaks look otherwise
        note("paragraphs_split", text[max(0, match.start() - 20) : match.end() + 20])
        return match.group("end") + "\n\n"

    def after_heading(match: re.Match[str]) -> str:
        if not _can_end_heading(match.string, match.start("end")):
            return match.group(0)  # `to include\xa0\xa0South Asia`: a space in a sentence
        note("paragraphs_split", text[max(0, match.start() - 20) : match.end() + 20])
        return match.group("end") + "\n\n"

    text = _sub_space_breaks(replace, text, hard_runs)
    return _sub_heading_breaks(after_heading, text)


def _break_forms(text: str, hard_runs: list[tuple[int, int]]) -> tuple[int, int, int]:
    """How many of the text's `hard_runs` (hard_space_runs) after a stop have each form an
    article marks its paragraph breaks with: one NBSP alone (`end.\xa0Next`), one NBSP and
    spaces (`end.\xa0 Next`), and two or more NBSPs or a U+3000."""
    lone = spaced = runs = 0
    for start, end in hard_runs:
        stop = start
        while stop > 0 and text[stop - 1] in _CLOSERS:
            stop -= 1
        if stop == 0 or text[stop - 1] not in _STOPS:
            continue
        gap = text[start:end]
        if gap.count("\u00a0") > 1 or "\u3000" in gap:
            runs += 1
        elif gap == "\u00a0":
            lone += 1
        else:
            spaced += 1
    return lone, spaced, runs


# An NBSP typed as a word space: a single one between two words (`has\xa0started`).
_NBSP_WORD_SPACE_RE = re.compile('(?<=[A-Za-z,;:])\u00a0(?=[A-Za-z"“])')
_SENTENCE_END_RE = re.compile(r"[.?!…][\"”’')\]]*(?=\s)")


def _nbsp_word_spaces(text: str, match: re.Match[str]) -> bool:
    """Whether the sentence after a lone NBSP after a stop uses NBSPs as word spaces: the
    writer typed them for spaces (`subtly.\xa0It has\xa0started`), this one too."""
    after = _SENTENCE_END_RE.search(text, match.end())
    end = after.start() if after else len(text)
    return _NBSP_WORD_SPACE_RE.search(text, match.end(), end) is not None


# Words a sub-heading does not end with: the run of hard spaces after one is inside a sentence.
_NOT_HEADING_ENDS = frozenset(
    """a an the to of and or but nor in on at for with from by as into onto upon about against
    between among via per than that which who whose whom its their his her our your my this these
    those is are was were be been being has have had will would can could should may might must
    not also such including include includes""".split()  # noqa: SIM905 - a word list reads best as text
)
_WORD_END_RE = re.compile(r"([A-Za-z]+)$")


_STOP_RE = re.compile(r"[.?!…][\"”’')\]]*")
# An article and one short capitalised word, after a break: the start of a sentence's subject.
_SHORT_NAME_RE = re.compile(r"\s*(?:The|A|An) [A-Z][A-Za-z]{0,3}")


def _can_end_heading(text: str, end: int) -> bool:
    """Whether the text up to offset `end` (the character before a run of hard spaces) can be
    a sub-heading: it does not end in a function word, and it starts a paragraph (a sub-heading
    is one): at the body's start, or after glue, a hard space or a blank line; not after a
    sentence end and a plain space or the splitter's line break."""
    word = _WORD_END_RE.search(text, max(0, end - 40), end + 1)
    if word is not None and word.group(1).lower() in _NOT_HEADING_ENDS:
        return False
    stop = max((m.end() for m in _STOP_RE.finditer(text, max(0, end - 300), end)), default=-1)
    if _SHORT_NAME_RE.fullmatch(text, max(stop, 0), end + 1):
        return False  # `The US\xa0\xa0Army said`: no sub-heading is an article and one short word
    if stop < 0:
        return True
    if _ends_a_credit(text, stop, end + 1):
        return True  # `in Hami. Photo: Li Hao\xa0\xa0Zhang Wei, a manager`: the credit ends here
    gap = text[stop : stop + 2]
    return not (gap.startswith(" ") or (gap.startswith("\n") and gap != "\n\n"))


def _ends_a_credit(text: str, start: int, end: int) -> bool:
    """Whether a credit (a label and its value) ends text[start:end], at a hard-space run."""
    if ":" not in text[start:end]:
        return False  # every credit label ends in `:`
    found = find_credit(text[start:end].strip())
    return found is not None and found[1] == len(text[start:end].strip())


_HARD_SPACE_RE = re.compile("[\u00a0\u3000]")
_GAP_RUN_RE = re.compile("[ \t\u00a0\u3000]+")
# What _SPACE_BREAK_RE lets stand between a sentence's stop and the run of spaces after it.
_CLOSERS = "\"”’')]"


def hard_space_runs_by_regex(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whole run of spaces, tabs, NBSPs and U+3000s that holds an NBSP or
    a U+3000. The reference for the compiled clean_scan.hard_space_runs, which `make install`
    builds and mark_space_breaks uses when it is there."""
    return [
        match.span()
        for match in _GAP_RUN_RE.finditer(text)
        if _HARD_SPACE_RE.search(text, match.start(), match.end())
    ]


hard_space_runs: Callable[[str], list[tuple[int, int]]] = (
    hard_space_runs_by_regex if clean_scan is None else clean_scan.hard_space_runs
)


def _sub_space_breaks(
    replace: Callable[[re.Match[str]], str], text: str, hard_runs: list[tuple[int, int]]
) -> str:
    """`_SPACE_BREAK_RE.sub(replace, text)`, trying the pattern only where a match can start.

    A match is a stop, closing quotes or brackets, and then a whole run of spaces that holds a
    hard space (hard_space_runs): the pattern is tried once per run, at the stop before it, and
    not at every stop of the text. With hard_space_runs compiled, mark_space_breaks took 22.0
    instead of 38.8 µs on each text of the bench corpus with hard spaces (16% of them).
    """
    return sub_at(_SPACE_BREAK_RE, replace, text, _stops_before_hard_spaces(text, hard_runs))


def _stops_before_hard_spaces(text: str, hard_runs: list[tuple[int, int]]) -> Iterator[int]:
    """The offset of each stop that only closers separate from one of the `hard_runs`."""
    for start, _ in hard_runs:
        stop = start
        # An earlier match ends in a space, no closer: the walk never enters one.
        while stop > 0 and text[stop - 1] in _CLOSERS:
            stop -= 1
        if stop > 0 and text[stop - 1] in _STOPS:
            yield stop - 1


def _sub_heading_breaks(replace: Callable[[re.Match[str]], str], text: str) -> str:
    """`_HEADING_BREAK_RE.sub(replace, text)`, trying the pattern only where a match can start.

    A match is one character and then a whole run of spaces (the character after the run is a
    capital or a quote) that holds an NBSP or a U+3000 (hard_space_runs), so the pattern is
    tried once, at the character before each run: a scan for the pattern itself, which starts
    with a negated class, tries it at almost every character.
    """
    starts = (start - 1 for start, _ in hard_space_runs(text) if start)
    return sub_at(_HEADING_BREAK_RE, replace, text, starts)
