"""Photo captions, credits and trailers: the debris that leaves an article body."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from newsetl.text.clean_glue import glue_in_token
from newsetl.text.clean_lexicon import ABBREVIATIONS, KNOWN_CREDITS, LABEL_KINDS, SENTENCE_STARTERS
from newsetl.text.clean_quotes import ATTRIBUTION_COST, quote_cues

__all__ = [
    "ABBREVIATIONS",
    "SENTENCE_STARTERS",
    "caption_units",
    "extract_photos",
    "find_credit",
    "photo_kind",
    "strip_trailers",
]

# A known source ends where the next paragraph's capitalised word or acronym starts
# (`VCGCao Dongmei`, `ICAI race heats up`, `VCG5G goes rural`), or a brand word that opens with
# a lower-case letter (`VCGiPhone`, `XinhuaiFlytek`, `AFPeBay`, `cnsphotoe-CNY`): the glue is the
# documented damage. Any other lower-case letter goes on the word (`Webb`, `Internet`).
_BRAND_START = r"[a-z]-?[A-Z]"
_KNOWN_RE = re.compile(
    "(?:"
    + "|".join(re.escape(c) for c in KNOWN_CREDITS)
    + rf")(?!(?!{_BRAND_START})[a-z]|&|\d(?![A-Z]))"
)
_NAME_TOKEN_RE = re.compile(r"(?:[A-Z]\.)+(?![A-Za-z])|[A-Z][a-z'’\-]*[a-z]|[A-Z]{2,}(?![a-z])")
_PHRASE_CREDIT_RE = re.compile(r"(?:Courtesy(?: of)?|Screenshot(?: from| of)?|Source)\b:?")
_SURNAME_THEN_NAME_RE = re.compile(r" [A-Z][a-z]+(?:/|$|[^\w\s]|[A-Z]| [A-Z])")
_CONNECTORS = frozenset({"of", "the", "and", "from", "de", "for", "on", "at", "in", "a", "an"})
_LOWER_WORD_RE = re.compile(r" +([a-z][a-z'’-]*)\b")
_NAME_COMMA_RE = re.compile(r" +[A-Z][a-z]+,")
# A comma after a name that opens an apposition (`Zhang Wei, a manager`, `Zhang Wei, 45,`).
_APPOSITION_RE = re.compile(r", +[a-z0-9]")

# A credit label: after a space, a sentence end, a quote, or glued to a caption without a stop.
_LABEL_RE = re.compile(
    r"(?:(?P<open>\(\s*)|(?<![A-Z0-9]))"
    r"(?P<label>File [Pp]hotos?|Photos?|Illustrations?|Graphics?|Infographic|Cartoon|"
    r"Photo [Cc]redit)\s*:\s*"
)
# The first word of every label: a match of _LABEL_RE starts there, or at a `(` before it.
_LABEL_FIRST_WORDS = ("File", "Photo", "Illustration", "Graphic", "Infographic", "Cartoon")
_PAREN_CREDIT_RE = re.compile(
    r"\(\s*(?P<value>(?:" + _KNOWN_RE.pattern + r")\s*/\s*[^()\n]{1,50}?)\s*\)"
)

# What may follow a credit: the end, a space, or the next paragraph glued on.
_CREDIT_END_RE = re.compile(rf"[.,;]?(?:$|\s)|[.,;]?(?=[\"“”A-Z]|\d[A-Z]|{_BRAND_START})")
_SENTENCE_GAP_RE = re.compile(r"[.?!]+[\"”’')\]]*\s+")
# The word before a sentence gap's stop (`Jan.`, `C.`), a token of a free-text credit, a
# lower-case word after spaces, a credit ending in an initial (`Li Y.`), a screenshot's source.
_LAST_WORD_RE = re.compile(r"([A-Za-z]+)\.$")
_TOKEN_RE = re.compile(r" *([^\s]+)")
_LOWER_AFTER_SPACES_RE = re.compile(r" +[a-z]")
_INITIAL_END_RE = re.compile(r"\b[A-Z]\.$")
_SCREENSHOT_SOURCE_RE = re.compile(r" *([A-Z][\w'’&-]*)")

_PRINT_HEADLINE_RE = re.compile(r"Newspaper headline\s*:[ \t]*(?P<headline>[^\n]*)")
# The related-articles list, or the page's link to them glued to the last sentence
# (`...can thus be started.Read more in Special Coverage:`): navigation, not the article.
_RELATED_RE = re.compile(
    r"(?<![^\s.!?\"”])(?:RELATED ARTICLES?|Related [Aa]rticles?|RELATED READING|"
    r"Related [Rr]eading|Read more in Special Coverage)\s*:"
)
_OPINION_EMAIL_RE = re.compile(r"[ \t]*\bopinion@globaltimes\.com\.cn\.?[ \t]*(?=\n|$)")
_TRAILING_EMAIL_RE = re.compile(r"\s*\b[A-Za-z0-9_+\-]+@globaltimes\.com\.cn\.?\s*$")


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences at `. ` gaps, sparing abbreviations and initials."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_GAP_RE.finditer(text):
        nxt = text[match.end() : match.end() + 2]
        if not nxt or not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in '"“‘(['):
            continue
        head = text[start : match.start() + 1]
        word = _LAST_WORD_RE.search(head)
        if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
            continue  # `Jan. 10`, `Mr. Li`, `Peter C. Espina`
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _names_end(text: str, pos: int, limit: int) -> tuple[int, int]:
    """End offset and count of up to `limit` capitalised name tokens starting at `pos`.

    The names stop where a token runs straight into the next paragraph (`Li HaoTianjin`).
    """
    end, count = pos, 0
    while count < limit:
        start = pos if count == 0 else _skip_spaces(text, end)
        if count and start == end:
            break
        match = _NAME_TOKEN_RE.match(text, start)
        if not match:
            break
        if match.group(0) in SENTENCE_STARTERS and not (
            count == 0 and _SURNAME_THEN_NAME_RE.match(text, match.end())
        ):
            break  # but `He Haoran`, `Du Yu`: a surname that is also an English word
        end, count = match.end(), count + 1
    return end, count


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether a capitalised word that ends at `pos` starts a sentence rather than a name.

    It does when a lower-case word follows that joins no name (`Visa applications`), or a
    connector and a lower-case word (`Profits at large`), or a name and a comma (`Yao Ying, a
    professor`).
    """
    following = _LOWER_WORD_RE.match(text, pos)
    if following:
        word = following.group(1)
        return word not in _CONNECTORS or _LOWER_WORD_RE.match(text, following.end()) is not None
    return _NAME_COMMA_RE.match(text, pos) is not None


