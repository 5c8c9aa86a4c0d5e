"""Tests of the synthetic article generator (devtools.articles, devtools.damage, devtools.cli)."""

from __future__ import annotations

import datetime
import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from devtools.articles import (
    CAPTION_CASES,
    PLACEHOLDER,
    STYLES,
    GeneratedArticle,
    GoldPhoto,
    Writer,
    generate_article,
    generate_articles,
    gold_record,
    write_corpus,
)
from devtools.cli import main
from devtools.damage import split_sentences

FILE_RE = re.compile(r"^\d{3,}_[0-9a-f]{16}\.txt$")
HEADER_KEYS = (
    "Published Time: ",
    "Title: ",
    "Category 1: ",
    "Author: ",
    "Author title: ",
    "Author description: ",
)


def _undo_table() -> dict[int, str]:
    """Reverse of the EUC-JP accident for every Latin-1 character (the soft hyphen is dropped)."""
    table = {ord(c): "" for c in "\u200b\ufeff\r"}
    for code in range(0xA1, 0x100):
        bad = chr(code).encode("utf-8").decode("euc-jp", errors="replace")
        if len(bad) == 1 and bad != "\ufffd":
            table[ord(bad)] = "" if code == 0xAD else chr(code)
    return table


UNDO = _undo_table()


def split_file(raw: str) -> tuple[list[str], str]:
    """The 7 header lines and the body of a raw file (BOM and CRLF allowed)."""
    lines = raw.lstrip("\ufeff").replace("\r\n", "\n").split("\n", 7)
    return lines[:7], lines[7]


def squeeze(text: str) -> str:
    """Text with the inserted damage undone and every kind of whitespace removed."""
    text = html.unescape(text.replace("â€™", "’")).translate(UNDO)
    return re.sub(r"\s+", "", text)


def sample(style: str, n: int = 120, seed: int = 11) -> list[GeneratedArticle]:
    return [generate_article(i, seed, style) for i in range(n)]


def test_same_seed_gives_identical_output() -> None:
    for style in STYLES:
        a = generate_article(42, seed=5, style=style)
        b = generate_article(42, seed=5, style=style)
        assert a == b
        assert a.raw_text == b.raw_text
    first = [x.raw_text for x in generate_articles(30, seed=9)]
    assert first == [x.raw_text for x in generate_articles(30, seed=9)]
    # generate_articles(start=...) continues the same sequence
    assert [x.raw_text for x in generate_articles(10, seed=9, start=20)] == first[20:]


def test_different_seed_or_index_gives_different_output() -> None:
    a = generate_article(3, seed=1)
    b = generate_article(3, seed=2)
    c = generate_article(4, seed=1)
    assert a.raw_text != b.raw_text and a.article_id != b.article_id
    assert a.raw_text != c.raw_text and a.article_id != c.article_id
    # the id depends on (seed, index) only, not on the style
    assert generate_article(3, 1, "flat").article_id == a.article_id


def test_file_name_and_id() -> None:
    for art in generate_articles(50, seed=3):
        assert FILE_RE.match(art.file_name)
        assert re.fullmatch(r"[0-9a-f]{16}", art.article_id)
    assert generate_article(7).file_name.startswith("007_")
    assert generate_article(12345).file_name.startswith("12345_")
    art = generate_article(0)
    assert art.file_name == f"000_{art.article_id}.txt"


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        generate_article(0, style="html")
    with pytest.raises(ValueError):
        generate_article(-1)


@pytest.mark.parametrize("style", STYLES)
def test_header_has_seven_lines_in_order(style: str) -> None:
    for art in sample(style, 60):
        raw = art.raw_text
        if style != "noisy":
            assert not raw.startswith("\ufeff") and "\r" not in raw
        header, body = split_file(raw)
        assert [h[: len(k)] for h, k in zip(header, HEADER_KEYS, strict=False)] == list(HEADER_KEYS)
        assert header[6] == "Text: "
        assert body.endswith("\n")
        date_value = header[0].removeprefix("Published Time: ")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", date_value)
        assert date_value[:10] == art.published_date.isoformat()
        assert header[1] == "Title: " + art.title or "â\x80\x99" in header[1]
        section, subsection = header[2].removeprefix("Category 1: ").split("; Category 2: ")
        assert section == (art.section or "")
        assert subsection == (art.subsection or "")
        author = header[3].removeprefix("Author: ")
        if art.author is None:
            assert author in (PLACEHOLDER, "")
            assert art.authors == ()
        else:
            assert author == art.author
            assert art.authors
            assert all(name in art.author for name in art.authors)


