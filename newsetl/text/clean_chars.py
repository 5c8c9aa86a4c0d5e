"""Character-level repairs for scraped text: entities, mojibake, EUC-JP accidents, stray chars."""

from __future__ import annotations

import difflib
import functools
import html
import re
from collections.abc import Callable, Iterable, MutableMapping

# A Latin-1 character whose UTF-8 bytes were decoded as EUC-JP turns into one CJK character
# (soft hyphen C2 AD -> 足, © -> 息, é -> 辿). Only C2/C3 A1-BF pairs survive that decoding.
EUC_JP_DAMAGE: dict[str, str] = {}
for _cp in range(0xA1, 0x100):
    try:
        _decoded = chr(_cp).encode("utf-8").decode("euc-jp")
    except UnicodeDecodeError:
        continue
    if len(_decoded) == 1:
        EUC_JP_DAMAGE[_decoded] = chr(_cp)
del _cp, _decoded
# One scan tells whether a text holds any character fix_euc_jp could restore.
_DAMAGED = "".join(sorted(EUC_JP_DAMAGE))  # CJK characters all, no regex metacharacters
_EUC_JP_CHAR_RE = re.compile(f"[{_DAMAGED}]")
_EUC_JP_TABLE = str.maketrans(EUC_JP_DAMAGE)

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Latin letters and ASCII digits (`息2023` is `©2023`) count as English context.
_LATIN = "".join(ch for ch in map(chr, range(0x250)) if ch.isalpha() or ch in "0123456789")
# A whole run of CJK characters (no CJK character before or after it) that are all damage, with
# a Latin letter or digit before or after it, or a single one before a space and a year. It
# starts with the damaged character so that the regex engine scans for it fast.
_EUC_JP_FIX_RE = re.compile(
    f"[{_DAMAGED}](?<![{_CJK}].)"
    f"(?:(?<=[{_LATIN}].)[{_DAMAGED}]*(?![{_CJK}])|[{_DAMAGED}]*(?=[{_LATIN}])|(?= \\d{{4}}\\b))"
)

# Invisible characters that only ever get in the way of word matching.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"
)
_SPACE_LIKE_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_MULTISPACE_RE = re.compile(r" {2,}")

# cp1252 shows bytes 0x80-0x9F as these characters; Latin-1 shows them as C1 controls.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = "[\u0080-\u00bf" + _CP1252_HIGH + "]"
_LEAD = "[\u00c2-\u00f4]"
# A UTF-8 byte sequence seen through Latin-1/cp1252: a lead byte and its continuation bytes.
# Plain accented text (`café`, `naïve`, `SÃO`) has no such sequence and is never touched.
_MOJIBAKE_RE = re.compile(
    f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}"
)
# Every such sequence starts with these two characters: a pattern that starts with a character
# class is scanned much faster than the alternation, so it decides whether to look further.
_MOJIBAKE_START_RE = re.compile(f"{_LEAD}{_CONT}")

# Entities with a semicolon are unambiguous; without one, only the few that scrapers really leave
# behind (`North&nbspKorean`) are decoded, so `B&R` or `AT&T` never change.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_BARE_ENTITY_RE = re.compile(r"&(?:nbsp|amp|quot)(?![A-Za-z0-9;])|&nbsp(?=[A-Za-z])")

# The classes of characters the repairs act on, one bit each: `char_marks(text)` tells in one
# pass which repairs a text may need (a lead and a continuation anywhere: maybe mojibake).
AMPERSAND, MOJIBAKE_LEAD, MOJIBAKE_CONT, EUC_JP_DAMAGED, INVISIBLE, SPACE_LIKE = 1, 2, 4, 8, 16, 32
_MARKED_CLASSES = (
    (AMPERSAND, re.compile("&")),
    (MOJIBAKE_LEAD, re.compile(_LEAD)),
    (MOJIBAKE_CONT, re.compile(_CONT)),
    (EUC_JP_DAMAGED, _EUC_JP_CHAR_RE),
    (INVISIBLE, _INVISIBLE_RE),
    (SPACE_LIKE, _SPACE_LIKE_RE),
)


