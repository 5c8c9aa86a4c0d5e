"""Paragraph recovery: join the sentence splitter's lines, move quotes back, split at glue."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from newsetl.text.clean_captions import caption_units, find_credit, split_sentences
from newsetl.text.clean_glue import acronym_is_glue, camel_is_glue, stop_is_glue
from newsetl.text.clean_quotes import (
    HEADING_COST,
    QUOTES,
    classify_quote,
    quote_cues,
    resolve_quotes,
)
from newsetl.text.clean_spaces import Note

try:
    from newsetl.text import clean_scan
except ImportError:  # not compiled (a checkout before `make install`): the Python references
    clean_scan = None  # type: ignore[assignment]

_QUOTE_RE = re.compile(f"[{QUOTES}]")
_TERM_AFTER_NUMBER_RE = re.compile(r"\d[A-Z] [a-z]")
_STOPS = ".?!…"


# Asked for the same lines again and again (quote decisions, captions, glue): a pure function.
@functools.lru_cache(maxsize=1024)
def _credits(line: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, label) of each credit in the line (find_credit's spans and labels)."""
    found_all: list[tuple[int, int, str]] = []
    pos = 0
    while (found := find_credit(line, pos)) is not None:
        found_all.append((found[0], found[1], found[3]))
        pos = max(found[1], pos + 1)
    return tuple(found_all)


def _credit_spans(line: str) -> tuple[tuple[int, int], ...]:
    return tuple((start, end) for start, end, _ in _credits(line))


# Offsets where glue_points' per-character rules can fire, found by one regex scan instead of a
# Python loop over every character. A superset is enough (each candidate is re-checked by the
# rules), so non-ASCII characters count as possible capitals, digits, quotes, lower-case
# letters or stops: Unicode `isupper` and the like need no character classes here. The pattern
# starts with one character class, which the regex engine scans for fast; what it found must
# then be one of:
# - a capital after a stop, `)`, a lower-case letter (or a non-ASCII character);
# - a digit after a stop that follows a letter, or a digit and a capital (`2010.5G goes`);
# - a straight quote, not at the start, before a capital, a digit or a quote;
# - a non-ASCII character, not at the start, but none of the common ones no rule fires at;
# - a capital that opens a capitalised word after a capital or a digit (`NATOThe`: that rule,
#   acronym_is_glue, needs `[A-Z][a-z]`).
_NON_ASCII = "\x80-\U0010ffff"
# Accents, curly apostrophes, dashes: no capital, digit or quote, so no rule fires at them.
_NEVER_FIRES = "".join(
    char
    for char in "’‘—–…°·•×©éèêëáàâäãåñóòôöõøúùûüíìîïçßæœ"
    if not (char.isupper() or char.isdigit() or char in QUOTES)
)
_GLUE_CANDIDATE_RE = re.compile(
    f'[A-Z0-9"{_NON_ASCII}]'
    f"(?:(?<=[.?!)a-z{_NON_ASCII}][A-Z])"
    f"|(?<=[A-Za-z{_NON_ASCII}][.?!{_NON_ASCII}][0-9])"
    f"|(?<=[.?!{_NON_ASCII}][0-9])(?=[A-Z])"
    f'|(?<=.")(?=[A-Z0-9"{_NON_ASCII}])'
    f"|(?<=.[^\x00-\x7f{_NEVER_FIRES}])"
    "|(?<=[A-Z0-9][A-Z])(?=[a-z]))",
    re.DOTALL,
)
_START = re.Match.start


def glue_candidates_by_regex(line: str) -> list[int]:
    """The offsets where glue_points' rules can fire: `_GLUE_CANDIDATE_RE`'s matches.

    The reference for the compiled clean_scan.glue_candidates, which `make install` builds and
    glue_points uses when it is there: it took 9.6 µs an article against the regex's 24.8.
    """
    return list(map(_START, _GLUE_CANDIDATE_RE.finditer(line)))


glue_candidates: Callable[[str], list[int]] = (
    glue_candidates_by_regex
    if clean_scan is None
    else functools.partial(clean_scan.glue_candidates, never_fires=_NEVER_FIRES)
)


def glue_points(line: str, decisions: dict[int, str]) -> list[int]:
    """Offsets in `line` where a glued paragraph starts."""
    offsets = glue_candidates(line)
    if not offsets and ":" not in line and "(" not in line and "'" not in line and "’" not in line:
        return []  # more than half the lines: no rule can fire, and no credit to cut at
    return glue_points_at(line, decisions, offsets)