def _phrase_end(text: str, pos: int, label: str) -> int:
    """End of a free-text credit such as `Courtesy of the embassy` glued to the next paragraph.

    A capitalised word that opens a sentence (`Visa applications`, `Bennett said`) opens the
    next paragraph. A screenshot names one platform: `Screenshot from
    Bilibili Industry insiders warn ...` ends after `Bilibili`.
    """
    if label.startswith("Screenshot"):
        first = _SCREENSHOT_SOURCE_RE.match(text, pos)
        if first:
            end = first.end()
            known = _KNOWN_RE.match(text, first.start(1))
            end = max(end, known.end()) if known else end
            glue = glue_in_token(text, first.start(1), end)
            return end if glue is None else glue
    end = pos
    previous = ""
    for count, match in enumerate(_TOKEN_RE.finditer(text[pos:])):
        token = match.group(1)
        if count >= 8 or token[0] in '"“(' or token in SENTENCE_STARTERS:
            break
        if token[0].isupper() and previous[:1].islower() and previous not in _CONNECTORS:
            break  # `the embassy More European leaders`: a new sentence starts here
        token_start = pos + match.end() - len(token)
        glue = glue_in_token(text, token_start, pos + match.end())
        if glue is not None:
            return glue  # `Courtesy of the Palace MuseumChinese companies`
        if token[0].isupper() and count and _opens_sentence(text, pos + match.end()):
            break  # `the Suzhou Silk Museum Chinese exports`: a new sentence starts here
        end = pos + match.end()
        previous = token
        if token.endswith((".", ",", ";", '"', "”")) and len(token) > 2:
            break
    return end


