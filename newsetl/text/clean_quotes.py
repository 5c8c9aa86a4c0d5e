"""Quote parity: which straight `"` opens a quotation and which closes one, over a whole body."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

QUOTES = '"“”'
_OPEN_BEFORE = "([{—–"
_CLOSE_FOLLOWERS = ".,;:!?)]}—–-'’…"
_STOPS = ".?!…"
# Costs of a quote reading (see resolve_quotes). All of them are multiples of 1/4, so their
# sums are exact in floating point: resolve_quotes relies on it.
REOPEN_COST = 1.0
STRAY_CLOSE_COST = 2.0
# A credit label right after a quote: the quote closes the paragraph before the photo block.
_LABEL_AFTER_RE = re.compile(r"(?:File [Pp]hotos?|Photos?|Illustrations?|Graphics?)\s*:")
_LABEL_WORDS = ("File", "Photo", "Illustration", "Graphic")

# The first person: in news text it speaks inside quotation marks.
# `\b(?:I|we|We|our|Our|us|my|My|me)\b`, written to start with a character class (scanned for
# much faster): the first letter, no word character before it, then the rest of the word.
_FIRST_PERSON_RE = re.compile(
    r"[IWwOoMmu](?<!\w.)(?:(?<=I)|(?<=[Ww])e|(?<=[Oo])ur|(?<=u)s|(?<=[Mm])y|(?<=m)e)\b"
)
# Narrative: speech attributed in running text (`said`, `according to`) and, less surely,
# figures (`5.2 percent`, `in 2021`) stand outside quotation marks far more often than inside.
_ATTRIBUTION_WORDS = ("said", "says", "told", "added", "according to")
_ATTRIBUTION_RE = re.compile(r"\b(?:" + "|".join(_ATTRIBUTION_WORDS) + r")\b")
_FIGURE_RE = re.compile(r"\d")
ATTRIBUTION_COST = 1.0
FIGURE_COST = 0.5
HEADING_COST = 0.5
# A name inside a sentence (`scan a code with WeChat`, `the Yellow River`): in real Global Times
# text 71% of sentences outside quotation marks hold one and 52% of those inside, a weak cue.
NAME_COST = 0.25
# `(?<=[a-z,;] )[A-Z][a-z]+`, with the capital matched before the lookbehind: a pattern that
# starts with a character class is scanned for far faster.
_NAME_RE = re.compile(r"[A-Z](?<=[a-z,;] [A-Z])[a-z]+")


def _attributes(text: str) -> bool:
    # Substring tests first: they are much cheaper than the regex scan and usually all fail.
    return (
        "said" in text
        or "says" in text
        or "told" in text
        or "added" in text
        or "according to" in text
    ) and _ATTRIBUTION_RE.search(text) is not None


def quote_cues_by_regex(text: str) -> tuple[float, float]:
    """The text after a quote as (narrative, spoken), the costs of reading it inside and
    outside a quotation (see resolve_quotes).

    Narrative: it attributes speech, reports figures or names names; spoken: it holds the first
    person (and then a figure or a name is spoken too: `We plan 13 stores`). The reference for
    quote_cues_by_scan, which `make install` builds and quote_cues is when it is there.
    """
    narrative = ATTRIBUTION_COST if _attributes(text) else 0.0
    if _FIRST_PERSON_RE.search(text) is not None:
        return narrative, 1.0
    narrative += FIGURE_COST if _FIGURE_RE.search(text) else 0.0
    return narrative + (NAME_COST if _NAME_RE.search(text) else 0.0), 0.0


try:
    from newsetl.text.clean_scan import ATTRIBUTION, FIGURE, FIRST_PERSON, NAME, cue_flags
    from newsetl.text.clean_scan import resolve_quotes as compiled_resolve_quotes
except ImportError:  # not compiled (a checkout before `make install`): the same results
    cue_flags = None  # type: ignore[assignment]
    compiled_resolve_quotes = None  # type: ignore[assignment]


def quote_cues_by_scan(text: str) -> tuple[float, float]:
    """quote_cues_by_regex from the compiled clean_scan.cue_flags: one pass over the words
    instead of four regex scans."""
    cues = cue_flags(text)
    narrative = ATTRIBUTION_COST if cues & ATTRIBUTION else 0.0
    if cues & FIRST_PERSON:
        return narrative, 1.0
    narrative += FIGURE_COST if cues & FIGURE else 0.0
    return narrative + (NAME_COST if cues & NAME else 0.0), 0.0


quote_cues: Callable[[str], tuple[float, float]] = (
    quote_cues_by_regex if cue_flags is None else quote_cues_by_scan
)


def classify_quote(line: str, pos: int, block_first: bool) -> str:
    """`O` opening, `C` closing, or ambiguous: `S` at a line start, `A` elsewhere.

    The sentence splitter breaks `end."Next` between the stop and the quote, so a quote at the
    start of a line is either an opening one or a closing one pushed down (`centers.` /
    `"Sanctions`); a quote at the end of a line after a stop can only close.
    """
    char = line[pos]
    if char == "“":
        return "O"
    if char == "”":
        return "C"
    # Every label starts with one of these words: the cheap test spares most quotes the regex.
    if line.startswith(_LABEL_WORDS, pos + 1) and _LABEL_AFTER_RE.match(line, pos + 1):
        return "C"
    if pos == 0:
        if len(line) == 1:
            return "C"  # a quote alone on its line opens nothing (`end.` / `"` + a trailer)
        # A displaced closing quote never crosses a blank line, only a splitter's line break.
        if block_first:
            return "O"
        if line[1:2] and line[1:2] in QUOTES:
            return "C"  # `end.` / `""Next`: the splitter broke inside `end.""Next`
        return "S"
    prev = line[pos - 1]
    nxt = line[pos + 1] if pos + 1 < len(line) else ""
    if pos == 1 and prev in QUOTES:
        return "O"  # the second quote of `""Next`: the next paragraph opens with a quotation
    if not nxt and prev in _STOPS:
        # The splitter breaks `end."Next` before the quote, so a quote left at the end of a line
        # was followed by a space (`end." Next`) or by nothing: it closes.
        return "C"
    if prev.isspace() or prev in _OPEN_BEFORE:
        return "A" if not nxt or nxt.isspace() else "O"
    if not nxt or nxt.isspace() or nxt in _CLOSE_FOLLOWERS:
        return "C"
    return "A"


def resolve_quotes(
    kinds: list[str], narrative: list[float] | None = None, spoken: list[float] | None = None
) -> list[str]:
    """Choose O/C for the ambiguous quotes so that quote parity breaks as little as possible.

    Opening a quote while inside one costs 1 (news style: a quotation running over several
    paragraphs reopens each of them), closing one while outside costs 2, ending inside costs 1.
    The text after quote k adds `narrative[k]` when read as inside a quotation (it attributes
    speech, `she said on Sunday`, or reports figures) and `spoken[k]` when read as outside one
    (it speaks in the first person, `we`, `our`, `I`). Ties go to the reading that moves fewer
    quotes across a line break. The costs of a forced quote (O or C) change no choice: every
    reading that goes on through it pays them alike (all costs are exact binary fractions).
    """
    if "A" not in kinds and "S" not in kinds:
        # Nothing to choose: each state is forced, and the best path is the kinds themselves.
        return list(kinds)
    if compiled_resolve_quotes is None:
        return resolve_quotes_by_search(kinds, narrative, spoken)
    no_costs = [0.0] * len(kinds)
    return compiled_resolve_quotes(
        kinds, narrative or no_costs, spoken or no_costs, REOPEN_COST, STRAY_CLOSE_COST
    )


def resolve_quotes_by_search(
    kinds: list[str], narrative: list[float] | None = None, spoken: list[float] | None = None
) -> list[str]:
    """resolve_quotes in Python: the reference for the compiled clean_scan.resolve_quotes,
    which `make install` builds and resolve_quotes uses when it is there."""
    inf = (math.inf, math.inf)
    # (cost, quotes moved) of the cheapest reading so far that ends outside / inside a quotation.
    outside: tuple[float, float] = (0.0, 0.0)
    inside: tuple[float, float] = inf
    back: list[tuple[int, int]] = []  # per quote: predecessor state for new state 0 and 1
    for index, kind in enumerate(kinds):
        opens, closes = kind != "C", kind != "O"  # `A` and `S` may do either
        open_extra = narrative[index] if narrative else 0.0
        close_extra = spoken[index] if spoken else 0.0
        moved = 1 if kind == "S" else 0  # a closing quote the splitter pushed to the next line
        new_outside, new_inside, from_outside, from_inside = inf, inf, 0, 0
        # The moves from outside first, then from inside: on a tie the first one found stays.
        if outside != inf:
            if opens:
                new_inside = (outside[0] + open_extra, outside[1])
            if closes:
                new_outside = (outside[0] + (STRAY_CLOSE_COST + close_extra), outside[1] + moved)
        if inside != inf:
            if opens:
                cost = (inside[0] + (REOPEN_COST + open_extra), inside[1])
                if cost < new_inside:
                    new_inside, from_inside = cost, 1
            if closes:
                cost = (inside[0] + close_extra, inside[1] + moved)
                if cost < new_outside:
                    new_outside, from_outside = cost, 1
        outside, inside = new_outside, new_inside
        back.append((from_outside, from_inside))
    best = (outside, inside)
    end_outside = best[0]
    end_inside = (best[1][0] + REOPEN_COST, best[1][1])
    state = 0 if end_outside <= end_inside else 1
    resolved: list[str] = []
    for index in range(len(kinds) - 1, -1, -1):
        resolved.append("O" if state == 1 else "C")
        state = back[index][state]
    resolved.reverse()
    return resolved