# A single quote that closes a quotation ending in a stop, glued to a capital or a digit (`it was
# 'final.'The decision`, `'historic.'2024 will`), after a quote that opened after a space.
_SINGLE_CLOSE_RE = re.compile(r"(?<=[A-Za-z][.?!])['’](?=[A-Z0-9])")
_SINGLE_OPEN_RE = re.compile(r"(?:^|(?<=\s))['‘]")


def _single_quote_glue(line: str) -> Iterable[int]:
    """Where a paragraph starts after a closing single quote glued to it."""
    for match in _SINGLE_CLOSE_RE.finditer(line):
        if _SINGLE_OPEN_RE.search(line, 0, match.start()) and stop_is_glue(line, match.start() - 1):
            yield match.end()


def glue_points_at(line: str, decisions: dict[int, str], offsets: Iterable[int]) -> list[int]:
    """glue_points, trying the rules at the given offsets only (all of them: `range(1, len)`)."""
    points: set[int] = set()
    credits = _credits(line) if ":" in line or "(" in line else ()
    for pos in offsets:
        char, prev = line[pos], line[pos - 1]
        if char in QUOTES:
            nxt = line[pos + 1] if pos + 1 < len(line) else ""
            if nxt in QUOTES and prev in _STOPS and line[pos + 2 : pos + 3].isupper():
                points.add(pos + 1)  # `person.""It took`: one quotation closes, the next opens
                continue
            # A paragraph starts with a capital, a term (`"5G goes rural`), or after a quotation
            # that ends in a stop, a number (`as "official."93-year-old Mugabe`).
            starts = (
                nxt.isupper()
                or (nxt.isdigit() and prev in _STOPS)
                or _TERM_AFTER_NUMBER_RE.match(line, pos + 1) is not None
            )
            if not starts or not (prev.isalnum() or prev in ".?!)…"):
                continue
            if decisions.get(pos, "O") == "C":
                points.add(pos + 1)  # `centers."Sanctions`, `evils"The`
            else:
                points.add(pos)  # `Photo: VCG"I would`, `end."Quote`
        elif char.isdigit() and prev in _STOPS and line[pos - 2 : pos - 1].isalnum():
            # `during the holiday.5G goes rural`; after a number only a term such as `5G` then a
            # lower-case word, never a decimal (`2.5`, `1.5GW`): `since 2010.5G goes rural`
            after_word = line[pos - 2].isalpha() or _TERM_AFTER_NUMBER_RE.match(line, pos)
            if after_word and stop_is_glue(line, pos - 1):
                points.add(pos)
        elif char.isupper():
            if prev in _STOPS:
                if stop_is_glue(line, pos - 1):
                    points.add(pos)
            elif prev == ")":
                points.add(pos)  # `(exclusive full interview)As key`
            elif prev.islower():
                nxt = line[pos + 1] if pos + 1 < len(line) else ""
                if nxt.islower() and camel_is_glue(line, pos):
                    points.add(pos)
                elif char in "AI" and nxt == " " and pos >= 2 and line[pos - 2].islower():
                    points.add(pos)  # `Next stepsA crème`: a sub-heading, then `A` or `I`
            elif (prev.isdigit() or prev.isupper()) and acronym_is_glue(line, pos):
                points.add(pos)
    if "'" in line or "’" in line:
        points.update(_single_quote_glue(line))
    for start, end, label in credits:
        # Inside a credit only its end counts: the next paragraph is glued to it (`GTTianjin`).
        points = {p for p in points if not start < p < end}
        # Text with no line breaks (other scrapes) gives no sign where a caption began: its
        # sentences since the last boundary are read as the lines before a credit are.
        cut = max((p for p in points if p <= start), default=0)
        sentences = split_sentences(line[cut:start])
        if sentences:
            taken, _ = caption_units(sentences, label, on_credit_line=True)
            if taken < len(sentences):
                first = sentences[-taken] if taken else ""
                points.add(line.rfind(first, cut, start) if taken else start)
        if end < len(line):
            points.add(end)
    return sorted(points)