def _credit_value_end(text: str, pos: int) -> int | None:
    """End offset of the credit value that starts at `pos`, or None if there is none."""
    phrase = _PHRASE_CREDIT_RE.match(text, pos)
    if phrase:
        end = _phrase_end(text, phrase.end(), phrase.group(0))
        return end if end > phrase.end() else phrase.end()
    known = _KNOWN_RE.match(text, pos)
    if known:
        end = known.end()
    else:
        end, count = _names_end(text, pos, 4)
        if not count:
            return None
        if not text.startswith("/", end) and end < len(text) and text[end] == " ":
            # No slash: a bare name. When a lower-case word follows, its last capitalised token
            # most likely opens the next paragraph (`Photo: Sputnik Russian troops ...`), its
            # last two after four (`Photo: Li Hao Zhang Wei said ...`, a name and a name).
            if count > 1 and _LOWER_AFTER_SPACES_RE.match(text, end):
                end, _ = _names_end(text, pos, count - 1 if count < 4 else 2)
            return end
        if count > 2 and _APPOSITION_RE.match(text, end):
            # A bare name of three or four tokens before `, a manager` / `, 45,`: the last two
            # are the next paragraph's subject (`Photo: Li Hao Zhang Wei, a manager at ...`).
            # Body words never move into a credit: the credit keeps the tokens before them.
            end, _ = _names_end(text, pos, count - 2)
            return end
    if text.startswith("/", end):
        after = _skip_spaces(text, end + 1)
        known = _KNOWN_RE.match(text, after)
        if known:
            end = known.end()
        else:
            name_end, count = _names_end(text, after, 3)
            if count:
                end = name_end
    return end


def label_matches(text: str, start: int = 0) -> list[re.Match[str]]:
    """`list(_LABEL_RE.finditer(text, start))`, trying the pattern only where a label can start.

    The pattern begins with a lookbehind, so the regex engine tries it at every character. A
    match starts at a label's first word, or at the `(` and spaces before it, and `str.find`
    finds those words in C: the compiled cleaner took ~129 µs an article instead of ~135.
    """
    starts: list[int] = []
    for word in _LABEL_FIRST_WORDS:
        found = text.find(word, start)
        while found >= 0:
            starts.append(found)
            found = text.find(word, found + 1)
    starts.sort()
    matches: list[re.Match[str]] = []
    end = start  # where the scan goes on: after the last match
    for pos in starts:
        if pos < end:
            continue
        opening = pos
        while opening > end and text[opening - 1].isspace():
            opening -= 1
        match = None
        if opening > end and text[opening - 1] == "(":
            match = _LABEL_RE.match(text, opening - 1)  # `(Photo: ...`, the leftmost start
        if match is None:
            match = _LABEL_RE.match(text, pos)
        if match is not None:
            matches.append(match)
            end = match.end()
    return matches


def find_credit(text: str, start: int = 0) -> tuple[int, int, str, str] | None:
    """Next credit at or after `start`: (start, end, value, label) spans the label and value."""
    if ":" not in text and "(" not in text:
        return None  # a label ends in `:`, a credit in parentheses starts with `(`
    best: tuple[int, int, str, str] | None = None
    for match in label_matches(text, start):
        value_start = match.end()
        if match.group("open"):
            close = text.find(")", value_start)
            if close < 0 or close - value_start > 60 or "(" in text[value_start:close]:
                continue
            value, end = text[value_start:close], close + 1
        else:
            value_end = _credit_value_end(text, value_start)
            tail = None if value_end is None else _CREDIT_END_RE.match(text, value_end)
            if value_end is None or tail is None:
                continue  # the value runs on into something that is no new paragraph
            value, end = text[value_start:value_end], tail.end()
        best = (match.start(), end, value, match.group("label"))
        break
    paren = _PAREN_CREDIT_RE.search(text, start) if "(" in text else None
    if paren and (best is None or paren.start() < best[0]):
        best = (paren.start(), paren.end(), paren.group("value"), "")
    if best is None:
        return None
    value = " ".join(best[2].split()).rstrip(",;")
    if value.endswith(".") and not _INITIAL_END_RE.search(value):
        value = value[:-1]
    return (best[0], best[1], value, best[3]) if value else None


