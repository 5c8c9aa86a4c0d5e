"""Synthetic raw articles with a known clean truth.

``generate_article(index, seed, style)`` writes a clean article (paragraphs, photos with captions
and credits, an optional print headline) and then damages it the way the scraper did
(``docs/text-cleaning.md#how-the-body-was-damaged``): headline echo, inline caption blocks,
paragraphs glued with no separator, a sentence splitter that breaks lines, and mis-decoded
characters. The clean truth is kept in the returned :class:`GeneratedArticle`; ``raw_text`` is
the damaged file.

Styles: ``original`` (like the seed file), ``flat`` (one physical line, paragraphs glued or
parted by NBSP/U+3000 runs, never by one plain space; captions separated by spaces, ``â€™``
mojibake) and ``noisy`` (original plus CRLF, BOM, zero-width spaces, HTML entities and NBSP
between words). Gold paragraphs include
sub-headings (a short phrase with no final stop); ``GoldPhoto.position`` is the number of gold
paragraphs before the photo block. Output depends only on ``(seed, index, style)``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import pathlib
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from newsetl import generate_text as T

PLACEHOLDER = "Author details not found"
STYLES = ("original", "flat", "noisy")
_STYLE_CUTS = ((0.80, "original"), (0.90, "flat"))
_DATE0 = datetime.date(2017, 1, 1).toordinal()
_DATE_SPAN = datetime.date(2023, 12, 31).toordinal() - _DATE0 + 1


@dataclass(frozen=True, slots=True)
class GoldPhoto:
    position: int  # number of gold paragraphs before the photo block
    caption: str | None
    credit: str  # without the "Photo: " label


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    file_name: str
    article_id: str
    published_date: datetime.date
    title: str
    section: str | None
    subsection: str | None
    author: str | None
    authors: tuple[str, ...]
    author_title: str | None
    author_description: str | None
    paragraphs: tuple[str, ...]
    photos: tuple[GoldPhoto, ...]
    print_headline: str | None
    raw_text: str
    style: str = "original"


# --------------------------------------------------------------------------- templates

_Src = tuple[str, ...] | Callable[["_Writer"], str]
_Tpl = tuple[tuple[str, ...], tuple[tuple[str, str, _Src], ...]]
_L = T.LISTS


def _num(w: _Writer) -> str:
    return w.pick(_L["num_word"]) if w.r() < 0.5 else str(10 + int(w.r() * 51))


def _pct(w: _Writer) -> str:
    return f"{0.5 + w.r() * 30:.1f} percent" if w.r() < 0.6 else f"{2 + int(w.r() * 40)} percent"


def _money(w: _Writer) -> str:
    u = w.r()
    if u < 0.4:
        return f"${2 + int(w.r() * 90)} billion"
    if u < 0.6:
        return f"${1 + w.r() * 9:.1f} billion"
    if u < 0.8:
        return f"${100 + int(w.r() * 900)} million"
    return _yuan(w)


def _yuan(w: _Writer) -> str:
    if w.r() < 0.5:
        return f"{1 + w.r() * 20:.1f} billion yuan"
    return f"{50 + int(w.r() * 950)} million yuan"


def _big(w: _Writer) -> str:
    u = w.r()
    if u < 0.4:
        return f"{1000 + int(w.r() * 98000):,}"
    if u < 0.7:
        return str(100 + int(w.r() * 900))
    return f"{1.1 + w.r() * 8:.1f} million"


_FUNCS: dict[str, Callable[[_Writer], str]] = {
    "cn_name": lambda w: w.pick(_L["cn_surname"]) + " " + w.pick(_L["cn_given"]),
    "fname": lambda w: w.pick(_L["f_first"]) + " " + w.pick(_L["f_surname"]),
    "num": _num,
    "pct": _pct,
    "money": _money,
    "yuan": _yuan,
    "big": _big,
    "year": lambda w: str(2005 + int(w.r() * 18)),
    "fyear": lambda w: str(2025 + int(w.r() * 11)),
    "date": lambda w: f"{w.pick(_L['ap_month'])} {1 + int(w.r() * 28)}",
    "fx": lambda w: f"{6.3 + w.r() * 0.9:.4f}",
    "rate": lambda w: f"{3.45 + w.r() * 0.5:.2f}",
    "time": lambda w: f"{46.5 + w.r() * 2.5:.2f}",
    "pmi": lambda w: f"{49 + w.r() * 3:.1f}",
}
_SLOT_RE = re.compile(r"\{(\w+)\}")


def _compile(text: str) -> _Tpl:
    parts = _SLOT_RE.split(text)
    slots: list[tuple[str, str, _Src]] = []
    for name in parts[1::2]:
        base = name.rstrip("0123456789")
        src: _Src | None = _L.get(base) or _FUNCS.get(base)
        if src is None:
            raise KeyError(f"unknown slot {name!r} in template {text!r}")
        slots.append((name, base, src))
    return tuple(parts[0::2]), tuple(slots)


def _pool(texts: Sequence[str]) -> tuple[_Tpl, ...]:
    return tuple(_compile(t) for t in texts)


_NARR = {k: _pool(v) for k, v in T.NARRATIVE.items()}
_SHARED = _pool(T.SHARED_NARRATIVE)
_QUOTES = {k: _pool(v) for k, v in T.QUOTES.items()}
_ROLES = {k: _pool(v) for k, v in T.ROLES.items()}
_TITLES = {k: _pool(v) for k, v in T.TITLES.items()}
_CAPTIONS = {k: _pool(v) for k, v in T.CAPTIONS.items()}
_REPORTED = _pool(T.REPORTED)
_SUBHEADS = _pool(T.SUBHEADINGS)
_CAP_EXTRA = _pool(T.CAPTION_EXTRA)
_CREDIT_ORGS = _pool(T.CREDIT_ORGS)
_PRINT = _pool(T.PRINT_HEADLINES)
_TAILS = {k: _pool(v) for k, v in T.TITLE_TAIL_WORDS.items()}
_SECTIONS = tuple(T.SECTIONS)
_SECTION_CUTS = (0.22, 0.40, 0.55, 0.65, 0.75, 0.87, 1.01)


def _euc_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for ch in "\xadéáüãçöñïè©®°êôûóúíâî":
        bad = ch.encode("utf-8").decode("euc-jp", errors="replace")
        if len(bad) == 1 and bad != "\ufffd":
            table[ch] = bad
    return table


_EUC = _euc_table()  # '\xad' -> '足', 'é' -> '辿', '©' -> '息', ...
_EUC_RE = re.compile("[" + "".join(_EUC) + "]")


def _euc_damage(text: str) -> str:
    """UTF-8 bytes of Latin-1 characters read as EUC-JP (the soft hyphen becomes 足)."""
    return _EUC_RE.sub(lambda m: _EUC[m.group()], text)


_BREAK_RE = re.compile(r'(?<=[.!?])(?:(?P<a>" )|(?P<b> )(?=\S)|(?P<c>")(?=[^\s,.;:)]))')
_ABBR_RE = re.compile(
    r"(?:U\.S|Dr|Mr|Ms|Mrs|Prof|Jan|Feb|Aug|Sept|Oct|Nov|Dec|St|No|Gen|a\.m|p\.m)$"
)
_OPEN_DQ_RE = re.compile(r'(?:^|(?<=[\s(]))"')


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    if s.startswith(("I ", "I'")) or s[1:2].isupper() or s[1:2] == ".":
        return s
    return s[:1].lower() + s[1:]


def _curl(s: str, doubles: bool) -> str:
    s = s.replace("'", "’")
    if doubles:
        s = _OPEN_DQ_RE.sub("“", s).replace('"', "”")
    return s


# --------------------------------------------------------------------------- article writer


@dataclass(slots=True)
class _Speaker:
    full: str
    short: str
    role: str
    pron: str
    named: bool = False


@dataclass(slots=True)
class _Plan:
    topic: str
    title: str = ""
    title_raw: str = ""
    section: str | None = None
    subsection: str | None = None
    author: str | None = None
    authors: tuple[str, ...] = ()
    author_title: str | None = None
    author_description: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    photos: list[tuple[int, str | None, str, str]] = field(default_factory=list)  # +label
    print_headline: str | None = None
    echo: str | None = None
    moji: bool = False


class _Writer:
    """Per-article random state: draws the clean article, then damages it."""

    __slots__ = ("cjk", "r", "seen", "speakers", "topic")

    r: Callable[[], float]

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed).random
        self.seen: set[int] = set()
        self.speakers: list[_Speaker] = []
        self.topic = "diplomacy"
        self.cjk = False

    def pick(self, seq: Sequence[str]) -> str:
        return seq[int(self.r() * len(seq))]

    def fill(self, tpl: _Tpl) -> str:
        lits, slots = tpl
        if not slots:
            return lits[0]
        r = self.r
        out = [lits[0]]
        prev: dict[str, str] = {}
        for (name, base, src), lit in zip(slots, lits[1:], strict=True):
            for _ in range(3):
                v = src[int(r() * len(src))] if isinstance(src, tuple) else src(self)
                if name == base or prev.get(base) != v:
                    break
            prev[base] = v
            out.append(v)
            out.append(lit)
        return "".join(out)

    def fresh(self, pool: tuple[_Tpl, ...]) -> str:
        """Fill a template of ``pool`` not used yet in this article, if one turns up."""
        tpl = pool[int(self.r() * len(pool))]
        for _ in range(8):
            if id(tpl) not in self.seen:
                break
            tpl = pool[int(self.r() * len(pool))]
        self.seen.add(id(tpl))
        return self.fill(tpl)

    # ---- clean content
    def sentence(self) -> str:
        return self.fresh(_SHARED if self.r() < 0.2 else _NARR[self.topic])

    def narrative(self, k: int) -> str:
        return " ".join(self.sentence() for _ in range(k))

    def qbody(self, k: int, end: str) -> str:
        """``k`` quotation sentences; the last ends with ``end`` (``.`` or ``,``)."""
        r = self.r
        sents = [self.fresh(_QUOTES["shared"] if r() < 0.3 else _QUOTES[self.topic])]
        while len(sents) < k:
            sents.append(self.fresh(_QUOTES["shared"] if r() < 0.3 else _QUOTES[self.topic]))
        last = sents.pop()
        if end == "," and last.endswith("?"):
            last = self.fresh(_QUOTES[self.topic])  # no question before "said"
        last += "" if last.endswith("?") else end
        return " ".join([x if x.endswith("?") else x + "." for x in sents] + [last])

    def speaker(self) -> _Speaker:
        r = self.r
        if self.speakers and (len(self.speakers) == 3 or r() < 0.6):
            return self.speakers[-1] if r() < 0.6 else self.pick_speaker()
        role = self.fill(self.pick_tpl(_ROLES[self.topic]))
        if role.startswith("@") or r() < 0.25:
            sur = self.pick(_L["f_surname"])
            full = self.pick(_L["f_first"]) + " " + sur
        elif self.cjk:
            self.cjk = False
            py, chars = T.CJK_NAMES[int(r() * len(T.CJK_NAMES))]
            sur, full = py.split()[0], f"{py} ({chars})"
        else:
            sur = self.pick(_L["cn_surname"])
            full = sur + " " + self.pick(_L["cn_given"])
        if ("professor" in role or "fellow" in role) and r() < 0.4:
            sur = "Dr. " + sur
        sp = _Speaker(full, sur, role.lstrip("@"), "he" if r() < 0.55 else "she")
        self.speakers.append(sp)
        return sp

    def pick_speaker(self) -> _Speaker:
        return self.speakers[int(self.r() * len(self.speakers))]

    def pick_tpl(self, pool: tuple[_Tpl, ...]) -> _Tpl:
        return pool[int(self.r() * len(pool))]

    def ref(self, sp: _Speaker, form: str) -> str:
        """How a speaker is named: ``tail`` after "said", ``mid`` before "said"."""
        if not sp.named:
            sp.named = True
            return f"{sp.full}, {sp.role}" + ("," if form == "mid" else "")
        if form == "mid" and self.r() < 0.4:
            return sp.pron
        return sp.short

    def quote_para(self) -> str:
        r = self.r
        sp, u, k = self.speaker(), r(), 1 + int(r() * 2.3)
        if u < 0.28:
            return f'"{self.qbody(k, ",")}" said {self.ref(sp, "tail")}.'
        if u < 0.52:
            return f'"{self.qbody(k, ",")}" {self.ref(sp, "mid")} said.'
        if u < 0.68:
            return f'{_cap(self.ref(sp, "mid"))} said, "{self.qbody(k, ".")}"'
        if u < 0.755:  # the quotation closes inside the paragraph: `win." The coach ...`
            if r() < 0.5:
                return f'{_cap(self.ref(sp, "mid"))} said, "{self.qbody(k, ".")}" {self.sentence()}'
            clause = self.fresh(_REPORTED)
            return f'"{self.qbody(k, ".")}" {clause}, {self.ref(sp, "mid")} added.'
        # Rare: news paragraphs usually open with the quotation, so in-paragraph `said. "More`
        # reads as `said.` / `"More`, the spec's ambiguous case
        # (docs/text-cleaning.md#the-sentence-splitter).
        if u < 0.76:
            return f'"{self.qbody(1, ",")}" {self.ref(sp, "mid")} said. "{self.qbody(k, ".")}"'
        return self.reported_para()

    def reported_para(self) -> str:
        r = self.r
        if r() < 0.5:
            clause = self.fresh(_REPORTED)
        else:
            clause = self.sentence()
            while not clause.endswith("."):
                clause = self.sentence()
            clause = clause[:-1]
        sp, u = self.speaker(), r()
        if u < 0.35:
            return f"{clause}, said {self.ref(sp, 'tail')}."
        if u < 0.55:
            return f"{clause}, {self.ref(sp, 'mid')} told the Global Times."
        if u < 0.8:
            q = _lower_first(self.qbody(1, "."))
            return f'{clause}, {self.ref(sp, "mid")} said, adding that "{q}"'
        return f"{clause}, {self.ref(sp, 'mid')} said on {self.pick(_L['weekday'])}."

    def paragraphs(self, n: int) -> list[str]:
        """``n`` distinct clean paragraphs, sub-headings included (at most 2 extra)."""
        r = self.r
        paras = [self.narrative(1 + int(r() * 3))]
        no_sub = {0, 1}  # a sub-heading may not go before these (quote continuations)
        while len(paras) < n:
            u = r()
            if u < 0.42:
                k = r()
                new = [self.narrative(1 if k < 0.25 else 2 if k < 0.6 else 3 if k < 0.88 else 4)]
            elif u < 0.78:
                new = [self.quote_para()]
            elif u < 0.86:
                new = [f'"{self.qbody(1 + int(r() * 2.5), ".")}"']
            elif u < 0.93 and n - len(paras) >= 2:  # a quotation running over two paragraphs
                new = ['"' + self.qbody(1 + int(r() * 2), ".")]
                if r() < 0.6:
                    sp = self.speaker()
                    new.append(f'"{self.qbody(1, ",")}" {self.ref(sp, "mid")} said.')
                else:
                    new.append(f'"{self.qbody(1 + int(r() * 2), ".")}"')
                no_sub.add(len(paras) + 1)
            else:
                new = [self.reported_para()]
            if len(set(new)) == len(new) and not set(new) & set(paras):
                paras.extend(new)
        if n >= 8:
            for _ in range(int(r() * 2.6)):
                i = 2 + int(r() * (len(paras) - 3))
                sub = _cap(self.fresh(_SUBHEADS))
                if i not in no_sub and i - 1 not in no_sub and sub not in paras:
                    paras.insert(i, sub)
                    no_sub = {j + (j >= i) for j in no_sub} | {i, i + 1}
        return paras

    def photo(self, n: int, flat: bool) -> tuple[int, str | None, str, str]:
        r = self.r
        u = r()
        pos = 0 if u < 0.05 else n if u < 0.08 else 1 + int(r() * (n - 1))
        u = r()
        label = "Photo:" if u < 0.7 else "File photo:" if u < 0.85 else "Illustration:"
        caption: str | None = None
        if (label != "Illustration:" and r() > 0.05) or r() < 0.3:
            caption = self.fresh(_CAPTIONS[self.topic])
            if not caption.endswith(".") and r() < 0.5:
                caption = self.fresh(_CAPTIONS[self.topic])
            if caption.endswith(".") and r() < 0.12:
                caption += " " + self.fill(self.pick_tpl(_CAP_EXTRA))
        name = _FUNCS["cn_name"](self)
        u = r()
        if label == "Illustration:":
            credit = name + ("/Global Times" if r() < 0.5 and flat else "/GT")
        elif u < 0.25:
            credit = "VCG"
        elif u < 0.45:
            credit = "Xinhua"
        elif u < 0.55:
            credit = "AFP"
        elif u < 0.65:
            credit = "IC"
        elif u < 0.73:
            credit = "cnsphoto"
        elif u < 0.85:
            credit = name + "/GT"
        elif u < 0.93:
            credit = "Courtesy of " + self.fill(self.pick_tpl(_CREDIT_ORGS))
        else:
            credit = "Screenshot from " + self.pick(_L["site"])
        return pos, caption, credit, label

    def byline(self, p: _Plan) -> None:
        r = self.r
        u = r()
        if u < 0.72:
            names = [
                _FUNCS["cn_name"](self) for _ in range(1 if u < 0.55 else 2 if u < 0.67 else 3)
            ]
            p.authors = tuple(names)
            p.author = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            if len(names) == 1 and r() < 0.2:
                p.author_title = self.pick(_L["reporter_title"])
            if len(names) == 1 and r() < 0.15:
                if p.section == "OPINION":
                    inst = self.pick(_L["institute"])
                    p.author_description = f"The author is a research fellow at the {inst}."
                else:
                    beat = T.BEATS[self.topic]
                    p.author_description = f"{names[0]} is a reporter covering {beat}."
        elif u < 0.9:
            p.author = self.pick(_L["desk"])
            p.authors = (p.author,)

    def plan(self, style: str) -> _Plan:
        r = self.r
        u = r()
        section = next(s for s, c in zip(_SECTIONS, _SECTION_CUTS, strict=True) if u < c)
        subs, topics = T.SECTIONS[section]
        self.topic = self.pick(topics) if r() > 0.08 else self.pick(T.TOPICS)
        p = _Plan(self.topic)
        if r() > 0.08:
            p.section = section
            p.subsection = self.pick(subs) if r() > 0.08 else None
        elif r() < 0.3:
            p.subsection = self.pick(subs)
        self.cjk = r() < 0.04
        p.title = p.title_raw = _cap(self.fresh(_TITLES[self.topic]))
        self.byline(p)
        flat = style == "flat"
        if r() < 0.03 and flat:  # the scraper kept only the illustration credit
            p.photos.append((0, None, _FUNCS["cn_name"](self) + "/GT", "Illustration:"))
            return p
        p.paragraphs = self.paragraphs(4 + int(21 * r() ** 1.8))
        n = len(p.paragraphs)
        u = r()
        for _ in range(0 if u < 0.35 else 1 if u < 0.7 else 2 if u < 0.9 else 3):
            p.photos.append(self.photo(n, flat))
        p.photos.sort(key=lambda ph: ph[0])
        if r() < (0.3 if flat else 0.12):
            p.print_headline = _cap(self.fresh(_PRINT))
        if r() < (0.1 if flat else 0.65):
            p.echo = self.echo(p.title)
        if flat and r() < 0.4:
            doubles = r() < 0.4
            p.paragraphs = [_curl(x, doubles) for x in p.paragraphs]
            p.photos = [(a, c and _curl(c, doubles), d, e) for a, c, d, e in p.photos]
            p.title = _curl(p.title, False)
            p.moji = r() < 0.6
            p.title_raw = p.title.replace("’", "â\x80\x99") if p.moji else p.title
        return p

    def echo(self, title: str) -> str:
        """The headline as repeated at the top of the body: same, or a longer form."""
        u = self.r()
        if u < 0.45:
            return title
        last = title.rsplit(" ", 1)[-1]
        tails = _TAILS.get(last)
        paren = " " + self.pick(_L["parenthetical"])
        if tails and u < 0.8:
            longer = title[: -len(last)] + self.fill(self.pick_tpl(tails)) + " " + last
            return longer + (paren if self.r() < 0.5 else "")
        return title + paren

    # ---- damage
    def soft_hyphens(self, text: str, rate: float) -> str:
        r = self.r
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

    def split(self, s: str, sloppy: bool) -> str:
        """The sentence splitter: a line break at each sentence end (as
        docs/text-cleaning.md#the-sentence-splitter describes it).

        ``." `` (a quotation closing inside a paragraph) keeps its quote: ``."`` + newline. A
        glue point after ``."`` (a quotation closing a paragraph) always loses it to the next
        line, ``.`` + newline + ``"Next``, so a line that ends ``."`` is never a paragraph end.
        """
        r = self.r

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

    def original_body(self, p: _Plan) -> str:
        r = self.r
        euc = r() < 0.35
        rate = 0.01 + r() * 0.04 if euc and r() < 0.8 else 0.0
        paras = [self.soft_hyphens(x, rate) for x in p.paragraphs] if rate else p.paragraphs
        segs = [p.echo] if p.echo else []
        photos, k = p.photos, 0
        for i, para in enumerate(paras):
            while k < len(photos) and photos[k][0] <= i:
                segs.append(_photo_text(photos[k]))
                k += 1
            segs.append(para)
        segs.extend(_photo_text(ph) for ph in photos[k:])
        if p.print_headline:
            segs.append(("" if r() < 0.8 else " ") + "Newspaper headline: " + p.print_headline)
        body = self.split("".join(segs), sloppy=r() < 0.08)
        return _euc_damage(body) if euc else body

    def flat_body(self, p: _Plan) -> str:
        r = self.r
        if not p.paragraphs:
            return _photo_text(p.photos[0])
        glue = 0.3 + 0.5 * r()
        seps = [p.echo] if p.echo else []
        photos, k = p.photos, 0
        for i, para in enumerate(p.paragraphs):
            if i:
                seps.append(self.flat_sep(glue))
            while k < len(photos) and photos[k][0] <= i:
                seps.append(_photo_text(photos[k], flat=r() < 0.8) + " ")
                k += 1
            seps.append(para)
        seps.extend(self.flat_sep(glue) + _photo_text(ph) for ph in photos[k:])
        if p.print_headline:
            seps.append("Newspaper headline: " + p.print_headline)
        body = "".join(seps)
        if p.moji:
            parts = body.split("’")
            body = parts[0] + "".join(("â€™" if r() < 0.8 else "’") + x for x in parts[1:])
        return body

    def flat_sep(self, glue: float) -> str:
        """A flat-style paragraph boundary: glued, or an NBSP (and U+3000) run; never one
        plain space, which could not be told from a sentence break."""
        r = self.r
        if r() < glue:
            return ""
        if r() < 0.9:
            return "\xa0 " * (1 + int(r() * 4))
        return "\xa0" * int(r() * 9) + "\u3000"

    def noisy(self, header: str, body: str) -> str:
        r = self.r
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


def _photo_text(ph: tuple[int, str | None, str, str], flat: bool = True) -> str:
    _, caption, credit, label = ph
    if caption is None:
        return f"{label} {credit}"
    return f"{caption} {label} {credit}" if flat else f"{caption}({label} {credit})"


# --------------------------------------------------------------------------- public API


def _digest(seed: int, index: int) -> bytes:
    return hashlib.blake2b(f"newsetl-generate:{seed}:{index}".encode(), digest_size=24).digest()


def _style_for(digest: bytes) -> str:
    u = int.from_bytes(digest[8:10], "big") / 65536.0
    return next((name for cut, name in _STYLE_CUTS if u < cut), "noisy")


def generate_article(index: int, seed: int = 0, style: str = "original") -> GeneratedArticle:
    """Article number ``index`` of corpus ``seed``, damaged in the given style."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; expected one of {STYLES}")
    if index < 0:
        raise ValueError("index must be >= 0")
    return _build(index, _digest(seed, index), style)