def split_lines_plain(text: str) -> tuple[list[str], list[bool]]:
    """The text's lines, stripped and without the empty ones, and whether each opens a block.

    Blocks are separated by blank lines (only spaces or tabs between two newlines): the first
    non-empty line after one opens a block. The reference for the compiled
    clean_scan.split_lines, which `make install` builds and _Lines uses when it is there.
    """
    lines: list[str] = []
    block_first: list[bool] = []
    first = True
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line:
            lines.append(line)
            block_first.append(first)
            first = False
        elif not raw_line.strip(" \t"):
            first = True
    return lines, block_first


split_lines: Callable[[str], tuple[list[str], list[bool]]] = (
    split_lines_plain if clean_scan is None else clean_scan.split_lines
)


# Where a credit found at offset 0 can start: a label (_LABEL_RE in clean_captions) or `(`.
_CREDIT_LINE_STARTS = ("File", "Photo", "Illustration", "Graphic", "Infographic", "Cartoon", "(")


def _starts_with_credit(line: str) -> bool:
    # The first span is find_credit(line)'s; glue_points needs the spans of this line anyway.
    spans = _credit_spans(line)
    return bool(spans) and spans[0][0] == 0


class _Lines:
    """The splitter's lines with every quote decided: `O` opening or `C` closing."""

    def __init__(self, text: str) -> None:
        self.lines, self.block_first = split_lines(text)
        # Whether each line starts with a credit label inside its block (see credit_line): asked
        # for the same lines often. Only a line that starts with a label or `(` can.
        self.credit_lines = [
            not first
            and line.startswith(_CREDIT_LINE_STARTS)
            and ":" in line
            and _starts_with_credit(line)
            for line, first in zip(self.lines, self.block_first, strict=True)
        ]
        spots: list[tuple[int, int]] = []
        kinds: list[str] = []
        for index, line in enumerate(self.lines):
            if '"' not in line and "“" not in line and "”" not in line:
                continue
            labelled = ":" in line and '"' in line
            credit_ends = {end for _, end in _credit_spans(line)} if labelled else ()
            for quote in _QUOTE_RE.finditer(line):
                pos = quote.start()
                spots.append((index, pos))
                kind = classify_quote(line, pos, self.block_first[index])
                if pos in credit_ends and quote.group(0) == '"':
                    kind = "O"  # `Photo: VCG"I would`: a credit ends a photo block
                kinds.append(kind)
        self.spots = spots
        self.decisions: list[dict[int, str]] = [{} for _ in self.lines]
        self.kinds = kinds
        # The text after each quote up to the next one, the last one's up to the end of the body.
        resolved = self._resolve(spots, kinds)
        for (index, pos), choice in zip(spots, resolved, strict=True):
            self.decisions[index][pos] = choice

    def _resolve(self, spots: list[tuple[int, int]], kinds: list[str]) -> list[str]:
        """Every quote's choice, O or C, read from the text between the quotes."""
        if "A" not in kinds and "S" not in kinds:
            return list(kinds)  # nothing to choose (resolve_quotes would say the same)
        # Only a quote that may open or close needs the cues of the text after it: a forced one
        # (O or C) adds its cost to every reading that goes on, so it changes no choice (see
        # resolve_quotes), and reading its text would be wasted.
        narrative = [0.0] * len(kinds)
        spoken = [0.0] * len(kinds)
        last = (len(self.lines) - 1, len(self.lines[-1]))
        for k, kind in enumerate(kinds):
            if kind != "A" and kind != "S":
                continue
            # The text after the quote up to the next one, the last one's up to the end.
            end = spots[k + 1] if k + 1 < len(spots) else last
            narrative[k], spoken[k] = quote_cues(self._between(spots[k], end))
            index, pos = spots[k]
            line = self.lines[index]
            if kind == "A" and line[pos - 1].isalpha() and line[pos + 1 : pos + 2].isupper():
                # `chances"The`: a quotation ends in a stop, a sub-heading ends in a word and
                # the next paragraph opens with the quote (`"New rules, new chances"The`).
                spoken[k] += HEADING_COST
        return resolve_quotes(kinds, narrative, spoken)

    def credit_line(self, index: int) -> bool:
        """Whether line `index` starts with a credit label (`Photo: VCG...`) inside its block."""
        return index < len(self.lines) and self.credit_lines[index]

    def _between(self, first: tuple[int, int], second: tuple[int, int]) -> str:
        """The text between two quote positions, lines joined by spaces, photo blocks left out.

        A caption is the line before its credit line (from its last glue point), and the credit
        line holds the credit up to the quote: neither speaks for the quotation.
        """
        (line_a, pos_a), (line_b, pos_b) = first, second
        if line_a == line_b:
            return self.lines[line_a][pos_a + 1 : pos_b]
        parts: list[str] = []
        credit = self.credit_lines  # line_b is a line: credit[i + 1] below exists
        for i in range(line_a, line_b + 1):
            line = self.lines[i]
            start = pos_a + 1 if i == line_a else 0
            end = pos_b if i == line_b else len(line)
            if credit[i]:
                continue
            if i < line_b and credit[i + 1]:
                end = min(end, max(glue_points(line, {}), default=0))
            if start < end:
                parts.append(line[start:end])
        return " ".join(parts)

    def decision(self, index: int, pos: int) -> str:
        return self.decisions[index].get(pos, "")


