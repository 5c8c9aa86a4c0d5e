"""Photo captions, credits and trailers: the debris that leaves an article body."""

from __future__ import annotations

import re

# Capitalised words that start sentences but never end a name or a sub-heading: a credit, a
# caption or a glued sub-heading stops in front of them.
SENTENCE_STARTERS = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our In On At As
    For From With Without By To Of But And Or So Yet If When While Where After Before Since Despite
    Although Though However Meanwhile Moreover Furthermore Therefore Thus Also According Many Some
    Most Such There Here What Why How Who Which Now Then Still Even Only Last Next First Second
    Third Finally Today Yesterday Tomorrow Under Over Amid Among During Both Each Every No Not
    Instead Besides Unlike Like""".split(),  # noqa: SIM905 - word lists read best as plain text
)

# Words before a full stop that are not sentence ends: titles, months, single initials.
ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Dr St Prof Gen Sen Rep Gov Lt Col Maj Capt Sgt Rev Mt Ft No Nos Vol Fig Jan Feb
    Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec vs etc Adm Cmdr Brig Pres Hon Ave Rd
    Jr Sr""".split(),  # noqa: SIM905 - word lists read best as plain text
)

KNOWN_CREDITS = tuple(
    sorted(
        (
            "Getty Images",
            "Global Times",
            "China News Service",
            "China Daily",
            "People's Daily Online",
            "People's Daily",
            "Xinhua News Agency",
            "Xinhua",
            "VCG",
            "AFP",
            "IC Photo",
            "IC",
            "cnsphoto",
            "AP Photo",
            "AP",
            "Reuters",
            "CFP",
            "EPA",
            "GT",
            "CNS",
            "Sputnik",
            "Bloomberg",
            "TASS",
            "Kyodo",
            "Yonhap",
            "CGTN",
            "CCTV",
            "Weibo",
            "Twitter",
            "Facebook",
            "Instagram",
            "Chinanews",
            "ImagineChina",
            "Imaginechina",
            "Shutterstock",
            "Pixabay",
            "Unsplash",
            "Wikipedia",
            "NASA",
            "Baidu",
            "Douyin",
            "Web",
            "Internet",
            "Handout",
            "Anadolu Agency",
        ),
        key=len,
        reverse=True,
    )
)
_KNOWN_RE = re.compile("(?:" + "|".join(re.escape(c) for c in KNOWN_CREDITS) + r")(?!\w)")
_NAME_TOKEN_RE = re.compile(r"(?:[A-Z]\.)+(?!\w)|[A-Z][\w'’\-]*(?!\w)")
_PHRASE_CREDIT_RE = re.compile(r"(?:Courtesy(?: of)?|Screenshot(?: from| of)?|Source)\b:?")
_CONNECTORS = frozenset({"of", "the", "and", "from", "de", "for", "on", "at", "a", "an"})

# A credit label: it stands after a space, a sentence end or a quote, never inside a word.
_LABEL_RE = re.compile(
    r"(?<![^\s.!?\"”)\]])(?P<open>\(\s*)?"
    r"(?P<label>File [Pp]hotos?|Photos?|Illustrations?|Graphics?|Infographic|Cartoon|"
    r"Photo [Cc]redit)\s*:\s*"
)
_PAREN_CREDIT_RE = re.compile(
    r"\(\s*(?P<value>(?:" + _KNOWN_RE.pattern + r")\s*/\s*[^()\n]{1,50}?)\s*\)"
)

# What may follow a credit: the end, a space, a glued quotation, or a stop that ends it.
_CREDIT_END_RE = re.compile(r"[.,;]?(?:$|\s)|(?=[\"“”])")
_SENTENCE_GAP_RE = re.compile(r"[.?!]+[\"”’')\]]*\s+")