def photo_kind(label: str, credit: str | None) -> str | None:
    """The kind of picture a credit's label names (LABEL_KINDS): `Illustration: Liu Rui/GT` an
    illustration, `Photo: Screenshot from Weibo` a screenshot; None for a credit with no label
    (`(Xinhua/Lan Hongguang)`)."""
    if credit is not None and credit.startswith("Screenshot"):
        return "screenshot"
    return LABEL_KINDS.get(label.lower())


def extract_photos(
    paragraphs: list[str],
) -> tuple[list[str], list[tuple[int, str | None, str | None, str | None]]]:
    """Move captions and credits out: (kept, [(position, caption, credit, kind)]).

    A photo block is one paragraph: its caption (all of the text before the label), the label
    and the credit; build_paragraphs made the paragraph start where the caption does. The glue
    stage already cut the next paragraph off the credit; any text left after a credit starts a
    paragraph of its own.
    """
    kept: list[str] = []
    photos: list[tuple[int, str | None, str | None, str | None]] = []
    pending = list(reversed(paragraphs))
    while pending:
        item = pending.pop()
        found = find_credit(item, 0)
        if found is None:
            kept.append(item)
            continue
        start, end, credit, label = found
        before = item[:start].strip()
        caption: str | None = before or None
        photos.append((len(kept), caption, credit, photo_kind(label, credit)))
        rest = item[end:].strip()
        if rest:
            pending.append(rest)
    return kept, photos


# ---------------------------------------------------------------------------------------------
# Where a caption starts. The scrape's photo block follows whitespace (in the seed, a line
# break after `cooperation."`, with the quote still at the line's end), so the line break before
# a caption looks like any sentence break: the caption is the one line before its credit line
# (or the text before the label on the credit's own line), and an earlier line joins it only on
# a clear cue. A body sentence moved into a caption leaves the article; a caption sentence left
# in the body is the smaller harm.

# A second caption sentence that says when the photo was taken (`Photo taken on May 2, 2021.`),
# not a caption of its own (`Photo taken on May 2 shows the bridge.`).
_PHOTO_TAKEN_RE = re.compile(
    r"\(?(?:(?:This|The) )?(?:[Pp]hotos?|[Pp]ictures?|[Ff]ile photo) (?:was |were )?taken\b"
    r"(?![^.]*\bshows?\b)"
)
_MONTH = (
    r"(?:Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|January|February|March|April|May|June|"
    r"July|August|September|October|November|December)"
)
# Place-and-date caption phrasing: a sentence that ends in a full date set off by a comma, as in
# a dateline (`... in Da Nang, Vietnam, Nov. 10, 2017.`, `... near Larnaca, Cyprus, on Jan. 10,
# 2023.`). A body sentence dates an event without the comma (`adopted in Paris on Dec. 12,
# 2015.`), and stays in the body. The real captions that join on this cue (files 002, 005, 194)
# all have the comma.
_DATE_END_RE = re.compile(rf", (?:on )?{_MONTH} \d{{1,2}}, \d{{4}}\.\)?$")
# A full date with its connector is at most this long (`, September 30, 2023.)`).
_DATE_TAIL = 40
_ILLUSTRATION_KINDS = frozenset({"illustration", "graphic"})
_QUOTED_RE = re.compile(r'"[^"]*"|“[^”]*”')


def _place_and_date(sentence: str) -> bool:
    if not sentence.rstrip(")").rstrip(".")[-1:].isdigit():
        return False  # no year at the end: most sentences, without the regex
    return _DATE_END_RE.search(sentence, max(0, len(sentence) - _DATE_TAIL)) is not None


# Asked twice for each credit (the glue points' flat rule, then the paragraphs'): a pure function.
@functools.lru_cache(maxsize=256)
def _caption_sentence(text: str) -> str | None:
    """Why `text`, a whole line or sentence, cannot be a caption's; None when it can be."""
    if text[:1] in '"“”':
        return "it opens with a quotation mark"
    if text.endswith(('"', "”", "’")):
        return "it ends a quotation"
    if not _ends_in_a_stop(text):
        return "it has no final stop (a sub-heading or a headline)"
    # Captions describe the picture: they attribute no speech (said, told, according to) and
    # do not speak in the first person (we, our, I), the cues quote parity reads.
    # Quoted text is not the caption speaking (`a banner reading "Our future"`): left out.
    unquoted = _QUOTED_RE.sub(" ", text) if '"' in text or "“" in text else text
    narrative, spoken = quote_cues(unquoted)  # one pass when compiled
    if narrative >= ATTRIBUTION_COST:
        return "it attributes speech"
    if spoken:
        return "it speaks in the first person"
    return None