def _marks_table() -> bytes:
    """Each Basic Multilingual Plane character's marks: the bits of the classes it is in.

    No class holds a character past that plane (tests/text/test_clean_scan.py checks it), so the
    compiled scan reads a table of 64 KiB and takes a character past its end for unmarked.
    """
    plane = "".join(map(chr, range(0x10000)))
    table = bytearray(len(plane))
    for bit, regex in _MARKED_CLASSES:
        for match in regex.finditer(plane):
            table[match.start()] |= bit
    return bytes(table)


def char_marks_by_regex(text: str) -> int:
    """The classes of `_MARKED_CLASSES` found in `text`, as bits: a regex scan each.

    The reference for the compiled clean_scan.char_marks, which `make install` builds and
    repair_chars and normalize_spaces use when it is there.
    """
    return sum(bit for bit, regex in _MARKED_CLASSES if regex.search(text))


def euc_jp_damage_offsets_by_regex(text: str) -> list[int]:
    """The offsets of the characters fix_euc_jp may restore: `_EUC_JP_CHAR_RE`'s matches."""
    return [match.start() for match in _EUC_JP_CHAR_RE.finditer(text)]


char_marks: Callable[[str], int]
euc_jp_damage_offsets: Callable[[str], list[int]]
try:
    from newsetl.text import clean_scan
except ImportError:  # not compiled (a checkout before `make install`): the same results
    char_marks = char_marks_by_regex
    euc_jp_damage_offsets = euc_jp_damage_offsets_by_regex
else:
    _MARKS = _marks_table()
    char_marks = functools.partial(clean_scan.char_marks, table=_MARKS)
    euc_jp_damage_offsets = functools.partial(
        clean_scan.marked_offsets, table=_MARKS, bit=EUC_JP_DAMAGED
    )


Counts = MutableMapping[str, int]


def _bump(counts: Counts | None, kind: str, n: int = 1) -> None:
    if counts is not None and n:
        counts[kind] = counts.get(kind, 0) + n


def _unescape_match(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def unescape_entities(text: str, counts: Counts | None = None) -> str:
    """Decode HTML entities, repeatedly, since scrapes are sometimes escaped twice."""
    for _ in range(4):
        if "&" not in text:
            break
        new, n1 = _ENTITY_RE.subn(_unescape_match, text)
        new, n2 = _BARE_ENTITY_RE.subn(_unescape_match, new)
        if new == text:
            break
        _bump(counts, "mojibake_fixed", n1 + n2)
        text = new
    return text


def _byte_of(char: str) -> int:
    return ord(char) if ord(char) < 0x100 else char.encode("cp1252")[0]


def fix_mojibake(text: str, counts: Counts | None = None) -> str:
    """Undo UTF-8 read as Latin-1/cp1252 (`â€™` -> `’`, `NATOâ\x80\x99s` -> `NATO’s`).

    Only byte sequences that decode as valid UTF-8 change, each on its own, so the verdict never
    depends on text further away; repeated for text that was mis-decoded twice.
    """
    fixed = 0

    def redecode(match: re.Match[str]) -> str:
        nonlocal fixed
        try:
            result = bytes(_byte_of(char) for char in match.group(0)).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)
        fixed += 1
        return result

    while _MOJIBAKE_START_RE.search(text) and _MOJIBAKE_RE.search(text):
        before = fixed
        text = _MOJIBAKE_RE.sub(redecode, text)
        if fixed == before:
            break  # every sequence a valid UTF-8 decode would need is already gone
    _bump(counts, "mojibake_fixed", fixed)
    return text


def sub_at(
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str],
    text: str,
    starts: Iterable[int],
) -> str:
    """`pattern.sub(replace, text)`, the pattern tried only at `starts`.

    `starts` are increasing offsets that include every offset where a match can start, found
    by a cheaper scan than the regex engine's for the pattern; a start inside an earlier match
    is skipped, as `sub` would. The pattern must not match the empty string.
    """
    out: list[str] = []
    last = 0
    for start in starts:
        match = pattern.match(text, start) if start >= last else None
        if match is not None:
            out += (text[last:start], replace(match))
            last = match.end()
    return "".join([*out, text[last:]]) if out else text


