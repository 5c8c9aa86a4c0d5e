"""Synthetic raw articles with a known clean truth (`python -m devtools generate`).

``generate_article(index, seed, style)`` writes a clean article (paragraphs, photos with captions
and credits, an optional print headline) and then damages it the way the scraper did
(devtools.damage, after ``docs/text-cleaning.md#how-the-body-was-damaged``): headline echo,
photo blocks after whitespace, paragraphs glued with no separator, a sentence splitter that
breaks lines, and mis-decoded characters. The clean truth is kept in the returned
:class:`GeneratedArticle`; ``raw_text`` is the damaged file.

Styles: ``original`` (like the seed file), ``flat`` (one physical line, paragraphs glued or
parted by NBSP/U+3000 runs, never by one plain space; photo blocks after whitespace, ``â€™``
mojibake) and ``noisy`` (original plus CRLF, BOM, zero-width spaces, HTML entities and NBSP
between words). Gold paragraphs include sub-headings (a short phrase with no final stop);
``GoldPhoto.position`` is the number of gold paragraphs before the photo block and
``GoldPhoto.case`` what the block follows in the raw body. Output depends only on
``(seed, index, style)``.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import pathlib
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from devtools import templates as T
from devtools.damage import PhotoBlock, flat_body, noisy, original_body
from devtools.templates import FORMATTERS, Template, fill, pool
from devtools.vocabulary import BEATS, CJK_NAMES, LISTS, SECTIONS, TITLE_TAIL_WORDS, TOPICS

PLACEHOLDER = "Author details not found"
STYLES = ("original", "flat", "noisy")
_STYLE_CUTS = ((0.80, "original"), (0.90, "flat"))
_DATE0 = datetime.date(2017, 1, 1).toordinal()
_DATE_SPAN = datetime.date(2023, 12, 31).toordinal() - _DATE0 + 1

# What a photo block follows in the raw body: the body's start (or the headline echo), a line
# ending in a stop, a line ending in a closing quote, a sub-heading, another photo block; or
# anything in a flat scrape (no line breaks).
CAPTION_CASES = ("start", "after_stop", "after_quote", "after_heading", "after_photo", "flat")
# The kind of picture each label gives (a screenshot says so in its credit).
_LABEL_KINDS = {"Photo:": "photo", "File photo:": "file photo", "Illustration:": "illustration"}


@dataclass(frozen=True, slots=True)
class GoldPhoto:
    position: int  # number of gold paragraphs before the photo block
    caption: str | None
    credit: str  # without the "Photo: " label
    kind: str = "photo"  # photo, file photo, illustration, screenshot
    case: str = "start"  # one of CAPTION_CASES


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

_NARR = {k: pool(v) for k, v in T.NARRATIVE.items()}
_SHARED = pool(T.SHARED_NARRATIVE)
_QUOTES = {k: pool(v) for k, v in T.QUOTES.items()}
_ROLES = {k: pool(v) for k, v in T.ROLES.items()}
_TITLES = {k: pool(v) for k, v in T.TITLES.items()}
_CAPTIONS = {k: pool(v) for k, v in T.CAPTIONS.items()}
_REPORTED = pool(T.REPORTED)
_SUBHEADS = pool(T.SUBHEADINGS)
_CAP_EXTRA = pool(T.CAPTION_EXTRA)
_CREDIT_ORGS = pool(T.CREDIT_ORGS)
_PRINT = pool(T.PRINT_HEADLINES)
_TAILS = {k: pool(v) for k, v in TITLE_TAIL_WORDS.items()}
_SECTIONS = tuple(SECTIONS)
_SECTION_CUTS = (0.22, 0.40, 0.55, 0.65, 0.75, 0.87, 1.01)
_OPEN_DQ_RE = re.compile(r'(?:^|(?<=[\s(]))"')
# A caption that ends in a date with its year (`on May 2, 2021.`): Xinhua adds context after it.
_DATED_RE = re.compile(r"\d{4}\.$")
# A dated caption in Xinhua's form, the date set off by a comma (`in Elefsina, Greece, Feb. 4,
# 2023.`): only those take a second sentence of context in the real scrapes (file 002).
_DATELINE_RE = re.compile(r", (?:on )?[A-Z][a-z]+\.? \d{1,2}, \d{4}\.$")


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
    photos: list[PhotoBlock] = field(default_factory=list)
    print_headline: str | None = None
    echo: str | None = None
    moji: bool = False


class Writer:
    """Per-article random state: draws the clean article (devtools.damage damages it)."""

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

    def fill(self, tpl: Template) -> str:
        """The template filled from this article's random state."""
        return fill(self, tpl)

    def fresh(self, pool: tuple[Template, ...]) -> str:
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
            sur = self.pick(LISTS["f_surname"])
            full = self.pick(LISTS["f_first"]) + " " + sur
        elif self.cjk:
            self.cjk = False
            py, chars = CJK_NAMES[int(r() * len(CJK_NAMES))]
            sur, full = py.split()[0], f"{py} ({chars})"
        else:
            sur = self.pick(LISTS["cn_surname"])
            full = sur + " " + self.pick(LISTS["cn_given"])
        if ("professor" in role or "fellow" in role) and r() < 0.4:
            sur = "Dr. " + sur
        sp = _Speaker(full, sur, role.lstrip("@"), "he" if r() < 0.55 else "she")
        self.speakers.append(sp)
        return sp

    def pick_speaker(self) -> _Speaker:
        return self.speakers[int(self.r() * len(self.speakers))]

    def pick_tpl(self, pool: tuple[Template, ...]) -> Template:
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
        return f"{clause}, {self.ref(sp, 'mid')} said on {self.pick(LISTS['weekday'])}."

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

    def photo(self, n: int, flat: bool) -> PhotoBlock:
        """A photo block: its place among the `n` paragraphs, caption, credit and label."""
        r = self.r
        u = r()
        label = "Photo:" if u < 0.72 else "File photo:" if u < 0.86 else "Illustration:"
        name = FORMATTERS["cn_name"](self)
        if label == "Illustration:":
            # Opinion pieces open with one; none of the real ones has a caption.
            pos = 0 if r() < 0.8 else 1 + int(r() * (n - 1))
            return pos, None, name + ("/Global Times" if r() < 0.5 and flat else "/GT"), label
        u = r()
        pos = 0 if u < 0.3 else n if u < 0.34 else 1 + int(r() * (n - 1))
        caption = None if r() < 0.01 else self.caption()
        u = r()
        if u < 0.25:
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
            credit = "Screenshot from " + self.pick(LISTS["site"])
        return pos, caption, credit, label

    def caption(self) -> str:
        """A caption of one sentence, with or without a stop; a few have a second one: a line
        of context after a dated caption (as Xinhua's have) or a `Photo taken on` note."""
        r = self.r
        caption = self.fresh(_CAPTIONS[self.topic])
        dated = _DATED_RE.search(caption) is not None
        if dated and r() < 0.2 and _DATELINE_RE.search(caption):
            caption += " " + self.fill(self.pick_tpl(_CAP_EXTRA))
        elif caption.endswith(".") and not dated and r() < 0.08:
            date, year = FORMATTERS["date"](self), FORMATTERS["year"](self)
            caption += f" Photo taken on {date}, {year}."
        return caption

    def byline(self, p: _Plan) -> None:
        r = self.r
        u = r()
        if u < 0.72:
            names = [
                FORMATTERS["cn_name"](self) for _ in range(1 if u < 0.55 else 2 if u < 0.67 else 3)
            ]
            p.authors = tuple(names)
            p.author = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            if len(names) == 1 and r() < 0.2:
                p.author_title = self.pick(LISTS["reporter_title"])
            if len(names) == 1 and r() < 0.15:
                if p.section == "OPINION":
                    inst = self.pick(LISTS["institute"])
                    p.author_description = f"The author is a research fellow at the {inst}."
                else:
                    beat = BEATS[self.topic]
                    p.author_description = f"{names[0]} is a reporter covering {beat}."
        elif u < 0.9:
            p.author = self.pick(LISTS["desk"])
            p.authors = (p.author,)

    def plan(self, style: str) -> _Plan:
        r = self.r
        u = r()
        section = next(s for s, c in zip(_SECTIONS, _SECTION_CUTS, strict=True) if u < c)
        subs, topics = SECTIONS[section]
        self.topic = self.pick(topics) if r() > 0.08 else self.pick(TOPICS)
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
            p.photos.append((0, None, FORMATTERS["cn_name"](self) + "/GT", "Illustration:"))
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
        paren = " " + self.pick(LISTS["parenthetical"])
        if tails and u < 0.8:
            longer = title[: -len(last)] + self.fill(self.pick_tpl(tails)) + " " + last
            return longer + (paren if self.r() < 0.5 else "")
        return title + paren


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
    w = Writer(int.from_bytes(digest[10:18], "big"))
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
        body = flat_body(w, p.paragraphs, p.photos, p.echo, p.print_headline, p.moji)
        raw = header + body + "\n"
    elif style == "noisy":
        raw = noisy(w, header, original_body(w, p.paragraphs, p.photos, p.echo, p.print_headline))
    else:
        raw = header + original_body(w, p.paragraphs, p.photos, p.echo, p.print_headline) + "\n"
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
        photos=tuple(
            GoldPhoto(pos, cap, credit, photo_kind(label, credit), _case(style, p, k))
            for k, (pos, cap, credit, label) in enumerate(p.photos)
        ),
        print_headline=p.print_headline,
        raw_text=raw,
        style=style,
    )


def photo_kind(label: str, credit: str) -> str:
    """The kind of picture a label and credit give (`Photo: Screenshot from ...`: screenshot)."""
    return "screenshot" if credit.startswith("Screenshot") else _LABEL_KINDS[label]


def _case(style: str, plan: _Plan, k: int) -> str:
    """What photo block `k` follows in the raw body (CAPTION_CASES)."""
    pos = plan.photos[k][0]
    if style == "flat":
        return "flat"
    if k and plan.photos[k - 1][0] == pos:
        return "after_photo"
    if pos == 0:
        return "start"
    before = plan.paragraphs[pos - 1]
    if before.endswith(('"', "”")):
        return "after_quote"
    return "after_stop" if before.endswith((".", "?", "!")) else "after_heading"


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
            {
                "position": p.position,
                "caption": p.caption,
                "credit": p.credit,
                "kind": p.kind,
                "case": p.case,
            }
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