def _ends_in_a_stop(text: str) -> bool:
    """Whether the text ends in `.`, `?` or `!`, maybe inside a bracket (`(Photo taken ...)`)."""
    return text.rstrip(")]").endswith((".", "?", "!"))


def _sentence_start(units: Sequence[str], k: int) -> int:
    """Where the sentence of `units[k]` starts: a unit that opens with a lower-case letter or a
    digit goes on from the one before (the splitter broke after `on Feb.` / `4, 2023.`)."""
    while k > 0 and (units[k][:1].islower() or units[k][:1].isdigit()):
        k -= 1
    return k


def caption_units(units: Sequence[str], label: str, on_credit_line: bool) -> tuple[int, str]:
    """How many of the last `units` before a credit label belong to its caption, and why.

    `units` are the lines of the paragraph up to the credit, in order, or in a flat scrape its
    sentences; the last one is on the credit's line when `on_credit_line`. That one, with no
    final stop, is a caption: a caption without a stop shares the credit's line (`Belarusian
    President Alexander Lukashenko Photo: VCG`). Else the last sentence is the caption when it
    can be one: it ends in a stop, is no quotation and attributes no speech, and the label is
    no illustration or graphic (no real one has a caption). An earlier sentence joins only on a
    clear cue: the caption is a `Photo taken on ...` note, or the earlier sentence ends in a
    place and a full date, as dated captions do. A line that is no sentence (it opens with a
    lower-case letter or a digit) goes with the line before it.
    """
    if not units:
        return 0, "no caption: nothing before the credit"
    start = _sentence_start(units, len(units) - 1)
    last = " ".join(units[start:])
    if on_credit_line and not _ends_in_a_stop(last) and not last.endswith(('"', "”", "’")):
        why = "the caption is on the credit's line"  # (`said, "... half."` is no caption)
    elif LABEL_KINDS.get(label.lower()) in _ILLUSTRATION_KINDS:
        return 0, "no caption: an illustration or a graphic takes none from the text before"
    elif (refused := _caption_sentence(last)) is not None:
        return 0, f"no caption: the text before stays in the body, {refused}"
    else:
        why = "the caption is the sentence before the credit"
    noted = False
    for _ in range(2):  # at most two sentences join the caption's own
        if start == 0:
            break
        before = _sentence_start(units, start - 1)
        earlier = " ".join(units[before:start])
        if not noted and _PHOTO_TAKEN_RE.match(last):
            noted, reason = True, "a `Photo taken` note follows it"
        elif _place_and_date(earlier):
            reason = "a place and a date end it"
        else:
            break
        if _caption_sentence(earlier) is not None:
            break
        why += f", and the one before it ({reason})"
        start = before
    return len(units) - start, why


def strip_trailers(text: str) -> tuple[str, str | None, list[str]]:
    """Remove print-headline, related-articles and e-mail trailers.

    Returns the text, the print headline (a column of its own) and the removed trailers.
    """
    removed: list[str] = []
    headlines: list[str] = []
    # Each pattern needs a literal word: skip the scans of texts without it (most of them).
    matches = _PRINT_HEADLINE_RE.finditer(text) if "Newspaper headline" in text else ()
    for match in matches:
        value = " ".join(match.group("headline").split())
        if value and value not in headlines:
            headlines.append(value)
        removed.append(match.group(0).strip())
    headline = " / ".join(headlines) or None
    if removed:
        text = _PRINT_HEADLINE_RE.sub("", text)
    related = (
        _RELATED_RE.search(text)
        if "RELATED" in text or "Related" in text or "Read more" in text
        else None
    )
    if related:
        removed.append(text[related.start() :].strip())
        text = text[: related.start()]
    patterns = (_OPINION_EMAIL_RE, _TRAILING_EMAIL_RE) if "@globaltimes.com.cn" in text else ()
    for pattern in patterns:
        while email := pattern.search(text):
            removed.append(email.group(0).strip())
            text = text[: email.start()] + text[email.end() :]
    return text, headline, removed