def fix_euc_jp(text: str, counts: Counts | None = None) -> str:
    """Turn EUC-JP-decoded Latin-1 characters back, but only where they touch Latin letters.

    One more English context: a single such character before a space and a year (`息 2013`),
    the copyright line `© 2013`. A run of CJK characters with one that has no Latin-1 reading
    is a genuine CJK word, and one that stands apart from English words is text: both stay.
    """
    starts = euc_jp_damage_offsets(text)
    if not starts:
        return text
    soft = fixed = 0

    def restore(match: re.Match[str]) -> str:
        nonlocal soft, fixed
        run = match.group(0)
        restored = run.translate(_EUC_JP_TABLE)
        # A repaired soft hyphen is invisible anyway, so it is dropped here and counted as a
        # stray character rather than restored and removed later.
        run_soft = restored.count("\u00ad")
        soft += run_soft
        fixed += len(run) - run_soft
        return restored.replace("\u00ad", "") if run_soft else restored

    # A match starts at a damaged character: a scan for one would test a class of ~90
    # characters at every character.
    new = sub_at(_EUC_JP_FIX_RE, restore, text, starts)
    _bump(counts, "stray_chars_removed", soft)
    _bump(counts, "mojibake_fixed", fixed)
    return new


def remove_invisible(text: str, counts: Counts | None = None) -> str:
    """Drop soft hyphens, zero-width characters, BOMs and control characters (keeping \\n)."""
    new, n = _INVISIBLE_RE.subn("", text)
    _bump(counts, "stray_chars_removed", n)
    return new


# Each repair of repair_chars, in its order, with the marks (char_marks) its text must hold for
# it to change anything: mojibake needs a lead and a continuation. Mojibake repair needs the C1
# controls of `â\x80\x99`, so invisible characters go last.
_REPAIRS: tuple[tuple[int, Callable[[str, Counts | None], str]], ...] = (
    (AMPERSAND, unescape_entities),
    (MOJIBAKE_LEAD | MOJIBAKE_CONT, fix_mojibake),
    (EUC_JP_DAMAGED, fix_euc_jp),
    (INVISIBLE, remove_invisible),
)


def repair_chars(text: str, counts: Counts | None = None) -> str:
    """Apply every character repair until the text stops changing; keeps NBSP and newlines."""
    # Each repair runs only if its text holds the characters it acts on: without them, it would
    # leave the text as it is and count nothing. Most texts need none: one scan decides.
    marks = char_marks(text)
    for _ in range(8):
        before = text
        for needed, repair in _REPAIRS:
            if marks & needed == needed:
                repaired = repair(text, counts)
                if repaired != text:
                    text, marks = repaired, char_marks(repaired)
        if text == before:
            break
    return text


def normalize_spaces(text: str) -> str:
    """Turn NBSP, U+3000 and other space look-alikes into spaces and collapse space runs."""
    # In ASCII text the tab is the only look-alike: a substring test instead of a scan.
    if "\t" in text or (not text.isascii() and char_marks(text) & SPACE_LIKE):
        text = _SPACE_LIKE_RE.sub(" ", text)
    return _MULTISPACE_RE.sub(" ", text) if "  " in text else text


# Pure, and called for the same values again and again: the title three times per article,
# sections and desk bylines across a whole batch.
@functools.lru_cache(maxsize=4096)
def clean_field(value: str) -> str:
    """Character repair of a one-line header field: all repairs, whitespace collapsed, stripped."""
    text = repair_chars(value)
    text = normalize_spaces(text.replace("\r", " ").replace("\n", " "))
    return text.strip()


def char_repairs(before: str, after: str) -> list[tuple[str, str]]:
    """(kind, `old -> new` with context) for each character-level change from before to after."""
    found: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        kind = "stray_chars_removed" if not new or old.strip(new) == "" else "mojibake_fixed"
        context = f"{before[max(0, i1 - 15) : i1]}[{old!r} -> {new!r}]{before[i2 : i2 + 15]}"
        found.append((kind, context))
    return found