def build_paragraphs(text: str, note: Note, contexts: bool = True) -> list[str]:
    """Join splitter lines into paragraphs, moving displaced quotes and splitting at glue.

    With `contexts` false the notes carry no raw text: a caller that only counts them saves
    building a string for each of the many lines joined and glue points split.
    """
    data = _Lines(text)
    lines = data.lines
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    def around(before: str, after: str, mark: str = "⏎", width: int = 30) -> str:
        """The raw text either side of a repair (a note's context)."""
        return f"{before[-30:]}{mark}{after[:width]}" if contexts else ""

    def caption_start(body: str, start: int, points: list[int]) -> None:
        """Where the captions of the line's credits start (and why, in the trace).

        A credit whose caption would start at the line's start (no boundary before its label on
        the line) takes the caption's lines from the paragraph so far, `current`: the line before
        the credit, or the text before the label on its own line, and an earlier line only on a
        clear cue (caption_units). The lines before the caption are the body's: they end the
        paragraph here.
        """
        for number, (label_at, credit_end, label) in enumerate(_credits(body)):
            piece_at = start  # the last boundary before the label (points are in order)
            for point in points:
                if point > label_at:
                    break
                if point > start:
                    piece_at = point
            at_line_start = number == 0 and piece_at == start and current
            if piece_at > label_at or not (at_line_start or contexts):
                continue  # glue_points decided where this caption starts; nothing to trace
            own = split_sentences(body[piece_at:label_at]) if piece_at < label_at else []
            units = [*current, *own] if at_line_start else own
            taken, why = caption_units(units, label, on_credit_line=bool(own))
            if at_line_start:
                keep = len(current) - max(0, taken - len(own))
                if keep:
                    paragraphs.append(" ".join(current[:keep]))
                    del current[:keep]
                    note("paragraphs_split", around(paragraphs[-1], (current or own or [body])[0]))
            if contexts:
                caption = " ".join(units[len(units) - taken :]) if taken else None
                note("caption_decision", f"{why}: {caption!r} | {body[label_at:credit_end]}")

    for index, line in enumerate(lines):
        start = 0
        lead = line[0]
        if data.block_first[index]:
            flush()
        elif lead in '"”' and data.decision(index, 0) == "C":
            # A closing quote the splitter pushed onto the next line goes back to its sentence.
            if current:
                current[-1] += lead
            else:
                current.append(lead)
            note("quotes_moved", around(lines[index - 1], line))
            start = 1
            if line[1:2].isalnum() or line[1:2] in QUOTES:
                flush()
                note("paragraphs_split", around(lines[index - 1], line, "", 31))
        elif lead in '"“' and line[1:2].isalnum():
            flush()  # `end.` / `"Quote starts`: news paragraphs open with the quotation
            note("paragraphs_split", around(lines[index - 1], line))
        body = line
        if current and body[start:].strip():
            note("lines_joined", around(lines[index - 1], line))
        points = glue_points(body, data.decisions[index])
        if (":" in body or "(" in body) and _credits(body):
            caption_start(body, start, points)
        cut = start
        for point in points:
            if point <= start:
                continue
            piece = body[cut:point].strip()
            if piece:
                current.append(piece)
            flush()
            note(
                "paragraphs_split",
                around(body[max(0, point - 30) : point], body[point : point + 30], "|"),
            )
            cut = point
        piece = body[cut:].strip()
        if piece:
            current.append(piece)
    flush()
    return paragraphs