def test_header_matches_seed_layout() -> None:
    art = generate_article(0, seed=0)
    header, _ = split_file(art.raw_text)
    seed_header = [
        "Published Time: ",
        "Title: ",
        "Category 1: ",
        "Author: ",
        "Author title: ",
        "Author description: ",
        "Text: ",
    ]
    assert [line[: len(k)] for line, k in zip(header, seed_header, strict=True)] == seed_header


@pytest.mark.parametrize("style", STYLES)
def test_gold_paragraphs_survive_in_the_body_in_order(style: str) -> None:
    for art in sample(style, 150):
        _, body = split_file(art.raw_text)
        squeezed = squeeze(body)
        pos = 0
        for para in art.paragraphs:
            found = squeezed.find(squeeze(para), pos)
            assert found >= 0, (art.file_name, para)
            pos = found + len(squeeze(para))
        for photo in art.photos:
            assert squeeze(photo.credit) in squeezed
            if photo.caption is not None:
                assert squeeze(photo.caption) in squeezed
        if art.print_headline:
            assert squeezed.endswith(squeeze("Newspaper headline: " + art.print_headline))


@pytest.mark.parametrize("style", STYLES)
def test_gold_is_clean(style: str) -> None:
    for art in sample(style, 150):
        assert 0 <= len(art.paragraphs) <= 30
        for para in art.paragraphs:
            assert para == para.strip() and para
            assert not re.search(r"[\n\r\xa0\u3000\u200b\xad足辿息]|â€|&amp;|&#", para)
            assert "Photo:" not in para and "Newspaper headline" not in para
        assert len(set(art.paragraphs)) == len(art.paragraphs)
        for photo in art.photos:
            assert 0 <= photo.position <= len(art.paragraphs)
            assert not photo.credit.startswith(("Photo", "Illustration", "File photo"))
        assert [p.position for p in art.photos] == sorted(p.position for p in art.photos)


def test_original_style_body_damage() -> None:
    arts = sample("original", 200)
    for art in arts:
        _, body = split_file(art.raw_text)
        assert "\n\n" not in body
        assert "\r" not in body and "\xa0" not in body
        undone = body.translate(UNDO)
        photo_at = {p.position for p in art.photos}
        for i in range(1, len(art.paragraphs)):
            first, second = art.paragraphs[i - 1], art.paragraphs[i]
            if i in photo_at or first.endswith('"') or second.startswith('"'):
                continue
            # consecutive paragraphs are glued with no separator at all
            assert first.rsplit(" ", 1)[-1] + second.split(" ", 1)[0] in undone
    bodies = [split_file(a.raw_text)[1] for a in arts]
    joined = "".join(bodies)
    assert "足" in joined
    assert any(a.title in b.split("\n", 1)[0] for a, b in zip(arts, bodies, strict=True))
    assert re.search(r"\nPhoto: [^\n]+\S", joined)  # caption / credit line / glued paragraph
    assert re.search(r'[a-z]\.\n"[A-Z]', joined)  # displaced closing or opening quote
    assert re.search(r"[a-z][A-Z][a-z]", joined)  # glue without separator
    assert "U.S. " in joined  # abbreviations normally do not end a line


def test_flat_style_has_no_line_breaks() -> None:
    arts = sample("flat", 200)
    for art in arts:
        _, body = split_file(art.raw_text)
        assert body.count("\n") == 1 and body.endswith("\n")
    joined = "".join(a.raw_text for a in arts)
    assert "\xa0" in joined and "â€™" in joined and "Newspaper headline: " in joined


def test_noisy_style_damage() -> None:
    arts = sample("noisy", 200)
    joined = "".join(a.raw_text for a in arts)
    assert "\r\n" in joined and "\ufeff" in joined and "\u200b" in joined
    assert "&amp;" in joined and "\xa0" in joined
    for art in arts:
        body = art.raw_text.lstrip("\ufeff").replace("\r\n", "\n")
        assert "\n\n" not in body and "\r" not in body


def test_genuine_cjk_names_kept() -> None:
    arts = [
        a
        for a in generate_articles(600, seed=2)
        if re.search(r"\([\u4e00-\u9fff]+\)", "".join(a.paragraphs))
    ]
    assert arts
    for art in arts:
        cjk = re.findall(r"\(([\u4e00-\u9fff]+)\)", " ".join(art.paragraphs))
        for chars in cjk:
            assert f"({chars})" in art.raw_text