_PRINT_HEADLINE_RE = re.compile(r"Newspaper headline\s*:[ \t]*(?P<headline>[^\n]*)")
_RELATED_RE = re.compile(
    r"(?<![^\s.!?\"”])(?:RELATED ARTICLES?|Related [Aa]rticles?|RELATED READING|"
    r"Related [Rr]eading)\s*:"
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
        word = re.search(r"([A-Za-z]+)\.$", head)
        if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
            continue  # `Jan. 10`, `Mr. Li`, `Peter C. Espina`
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences


def _names_end(text: str, pos: int, limit: int) -> tuple[int, int]:
    """End offset and count of up to `limit` capitalised name tokens starting at `pos`."""
    end, count = pos, 0
    while count < limit:
        match = _NAME_TOKEN_RE.match(text, end if count == 0 else _skip_spaces(text, end))
        if not match or match.group(0) in SENTENCE_STARTERS:
            break
        end, count = match.end(), count + 1
    return end, count


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _phrase_end(text: str, pos: int) -> int:
    """End of a free-text credit such as `Courtesy of the embassy` glued to the next paragraph."""
    end = pos
    previous = ""
    for count, match in enumerate(re.finditer(r" *([^\s]+)", text[pos:])):
        token = match.group(1)
        if count >= 8 or token[0] in '"“(' or token in SENTENCE_STARTERS:
            break
        if token[0].isupper() and previous[:1].islower() and previous not in _CONNECTORS:
            break  # `the embassy More European leaders`: a new sentence starts here
        end = pos + match.end()
        previous = token
        if token.endswith((".", ",", ";", '"', "”")) and len(token) > 2:
            break
    return end


def _credit_value_end(text: str, pos: int) -> int | None:
    """End offset of the credit value that starts at `pos`, or None if there is none."""
    phrase = _PHRASE_CREDIT_RE.match(text, pos)
    if phrase:
        end = _phrase_end(text, phrase.end())
        return end if end > phrase.end() else phrase.end()
    known = _KNOWN_RE.match(text, pos)
    if known:
        end = known.end()
    else:
        end, count = _names_end(text, pos, 4)
        if not count:
            return None
        if not text.startswith("/", end):
            # No slash: a bare name. When a lower-case word follows, its last capitalised token
            # most likely opens the next paragraph (`Photo: Sputnik Russian troops ...`).
            if count > 1 and re.match(r" +[a-z]", text[end:]):
                end, _ = _names_end(text, pos, count - 1)
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


def _find_credit(text: str, start: int) -> tuple[int, int, str, str] | None:
    """Next credit at or after `start`: (start, end, value, label) spans the label and value."""
    best: tuple[int, int, str, str] | None = None
    for match in _LABEL_RE.finditer(text, start):
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
    paren = _PAREN_CREDIT_RE.search(text, start)
    if paren and (best is None or paren.start() < best[0]):
        best = (paren.start(), paren.end(), paren.group("value"), "")
    if best is None:
        return None
    value = re.sub(r"\s+", " ", best[2]).strip().rstrip(",;")
    if value.endswith(".") and not re.search(r"\b[A-Z]\.$", value):
        value = value[:-1]
    return (best[0], best[1], value, best[3]) if value else None


def extract_photos(
    paragraphs: list[str],
) -> tuple[list[str], list[tuple[str | None, str | None]]]:
    """Move captions and credits out of the paragraphs; the text after a credit starts anew."""
    kept: list[str] = []
    photos: list[tuple[str | None, str | None]] = []
    # Work list in text order. The text before a credit is searched again: a label that was
    # refused because of what followed it may stand alone now, and a second pass must find
    # nothing new.
    pending: list[str | tuple[str | None, str | None]] = list(reversed(paragraphs))
    while pending:
        item = pending.pop()
        if isinstance(item, tuple):
            photos.append(item)
            continue
        found = _find_credit(item, 0)
        if found is None:
            kept.append(item)
            continue
        start, end, credit, label = found
        before = item[:start].strip()
        caption: str | None = None
        if before and not label.startswith("Illustration"):
            sentences = split_sentences(before)
            caption = sentences[-1]
            before = " ".join(sentences[:-1])
        rest = item[end:].strip()
        if rest:
            pending.append(rest)
        pending.append((caption, credit))
        if before:
            pending.append(before)
    return kept, photos


def strip_trailers(text: str) -> tuple[str, str | None, int]:
    """Remove print-headline, related-articles and e-mail trailers; return the print headline."""
    removed = 0
    headlines: list[str] = []
    for match in _PRINT_HEADLINE_RE.finditer(text):
        value = re.sub(r"\s+", " ", match.group("headline")).strip()
        if value and value not in headlines:
            headlines.append(value)
        removed += 1
    headline = " / ".join(headlines) or None
    if removed:
        text = _PRINT_HEADLINE_RE.sub("", text)
    related = _RELATED_RE.search(text)
    if related:
        text = text[: related.start()]
        removed += 1
    text, count = _OPINION_EMAIL_RE.subn("", text)
    removed += count
    while True:
        text, count = _TRAILING_EMAIL_RE.subn("", text)
        if not count:
            break
        removed += count
    return text, headline, removed