def generate_articles(n: int, seed: int = 0, start: int = 0) -> Iterator[GeneratedArticle]:
    """Articles ``start`` .. ``start + n - 1``; each one's style is fixed by (seed, index)."""
    for index in range(start, start + n):
        digest = _digest(seed, index)
        yield _build(index, digest, _style_for(digest))


def _build(index: int, digest: bytes, style: str) -> GeneratedArticle:
    article_id = digest[:8].hex()
    w = _Writer(int.from_bytes(digest[10:18], "big"))
    date = datetime.date.fromordinal(_DATE0 + int(w.r() * _DATE_SPAN))
    stamp = date.isoformat()
    if w.r() < 0.08:
        stamp += f" {int(w.r() * 24):02d}:{int(w.r() * 60):02d}"
    p = w.plan(style)
    empty = "" if style == "flat" and w.r() < 0.3 else PLACEHOLDER
    header = (
        f"Published Time: {stamp}\nTitle: {p.title_raw}\n"
        f"Category 1: {p.section or ''}; Category 2: {p.subsection or ''}\n"
        f"Author: {p.author or empty}\nAuthor title: {p.author_title or empty}\n"
        f"Author description: {p.author_description or empty}\nText: \n"
    )
    if style == "flat":
        raw = header + w.flat_body(p) + "\n"
    elif style == "noisy":
        raw = w.noisy(header, w.original_body(p))
    else:
        raw = header + w.original_body(p) + "\n"
    return GeneratedArticle(
        file_name=f"{index:03d}_{article_id}.txt",
        article_id=article_id,
        published_date=date,
        title=p.title,
        section=p.section,
        subsection=p.subsection,
        author=p.author,
        authors=p.authors,
        author_title=p.author_title,
        author_description=p.author_description,
        paragraphs=tuple(p.paragraphs),
        photos=tuple(GoldPhoto(pos, cap, credit) for pos, cap, credit, _ in p.photos),
        print_headline=p.print_headline,
        raw_text=raw,
        style=style,
    )