def test_style_mix() -> None:
    styles = [a.style for a in generate_articles(200, seed=0)]
    assert set(styles) == set(STYLES)
    assert styles.count("original") > styles.count("flat")
    assert styles.count("original") > styles.count("noisy")


def test_gold_record_round_trips_through_json() -> None:
    art = next(a for a in generate_articles(50, seed=4) if a.photos)
    rec = json.loads(json.dumps(gold_record(art), ensure_ascii=False))
    assert set(rec) == {
        "file_name", "article_id", "published_date", "title", "section", "subsection",
        "author", "authors", "author_title", "author_description", "paragraphs", "photos",
        "print_headline", "style",
    }  # fmt: skip
    assert datetime.date.fromisoformat(rec["published_date"]) == art.published_date
    assert tuple(rec["paragraphs"]) == art.paragraphs
    assert tuple(GoldPhoto(**p) for p in rec["photos"]) == art.photos


def test_write_corpus_flat(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    assert write_corpus(out, 25, seed=6) == 25
    expected = list(generate_articles(25, seed=6))
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([a.file_name for a in expected] + ["gold.jsonl"])
    for art in expected:
        assert (out / art.file_name).read_bytes() == art.raw_text.encode("utf-8")
    lines = (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25
    assert [json.loads(x) for x in lines] == [gold_record(a) for a in expected]


def test_write_corpus_subdirs_and_no_gold(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    assert write_corpus(out, 30, seed=1, gold=False, subdirs=4) == 30
    assert sorted(p.name for p in out.iterdir()) == [f"part-{k:03d}" for k in range(4)]
    for i, art in enumerate(generate_articles(30, seed=1)):
        assert (out / f"part-{i % 4:03d}" / art.file_name).is_file()
    assert sum(1 for _ in out.rglob("*.txt")) == 30
    assert not (out / "gold.jsonl").exists()


def test_main_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gen"
    assert main(["generate", str(out), "--count", "12", "--seed", "3"]) == 0
    assert len(list(out.glob("*.txt"))) == 12
    assert len((out / "gold.jsonl").read_text(encoding="utf-8").splitlines()) == 12
    assert "wrote 12 articles" in capsys.readouterr().out
    assert main(["generate", str(tmp_path / "g2"), "-n", "5", "--no-gold", "--subdirs", "2"]) == 0
    assert len(list((tmp_path / "g2").rglob("*.txt"))) == 5


def test_main_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--count" in out and "--seed" in out and "--subdirs" in out and "--no-gold" in out


@pytest.mark.parametrize(
    ("glued", "split"),
    [
        ("He left. She stayed.", "He left.\nShe stayed."),
        ("Really? Yes! Fine.", "Really?\nYes!\nFine."),
        ('said Li."Next quote', 'said Li.\n"Next quote'),  # opening quote of a glued paragraph
        ('as he put it, "growth centers."Sanctions', 'as he put it, "growth centers.\n"Sanctions'),
        # a glue point after a closing quote always displaces it, whole-sentence quote or not
        ('"Whole sentence."A lot', '"Whole sentence.\n"A lot'),
        ('"Closing."' + '"Opening', '"Closing.\n""Opening'),
        ('"Is it?"Next', '"Is it?\n"Next'),
        # only a quotation closing inside a paragraph keeps its quote at the line end
        ('"We will win." The coach added', '"We will win."\nThe coach added'),
        ('"One sentence." "Another."', '"One sentence."\n"Another."'),
        (
            "The U.S. side met Dr. Chen at 9 a.m. on Jan. 10.",
            "The U.S. side met Dr. Chen at 9 a.m. on Jan. 10.",
        ),
        ("It grew 3.5 percent.A sub-heading", "It grew 3.5 percent.A sub-heading"),
        ("A caption. Photo: VCGNext", "A caption.\nPhoto: VCGNext"),
    ],
)
def test_sentence_splitter(glued: str, split: str) -> None:
    assert split_sentences(Writer(0), glued, sloppy=False) == split


# --------------------------------------------------------------------------- paragraph boundaries

QUOTE_END_RE = re.compile(r'[.!?]["”]$')


def layout(art: GeneratedArticle) -> tuple[str, list[tuple[int, int]]]:
    """The body with the inserted damage undone (whitespace kept) and, for each gold
    paragraph, the body index of its first and of its last character."""
    _, body = split_file(art.raw_text)
    body = html.unescape(body.replace("â€™", "’")).translate(UNDO)
    idx = [i for i, c in enumerate(body) if not c.isspace()]
    squeezed = "".join(body[i] for i in idx)
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in art.paragraphs:
        q = squeeze(para)
        found = squeezed.find(q, pos)
        assert found >= 0, (art.file_name, para)
        spans.append((idx[found], idx[found + len(q) - 1]))
        pos = found + len(q)
    return body, spans


def join_error(body: str, left: int, right: int) -> str | None:
    """Why the block ending at ``left`` does not meet the block starting at ``right`` at a glue
    point as docs/text-cleaning.md#glue describes (``None`` when it does). Lined styles only."""
    gap = body[left + 1 : right]
    if body[left] == '"' and body[left - 1] in ".!?":
        return f"closing quote kept at a paragraph end: {body[left - 30 : right + 10]!r}"
    if body[left] == '"' and body[left - 1] == "\n" and body[left - 2] in ".!?":
        ok = gap == ""  # displaced closing quote: `centers.` / `"Sanctions`
    elif body[left] in ".!?" and body[right] == '"':
        ok = gap == "\n"  # the splitter broke a glued `end."Quote`
    else:
        ok = gap == ""
    return None if ok else f"not a glue point: {body[left - 30 : right + 10]!r}"


def boundary_joins(art: GeneratedArticle, body: str, spans: list[tuple[int, int]]) -> list[str]:
    errors: list[str] = []
    photo_at = {ph.position for ph in art.photos}
    for k in range(1, len(spans) + 1):
        end = spans[k - 1][1]
        if k < len(spans) and k not in photo_at:
            pairs = [(end, spans[k][0])]
        elif k in photo_at:  # paragraph / photo block after a line break / paragraph
            nxt = end + 1
            while body[nxt].isspace():
                nxt += 1
            pairs = []
            if body[end + 1 : nxt] != "\n":
                errors.append(f"photo block not after a line break: {body[end - 30 : nxt + 10]!r}")
            if k < len(spans):
                prev = spans[k][0] - 1
                while body[prev].isspace():
                    prev -= 1
                pairs.append((prev, spans[k][0]))
        else:
            continue
        errors.extend(e for left, right in pairs if (e := join_error(body, left, right)))
    return errors


@pytest.mark.parametrize("style", ["original", "noisy"])
def test_every_paragraph_boundary_is_a_glue_point(style: str) -> None:
    """In the seed every paragraph boundary is a glue point (docs/text-cleaning.md#glue); a
    glue point after a closing quote shows as a displaced quote (`centers.` / `"Sanctions`),
    never as `<sentence end><space>` and never as `."` at a line end. A photo block follows a
    line break (the seed's caption after `cooperation."`) and the next paragraph is glued to its
    credit."""
    displaced = 0
    for art in sample(style, 250, seed=5):
        body, spans = layout(art)
        assert boundary_joins(art, body, spans) == [], art.file_name
        displaced += sum(body[e] == '"' and body[e - 1] == "\n" for _, e in spans[:-1])
    assert displaced > 50


def test_line_ending_closing_quote_is_never_a_paragraph_end() -> None:
    """`role."` + newline only comes from an in-paragraph `role." A lot`."""
    mid = quoted = 0
    for style in ("original", "noisy"):
        for art in sample(style, 150, seed=8):
            body, spans = layout(art)
            starts = {s for s, _ in spans}
            for m in re.finditer(r'[.!?]"\n', body):
                assert m.end() not in starts, (art.file_name, body[m.start() - 40 : m.end() + 20])
            for para, (s, e) in zip(art.paragraphs, spans, strict=True):
                if '"' in para:
                    quoted += 1
                if re.search(r'[.!?]" [A-Z]', para):
                    mid += 1
                    assert re.search(r'[.!?]"\n[A-Z]', body[s : e + 1]), para
    assert 0.02 < mid / quoted < 0.09  # a realistic minority (about 5%)


def test_in_paragraph_opening_quote_after_a_sentence_is_rare() -> None:
    """`end.` / `"Quote` is read as a paragraph break
    (docs/text-cleaning.md#the-sentence-splitter), so the in-paragraph
    `..., X said. "More quotation."` stays rare."""
    arts = list(generate_articles(400, seed=12))
    paras = [p for a in arts for p in a.paragraphs]
    inside = sum(bool(re.search(r'[.!?] ["“]', p)) for p in paras)
    assert 0 < inside <= 0.03 * len(paras)
    right = total = 0
    for art in arts:
        if art.style == "flat":
            continue
        body, spans = layout(art)
        starts = {s for s, _ in spans}
        displaced = {e for _, e in spans if body[e] == '"'}
        for m in re.finditer(r'[.!?]\n"(?=[A-Z])', body):
            if m.end() - 1 not in displaced:
                total += 1
                right += m.end() - 1 in starts
    assert total > 100 and right >= 0.9 * total


def test_flat_paragraph_boundaries_are_glued_or_nbsp_runs() -> None:
    """A plain space between paragraphs could not be told from a sentence break."""
    kinds = set()
    for art in sample("flat", 300, seed=4):
        body, spans = layout(art)
        photo_at = {ph.position for ph in art.photos}
        n = len(spans)
        for k in range(1, n + 1):
            if k == n and k not in photo_at:
                continue
            end = spans[k - 1][1]
            right = spans[k][0] if k < n else 0
            if k in photo_at:  # up to the photo block: whitespace, never glued
                right = end + 1
                while body[right] in " \xa0\u3000":
                    right += 1
                gap = body[end + 1 : right]
                assert gap.strip(" ") or (gap == " " and body[end] in '.?!"”'), (
                    art.file_name,
                    body[end - 30 : right + 10],
                )
                kinds.add("photo after a space" if gap == " " else "photo after hard spaces")
                continue
            gap = body[end + 1 : right]
            assert gap == "" or (re.fullmatch(r"[ \xa0\u3000]+", gap) and gap.strip(" ")), (
                art.file_name,
                body[end - 30 : right + 10],
            )
            kinds.add("glued" if gap == "" else "u3000" if "\u3000" in gap else "nbsp")
    assert kinds == {"glued", "nbsp", "u3000", "photo after a space", "photo after hard spaces"}


# --------------------------------------------------------------------------- photo blocks


def test_photo_blocks_sit_as_the_seed_has_them() -> None:
    """A caption that ends in a stop has its own line(s), the label starts the next; a caption
    without a stop shares the label's line; the next paragraph is glued to the credit."""
    own_line = shared = 0
    for art in sample("original", 300, seed=21):
        _, body = split_file(art.raw_text)
        lines = body.translate(UNDO).split("\n")
        at = -1
        for photo in art.photos:  # in order: each block after the one before
            block = re.compile(rf"(?:File photo|Photo|Illustration): {re.escape(photo.credit)}")
            at = next(i for i in range(at + 1, len(lines)) if block.search(lines[i]))
            label = block.search(lines[at]).group(0).split(":")[0] + ":"  # type: ignore[union-attr]
            if photo.caption is None or not photo.caption.endswith("."):
                if photo.caption is not None:
                    assert lines[at].startswith(f"{photo.caption} {label}"), art.file_name
                    shared += 1
                continue
            assert lines[at].startswith(label), art.file_name
            # the caption's lines end right before the label's and start a line
            starts = range(max(0, at - 4), at)
            assert any(" ".join(lines[j:at]) == photo.caption for j in starts), art.file_name
            own_line += 1
    assert own_line > 100 and shared > 20


def test_caption_cases_come_in_realistic_proportions() -> None:
    """Every case the cleaner must get right occurs, most photos after a sentence or at the
    top; illustrations open opinion pieces and carry no caption, as every real one does."""
    photos = [p for a in generate_articles(2000, seed=3) for p in a.photos]
    cases = Counter(p.case for p in photos)
    assert set(cases) == set(CAPTION_CASES)
    assert cases["after_stop"] > cases["start"] > cases["after_quote"] > cases["after_heading"]
    assert cases["after_heading"] >= 15 and cases["after_photo"] >= 50
    assert 0.25 < cases["start"] / len(photos) < 0.4
    illustrations = [p for p in photos if p.kind == "illustration"]
    assert illustrations and all(p.caption is None for p in illustrations)
    assert sum(p.position == 0 for p in illustrations) > 0.7 * len(illustrations)
    captioned = [p for p in photos if p.kind != "illustration"]
    missing = sum(p.caption is None for p in captioned)
    assert 0 < missing < 0.03 * len(captioned)  # a photo without a caption is rare
    stopless = sum(p.caption is not None and not p.caption.endswith(".") for p in captioned)
    assert stopless > 0.1 * len(captioned)
    second = [p.caption for p in captioned if p.caption and re.search(r"\. [A-Z]", p.caption)]
    assert any("Photo taken on" in c for c in second)
    assert any(re.search(r"\d{4}\. (?!Photo taken)", c) for c in second)
    assert Counter(p.kind for p in photos).keys() == {
        "photo",
        "file photo",
        "illustration",
        "screenshot",
    }
    assert all((p.kind == "screenshot") == p.credit.startswith("Screenshot") for p in photos)
