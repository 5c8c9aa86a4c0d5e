"""Quote parity: which straight `"` opens a quotation and which closes one, over a whole body."""

from __future__ import annotations

import math
import re

QUOTES = '"“”'
_OPEN_BEFORE = "([{—–"
_CLOSE_FOLLOWERS = ".,;:!?)]}—–-'’…"
_STOPS = ".?!…"
# Costs of a quote reading (see resolve_quotes).
REOPEN_COST = 1.0
STRAY_CLOSE_COST = 2.0
# A credit label right after a quote: the quote closes the paragraph before the photo block.
_LABEL_AFTER_RE = re.compile(r"(?:File [Pp]hotos?|Photos?|Illustrations?|Graphics?)\s*:")


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
    if _LABEL_AFTER_RE.match(line, pos + 1):
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
    quotes across a line break.
    """
    inf = (math.inf, math.inf)
    best: list[tuple[float, float]] = [(0.0, 0.0), inf]  # state 0 outside, 1 inside
    back: list[tuple[int, int]] = []  # per quote: predecessor state for new state 0 and 1
    for index, kind in enumerate(kinds):
        new = [inf, inf]
        prev_of = [0, 0]
        choices = ("O", "C") if kind in "AS" else (kind,)
        for state in (0, 1):
            if best[state] == inf:
                continue
            for choice in choices:
                target = 1 if choice == "O" else 0
                penalty = REOPEN_COST if (choice == "O" and state == 1) else 0
                penalty += STRAY_CLOSE_COST if (choice == "C" and state == 0) else 0
                if narrative and choice == "O":
                    penalty += narrative[index]
                if spoken and choice == "C":
                    penalty += spoken[index]
                moved = kind == "S" and choice == "C"
                cost = (best[state][0] + penalty, best[state][1] + moved)
                if cost < new[target]:
                    new[target] = cost
                    prev_of[target] = state
        best = new
        back.append((prev_of[0], prev_of[1]))
    end_outside = best[0]
    end_inside = (best[1][0] + REOPEN_COST, best[1][1])
    state = 0 if end_outside <= end_inside else 1
    resolved: list[str] = []
    for index in range(len(kinds) - 1, -1, -1):
        resolved.append("O" if state == 1 else "C")
        state = back[index][state]
    resolved.reverse()
    return resolved
