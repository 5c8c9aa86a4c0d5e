"""The scraper's damage to a clean article (docs/text-cleaning.md): glue, photo blocks, the
sentence splitter, mis-decoded characters, and the flat and noisy scrapes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from devtools.templates import Draw

# A photo block before damage: (position, caption, credit, label), the label with its colon.
PhotoBlock = tuple[int, str | None, str, str]


def _euc_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for ch in "\xadéáüãçöñïè©®°êôûóúíâî":
        bad = ch.encode("utf-8").decode("euc-jp", errors="replace")
        if len(bad) == 1 and bad != "\ufffd":
            table[ch] = bad
    return table


_EUC = _euc_table()  # '\xad' -> '足', 'é' -> '辿', '©' -> '息', ...
_EUC_RE = re.compile("[" + "".join(_EUC) + "]")

_BREAK_RE = re.compile(r'(?<=[.!?])(?:(?P<a>" )|(?P<b> )(?=\S)|(?P<c>")(?=[^\s,.;:)]))')
_ABBR_RE = re.compile(
    r"(?:U\.S|Dr|Mr|Ms|Mrs|Prof|Jan|Feb|Aug|Sept|Oct|Nov|Dec|St|No|Gen|a\.m|p\.m)$"
)


def euc_damage(text: str) -> str:
    """UTF-8 bytes of Latin-1 characters read as EUC-JP (the soft hyphen becomes 足)."""
    return _EUC_RE.sub(lambda m: _EUC[m.group()], text)


def soft_hyphens(draw: Draw, text: str, rate: float) -> str:
    """Soft hyphens before (and a few inside) about `rate` of the words, as the seed has them."""
    r = draw.r
    words = text.split(" ")
    n = len(words)
    for _ in range(int(rate * n + r())):
        i = 1 + int(r() * (n - 1)) if n > 1 else 0
        w = words[i]
        if w[:1].isascii() and w[:1].isalpha() and "\xad" not in w:
            if r() < 0.9:
                words[i] = "\xad" + w
            elif len(w) >= 8 and w.isalpha():
                words[i] = w[: len(w) // 2] + "\xad" + w[len(w) // 2 :]
    return " ".join(words)


def split_sentences(draw: Draw, s: str, sloppy: bool) -> str:
    """The sentence splitter (docs/text-cleaning.md#the-sentence-splitter): a line break at each
    sentence end followed by a space.

    ``." `` (a quotation closing inside a paragraph) keeps its quote: ``."`` + newline. A glue
    point after ``."`` (a quotation closing a paragraph) always loses it to the next line,
    ``.`` + newline + ``"Next``, so a line that ends ``."`` is never a glue point. A line break
    already in the text (the one before a photo block) stays as it is.
    """
    r = draw.r

    def repl(m: re.Match[str]) -> str:
        i = m.start()
        if m.group("a") is not None:
            return '"\n'
        if m.group("b") is not None:
            if s[i - 1] == "." and _ABBR_RE.search(s, max(0, i - 8), i - 1):
                return "\n" if sloppy and r() < 0.5 else " "
            return "\n"
        return '\n"'

    return _BREAK_RE.sub(repl, s)


def photo_text(photo: PhotoBlock, paren: bool = False) -> str:
    """A photo block as scraped: the caption, a space and the labelled credit (`caption(Photo:
    credit)` in some flat scrapes)."""
    _, caption, credit, label = photo
    if caption is None:
        return f"{label} {credit}"
    return f"{caption}({label} {credit})" if paren else f"{caption} {label} {credit}"


def original_body(
    draw: Draw,
    paragraphs: Sequence[str],
    photos: Sequence[PhotoBlock],
    echo: str | None,
    print_headline: str | None,
) -> str:
    """The body as the seed has it: paragraphs glued, each photo block after a line break and
    the next paragraph glued to its credit, then the sentence splitter and EUC-JP damage."""
    r = draw.r
    euc = r() < 0.35
    rate = 0.01 + r() * 0.04 if euc and r() < 0.8 else 0.0
    paras = [soft_hyphens(draw, x, rate) for x in paragraphs] if rate else list(paragraphs)
    segs = [echo] if echo else []
    k = 0

    def add_photo(photo: PhotoBlock) -> None:
        # The seed's caption follows `cooperation."` with the quote still at the line end: the
        # photo block came after whitespace, never glued (a glued `."A` would have moved it).
        segs.append(("\n" if segs else "") + photo_text(photo))

    for i, para in enumerate(paras):
        while k < len(photos) and photos[k][0] <= i:
            add_photo(photos[k])
            k += 1
        segs.append(para)
    for photo in photos[k:]:
        add_photo(photo)
    if print_headline:
        segs.append(("" if r() < 0.8 else " ") + "Newspaper headline: " + print_headline)
    body = split_sentences(draw, "".join(segs), sloppy=r() < 0.08)
    return euc_damage(body) if euc else body


def flat_sep(draw: Draw, glue: float) -> str:
    """A flat-style paragraph boundary: glued, or an NBSP (and U+3000) run; never one plain
    space, which could not be told from a sentence break."""
    r = draw.r
    if r() < glue:
        return ""
    if r() < 0.9:
        return "\xa0 " * (1 + int(r() * 4))
    return "\xa0" * int(r() * 9) + "\u3000"


def flat_body(
    draw: Draw,
    paragraphs: Sequence[str],
    photos: Sequence[PhotoBlock],
    echo: str | None,
    print_headline: str | None,
    moji: bool,
) -> str:
    """One physical line: paragraphs glued or parted by NBSP runs, each photo block after
    whitespace (an NBSP run, or a plain space as in the scrapes with a date), a space after its
    credit, trailers glued; `’` read as cp1252 (`â€™`) when `moji`."""
    r = draw.r
    if not paragraphs:
        return photo_text(photos[0])  # the scraper kept only the illustration credit
    glue = 0.3 + 0.5 * r()
    out = [echo] if echo else []
    k = 0

    def add_photo(photo: PhotoBlock) -> None:
        if out:
            # A plain space only after a sentence end: after a sub-heading it would hide where
            # the caption starts from any reader.
            after_stop = out[-1].rstrip().endswith((".", "?", "!", '"', "”", ")"))
            out.append(" " if after_stop and r() < 0.15 else flat_sep(draw, 0.0))
        out.append(photo_text(photo, paren=r() >= 0.8))

    for i, para in enumerate(paragraphs):
        if k < len(photos) and photos[k][0] <= i:
            while k < len(photos) and photos[k][0] <= i:
                add_photo(photos[k])
                k += 1
            out.append(" ")  # the next paragraph after the credit, as the dated scrapes have it
        elif i:
            out.append(flat_sep(draw, glue))
        out.append(para)
    for photo in photos[k:]:
        add_photo(photo)
    if print_headline:
        out.append("Newspaper headline: " + print_headline)
    body = "".join(out)
    if moji:
        parts = body.split("’")
        body = parts[0] + "".join(("â€™" if r() < 0.8 else "’") + x for x in parts[1:])
    return body


def noisy(draw: Draw, header: str, body: str) -> str:
    """The file with CRLF endings, a BOM, NBSPs and zero-width spaces between words and HTML
    entities (at least two of the four)."""
    r = draw.r
    flags = [r() < 0.6 for _ in range(4)]  # crlf, bom, nbsp, zwsp
    while sum(flags) < 2:
        flags[int(r() * 4)] = True
    crlf, bom, nbsp, zwsp = flags
    body = body.replace("&", "&amp;")
    if r() < 0.4:
        body = body.replace("'", "&#39;")
    if r() < 0.1:
        body = body.replace('"', "&quot;")
    if nbsp or zwsp:
        p_nb, p_zw = (0.03 + 0.15 * r()) * nbsp, (0.01 + 0.05 * r()) * zwsp
        parts = body.split(" ")
        out = [parts[0]]
        for w in parts[1:]:
            u = r()
            out.append(" " if u >= p_nb + p_zw else "\xa0" if u < p_nb else " \u200b")
            out.append(w)
        body = "".join(out)
    raw = header + body + "\n"
    if crlf:
        raw = raw.replace("\n", "\r\n")
    return "\ufeff" + raw if bom else raw