def gold_record(article: GeneratedArticle) -> dict[str, object]:
    """The gold JSON object of an article: every field except ``raw_text``, dates in ISO."""
    return {
        "file_name": article.file_name,
        "article_id": article.article_id,
        "published_date": article.published_date.isoformat(),
        "title": article.title,
        "section": article.section,
        "subsection": article.subsection,
        "author": article.author,
        "authors": list(article.authors),
        "author_title": article.author_title,
        "author_description": article.author_description,
        "paragraphs": list(article.paragraphs),
        "photos": [
            {"position": p.position, "caption": p.caption, "credit": p.credit}
            for p in article.photos
        ],
        "print_headline": article.print_headline,
        "style": article.style,
    }


def subdir_name(index: int, subdirs: int) -> str:
    """Sub-folder of article ``index`` when a corpus is spread over ``subdirs`` folders."""
    return f"part-{index % subdirs:03d}"


def write_corpus(
    out_dir: pathlib.Path,
    n: int,
    seed: int = 0,
    *,
    gold: bool = True,
    subdirs: int = 0,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``n`` raw files (exactly ``raw_text``, UTF-8) and ``gold.jsonl``; return the count.

    With ``subdirs > 0`` article ``i`` goes to ``out_dir/part-{i % subdirs:03d}/``.
    ``progress`` is called with the running count every 10,000 files.
    """
    if n < 0 or subdirs < 0:
        raise ValueError("n and subdirs must be >= 0")
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    dirs = [str(out_dir / subdir_name(k, subdirs)) for k in range(subdirs)] or [str(out_dir)]
    for d in dirs:
        os.makedirs(d, exist_ok=True)
    count = 0
    with contextlib.ExitStack() as stack:
        gold_fh = None
        if gold:
            gold_path = out_dir / "gold.jsonl"
            gold_fh = stack.enter_context(open(gold_path, "w", encoding="utf-8", newline="\n"))
        for art in generate_articles(n, seed):
            with open(os.path.join(dirs[count % len(dirs)], art.file_name), "wb") as fh:
                fh.write(art.raw_text.encode("utf-8"))
            if gold_fh is not None:
                gold_fh.write(json.dumps(gold_record(art), ensure_ascii=False) + "\n")
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsetl.generate",
        description=(
            "Generate synthetic news articles in the raw scrape format (7 header lines, then a "
            "damaged body: headline echo, inline photo captions, glued paragraphs, sentence "
            "line breaks, mis-decoded characters) together with their clean truth. About 80% "
            "are in the 'original' style, 10% 'flat' and 10% 'noisy'. The same --seed always "
            "gives byte-identical files."
        ),
        epilog=(
            "OUT_DIR receives NNN_<16 hex>.txt files and gold.jsonl, one JSON object per "
            "article: file_name, article_id, published_date, title, section, subsection, "
            "author, authors, author_title, author_description, paragraphs, photos "
            "(position, caption, credit), print_headline, style."
        ),
    )
    parser.add_argument("out_dir", metavar="OUT_DIR", type=pathlib.Path, help="output folder")
    parser.add_argument("--count", "-n", type=int, default=100, help="articles (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--no-gold", action="store_true", help="do not write gold.jsonl")
    parser.add_argument(
        "--subdirs",
        type=int,
        default=0,
        metavar="K",
        help="spread files over K sub-folders part-000, part-001, ... (default 0: flat)",
    )
    args = parser.parse_args(argv)
    if args.count < 0 or args.subdirs < 0:
        parser.error("--count and --subdirs must be >= 0")
    t0 = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / max(time.perf_counter() - t0, 1e-9)
        print(f"{done:,} files written ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    count = write_corpus(
        args.out_dir,
        args.count,
        args.seed,
        gold=not args.no_gold,
        subdirs=args.subdirs,
        progress=progress,
    )
    print(f"wrote {count:,} articles to {args.out_dir} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
