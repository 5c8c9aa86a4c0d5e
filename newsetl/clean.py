"""Article body cleaning: undo paragraph glue, sentence splitting and scraper debris."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsetl.clean_captions import (
    ABBREVIATIONS,
    SENTENCE_STARTERS,
    extract_photos,
    strip_trailers,
)
from newsetl.clean_chars import clean_field, normalize_spaces, repair_chars

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


# Camel-cased names that a glue repair must leave whole.
CAMEL_WORDS = frozenset(
    """WeChat iPhone iPad iPod iMac iOS iCloud iTunes eBay PetroChina YouTube TikTok LinkedIn PayPal
    JavaScript TypeScript MacBook OpenAI SpaceX McDonald PyeongChang FedEx BlackRock PowerPoint
    GitHub SoftBank DeepSeek DeepMind PlayStation WhatsApp AliExpress AliPay AliCloud ExxonMobil
    GlaxoSmithKline BioNTech AstraZeneca JPMorgan HarperCollins DreamWorks CheckIn SignIn LogIn
    PlugIn BuiltIn""".split(),  # noqa: SIM905 - word lists read best as plain text
)
# Sentence starters long enough that an acronym or a number glued in front is no plural (`MPAs`).
_STRONG_STARTERS = frozenset(w for w in SENTENCE_STARTERS if len(w) >= 3)
_TITLES = ABBREVIATIONS - {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct"}
_QUOTES = '"“”'
_OPEN_BEFORE = "([{—–"
_CLOSE_FOLLOWERS = ".,;:!?)]}—–-'’…"

# A run of NBSP / U+3000 after a sentence end is where the scraper lost a paragraph break.
_SPACE_BREAK_RE = re.compile(
    "(?P<end>[.?!…][\"”’')\\]]*)(?P<gap>[ \t]*[\u00a0\u3000][ \t\u00a0\u3000]*)(?=(?P<next>\\S))"
)
_WORD_RE = re.compile(r"[^\W_]+")


def clean_text(value: str) -> str:
    """Repair one header field (title, author ...): mojibake, stray chars, entities, spaces."""
    if not isinstance(value, str):
        return ""
    return clean_field(value)


def _bump(counts: dict[str, int], kind: str, n: int = 1) -> None:
    counts[kind] += n


def _word_before(text: str, end: int) -> str:
    """The run of ASCII letters that ends right before offset `end`."""
    start = end
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _mark_space_breaks(text: str, counts: dict[str, int]) -> str:
    def replace(match: re.Match[str]) -> str:
        nxt = match.group("next")
        word = _word_before(text, match.start())
        if nxt.islower() or nxt.isdigit() or word in ABBREVIATIONS or len(word) == 1:
            return match.group(0)  # `Jan.\xa010`, `Mr.\xa0Li`: a kept-together space
        _bump(counts, "paragraphs_split")
        return match.group("end") + "\n\n"

    return _SPACE_BREAK_RE.sub(replace, text)


# ---------------------------------------------------------------------------------------------
# Quotes: which `"` opens and which closes, decided over the whole body


def _classify_quote(line: str, pos: int, block_first: bool) -> str:
    """`O` opening, `C` closing or `A` ambiguous, from the characters around the quote."""
    char = line[pos]
    if char == "“":
        return "O"
    if char == "”":
        return "C"
    if pos == 0:
        # A displaced closing quote never crosses a blank line, only a splitter's line break.
        return "O" if block_first else "A"
    prev = line[pos - 1]
    nxt = line[pos + 1] if pos + 1 < len(line) else ""
    if prev.isspace() or prev in _OPEN_BEFORE:
        return "A" if not nxt or nxt.isspace() else "O"
    if not nxt or nxt.isspace() or nxt in _CLOSE_FOLLOWERS:
        return "C"
    return "A"


def _resolve_quotes(kinds: list[str]) -> list[str]:
    """Choose O/C for the ambiguous quotes so that quote parity breaks as little as possible.

    Opening a quote while inside one costs 1 (news style: a quotation running over several
    paragraphs reopens each of them), closing one while outside costs 2, ending inside costs 1.
    Ties go to the reading with more opening quotes.
    """
    inf = (math.inf, math.inf)
    best: list[tuple[float, float]] = [(0.0, 0.0), inf]  # state 0 outside, 1 inside
    back: list[tuple[int, int]] = []  # per quote: predecessor state for new state 0 and 1
    for kind in kinds:
        new = [inf, inf]
        prev_of = [0, 0]
        for state in (0, 1):
            if best[state] == inf:
                continue
            for choice in ("O", "C") if kind == "A" else (kind,):
                target = 1 if choice == "O" else 0
                penalty = 1 if (choice == "O" and state == 1) else 0
                penalty += 2 if (choice == "C" and state == 0) else 0
                ambiguous_closed = 1 if (kind == "A" and choice == "C") else 0
                cost = (best[state][0] + penalty, best[state][1] + ambiguous_closed)
                if cost < new[target]:
                    new[target] = cost
                    prev_of[target] = state
        best = new
        back.append((prev_of[0], prev_of[1]))
    end_outside = best[0]
    end_inside = (best[1][0] + 1, best[1][1])
    state = 0 if end_outside <= end_inside else 1
    choices: list[str] = []
    for index in range(len(kinds) - 1, -1, -1):
        choices.append("O" if state == 1 else "C")
        state = back[index][state]
    choices.reverse()
    return choices


# ---------------------------------------------------------------------------------------------
# Glue points: where one <p> was concatenated to the next


def _camel_is_glue(line: str, pos: int) -> bool:
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
    if line[token_start:pos] in CAMEL_WORDS:
        return right in SENTENCE_STARTERS  # `iPhoneThe`
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


def _acronym_is_glue(line: str, pos: int) -> bool:
    """`NATOThe`, `2023The`: an acronym or number glued to a sentence starter."""
    match = re.match(r"[A-Z][a-z]+(?![a-z])", line[pos:])
    if not match or match.group(0) not in _STRONG_STARTERS:
        return False
    if line[pos - 1].isdigit():
        return True
    return pos >= 2 and line[pos - 2].isupper()


def _stop_is_glue(line: str, pos: int) -> bool:
    """Whether the sentence punctuation at `pos` followed by an upper-case letter is glue."""
    if line[pos] != ".":
        return True
    word = _word_before(line, pos)
    if word in _TITLES:
        return False  # `Mr.Li`
    if len(word) == 1 and word.isupper():
        # `U.S.A.` continues an initialism; `U.S.The` ends one.
        return not (pos + 2 < len(line) and line[pos + 2] == ".")
    return True


def _glue_points(line: str, decisions: dict[int, str]) -> list[int]:
    """Offsets in `line` where a glued paragraph starts."""
    points: set[int] = set()
    for pos in range(1, len(line)):
        char, prev = line[pos], line[pos - 1]
        if char in _QUOTES:
            nxt = line[pos + 1] if pos + 1 < len(line) else ""
            if not nxt.isupper() or not (prev.isalnum() or prev in ".?!)…"):
                continue
            if decisions.get(pos, "O") == "C":
                points.add(pos + 1)  # `centers."Sanctions`, `evils"The`
            else:
                points.add(pos)  # `Photo: VCG"I would`, `end."Quote`
        elif char.isupper():
            if prev in ".?!…":
                if _stop_is_glue(line, pos - 1):
                    points.add(pos)
            elif prev == ")":
                points.add(pos)  # `(exclusive full interview)As key`
            elif prev.islower():
                nxt = line[pos + 1] if pos + 1 < len(line) else ""
                if nxt.islower() and _camel_is_glue(line, pos):
                    points.add(pos)
            elif (prev.isdigit() or prev.isupper()) and _acronym_is_glue(line, pos):
                points.add(pos)
    return sorted(points)


# ---------------------------------------------------------------------------------------------
# Paragraphs


def _build_paragraphs(text: str, counts: dict[str, int]) -> list[str]:
    """Join splitter lines into paragraphs, moving displaced quotes and splitting at glue."""
    lines: list[tuple[bool, str]] = []  # (first line of a blank-line block, text)
    for block in re.split(r"\n[ \t]*\n", text):
        first = True
        for raw_line in block.split("\n"):
            line = raw_line.strip()
            if line:
                lines.append((first, line))
                first = False

    spots: list[tuple[int, int]] = []
    kinds: list[str] = []
    for index, (block_first, line) in enumerate(lines):
        for pos, char in enumerate(line):
            if char in _QUOTES:
                spots.append((index, pos))
                kinds.append(_classify_quote(line, pos, block_first))
    decisions: list[dict[int, str]] = [{} for _ in lines]
    for (index, pos), choice in zip(spots, _resolve_quotes(kinds), strict=True):
        decisions[index][pos] = choice

    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for index, (block_first, line) in enumerate(lines):
        start = 0
        if block_first:
            flush()
        elif line[0] in '"”' and decisions[index].get(0) == "C":
            # A closing quote the splitter pushed onto the next line goes back to its sentence.
            if current:
                current[-1] += line[0]
            else:
                current.append(line[0])
            _bump(counts, "quotes_moved")
            start = 1
            if line[1:2].isalnum() or line[1:2] in _QUOTES:
                flush()
                _bump(counts, "paragraphs_split")
        elif line[0] in '"“' and line[1:2].isalnum():
            flush()  # `end.` / `"Quote starts`: news paragraphs open with the quotation
            _bump(counts, "paragraphs_split")
        if current and line[start:].strip():
            _bump(counts, "lines_joined")
        cut = start
        for point in _glue_points(line, decisions[index]):
            if point <= start:
                continue
            piece = line[cut:point].strip()
            if piece:
                current.append(piece)
            flush()
            _bump(counts, "paragraphs_split")
            cut = point
        piece = line[cut:].strip()
        if piece:
            current.append(piece)
    flush()
    return paragraphs


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


def _drop_headline_echo(
    paragraphs: list[str], title: str | None, counts: dict[str, int]
) -> list[str]:
    title = clean_field(title) if title else ""
    # Repeated, so that a second cleaning pass finds no echo left to remove.
    while title and paragraphs:
        first = paragraphs[0]
        if _is_headline_echo(first, title):
            _bump(counts, "headline_echo_removed")
            paragraphs = paragraphs[1:]
            continue
        if not first.lower().startswith(title.lower()):
            break
        rest = first[len(title) :]
        lead = rest.lstrip()
        next_word = re.match(r"[^\W\d_]*", lead)
        # With a space between, a headline ending in `?` or `.` is the lead's own first sentence.
        glued = lead == rest or (
            not title.endswith((".", "?", "!"))
            and next_word is not None
            and next_word.group(0) in SENTENCE_STARTERS
        )
        if not lead or not (lead[0] in _QUOTES or (lead[0].isupper() and glued)):
            break
        _bump(counts, "headline_echo_removed")  # the headline run into the lead
        paragraphs = [lead, *paragraphs[1:]]
    return paragraphs


def _tidy(paragraph: str) -> str:
    return re.sub(r"\s+", " ", paragraph).strip()


def clean_body(raw_body: str, title: str | None = None) -> CleanedBody:
    """Clean a raw article body: recover paragraphs, move captions and trailers out.

    `raw_body` is the text after the `Text:` header line, `title` the article's headline (used to
    drop a repeated headline at the top). Never raises; an empty body gives an empty result.
    """
    counts = dict.fromkeys(REPAIR_KINDS, 0)
    text = raw_body if isinstance(raw_body, str) else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = repair_chars(text, counts)
    text = _mark_space_breaks(text, counts)
    text = normalize_spaces(text)
    text, print_headline, trailers = strip_trailers(text)
    counts["trailers_removed"] += trailers
    paragraphs = _build_paragraphs(text, counts)
    paragraphs, found = extract_photos(paragraphs)
    while True:
        echoes = counts["headline_echo_removed"]
        paragraphs = _drop_headline_echo(
            paragraphs, title if isinstance(title, str) else None, counts
        )
        if counts["headline_echo_removed"] == echoes:
            break
        # A headline cut off the front can uncover a credit that was glued to it, and so on.
        paragraphs, more = extract_photos(paragraphs)
        found += more
    counts["captions_extracted"] += len(found)
    kept = tuple(p for p in (_tidy(p) for p in paragraphs) if p)
    photos = tuple(
        Photo(position=i, caption=_tidy(c) if c else None, credit=_tidy(r) if r else None)
        for i, (c, r) in enumerate(found)
    )
    return CleanedBody(
        body="\n\n".join(kept),
        paragraphs=kept,
        photos=photos,
        print_headline=print_headline,
        repairs=counts,
    )
