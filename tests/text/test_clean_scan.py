"""The compiled scans and search (clean_scan.pyx) against the Python they stand for."""

from __future__ import annotations

import random
from pathlib import Path

from devtools.articles import generate_articles
from newsetl.load.rows import count_words, count_words_plain
from newsetl.text import (
    clean,
    clean_chars,
    clean_paragraphs,
    clean_quotes,
    clean_scan,
    clean_spaces,
)
from newsetl.text.clean_paragraphs import (
    _NEVER_FIRES,
    glue_candidates,
    glue_candidates_by_regex,
    split_lines_plain,
)
from newsetl.text.clean_quotes import (
    _FIGURE_RE,
    _FIRST_PERSON_RE,
    _NAME_RE,
    _attributes,
    quote_cues,
    quote_cues_by_regex,
    quote_cues_by_scan,
)
from newsetl.text.clean_spaces import hard_space_runs_by_regex
from newsetl.text.parse import parse_article

# Each class of character the glue rules tell apart: capitals, lower case, digits, stops, `)`,
# quotes, spaces, accents that never fire, and other non-ASCII letters, digits and marks.
_ALPHABET = 'aAzZ09.?!…)( "“”’—\t\u00a0éÉΣσ²İ足中-,:'
_PIECES = ["said", "Li", "The", "A", "5G", " goes", "NATO", "2010", "U.S", "WeChat", "Mr.", "²"]


def _assert_scans_agree(lines: list[str]) -> None:
    for line in lines:
        assert clean_scan.glue_candidates(line, _NEVER_FIRES) == glue_candidates_by_regex(line), (
            repr(line)
        )


def test_glue_points_use_the_compiled_scan() -> None:
    assert glue_candidates("said Nuryshev.The envoy") == [14]
    assert glue_candidates.func is clean_scan.glue_candidates  # type: ignore[attr-defined]


def test_glue_candidates_match_the_regex_on_random_text() -> None:
    rng = random.Random(31)
    lines = ["", "A", '"', "x.5", "a.5", "é.5G", 'e""A', "AB", "ABc", "2Ab", "aé", "a’", "a—"]
    for _ in range(20000):
        lines.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(16))))
    for _ in range(10000):
        lines.append("".join(rng.choice([*_PIECES, *'."“”é’ ']) for _ in range(rng.randrange(10))))
    _assert_scans_agree(lines)


def test_glue_candidates_match_the_regex_on_generated_articles() -> None:
    lines: list[str] = []
    for article in generate_articles(500, seed=9):
        lines += article.raw_text.split("\n")
    assert len(lines) > 10000
    _assert_scans_agree(lines)


def test_glue_candidates_match_the_regex_on_the_corpus(globaltimes_files: list[Path]) -> None:
    lines: list[str] = []
    for path in globaltimes_files:
        lines += parse_article(path.name, path.read_bytes()).raw_body.split("\n")
    _assert_scans_agree(lines)


def _regex_cue_flags(text: str) -> int:
    return (
        (clean_scan.ATTRIBUTION if _attributes(text) else 0)
        | (clean_scan.FIRST_PERSON if _FIRST_PERSON_RE.search(text) else 0)
        | (clean_scan.FIGURE if _FIGURE_RE.search(text) else 0)
        | (clean_scan.NAME if _NAME_RE.search(text) else 0)
    )


def test_quote_cues_use_the_compiled_scan() -> None:
    assert quote_cues is quote_cues_by_scan
    assert quote_cues(" we said on May 3 in Beijing") == (1.0, 1.0)
    assert quote_cues(" they said on May 3, Li Qiang") == (1.75, 0.0)


def test_cue_flags_match_the_regexes() -> None:
    # Every cue word, near misses (`Iowa`, `saids`, `according  to`), word characters that are
    # no letters (`_`, `²`, Arabic-Indic digits) and the separators around a name.
    pieces = ["I", "we", "We", "our", "Our", "us", "my", "My", "me", "Iowa", "awe", "MY", "bus"]
    pieces += ["said", "says", "saids", "told", "added", "according", "according to", " to"]
    pieces += ["to", "x", "é", "_", "2", "²", "٣", " ", "  ", ",", ";", "a", "Li", "Ab", "A"]
    pieces += ["\n", "-", "’", "中"]
    rng = random.Random(43)
    texts = ["", "I", "according to", "according to_", "a Li", ", Li", "; Li", "A Li"]
    for _ in range(50000):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randrange(9))))
    for article in generate_articles(300, seed=10):
        texts += article.raw_text.split('"')  # the text between quotes, as quote_cues reads it
    for text in texts:
        flags = clean_scan.cue_flags(text)
        assert flags == _regex_cue_flags(text), repr(text)
        assert quote_cues(text) == quote_cues_by_regex(text), repr(text)


def test_repairs_use_the_compiled_char_marks() -> None:
    assert clean_chars.char_marks.func is clean_scan.char_marks  # type: ignore[attr-defined]
    offsets = clean_chars.euc_jp_damage_offsets
    assert offsets.func is clean_scan.marked_offsets  # type: ignore[attr-defined]
    assert offsets("a足b足 辿") == [1, 3, 5]
    marks = clean_chars.char_marks("Ã© &amp; 足\u200b\u00a0")
    assert marks == clean_chars.char_marks_by_regex("Ã© &amp; 足\u200b\u00a0") == 63


def test_char_marks_and_damage_offsets_match_the_regexes_on_random_text() -> None:
    # Every character of every class, its neighbours, and characters of no class.
    alphabet = [chr(c) for c in range(0x100)] + ["\u1680", "\u2000", "\u200a", "\u200b"]
    alphabet += ["\u2028", "\u202f", "\u2060", "\u3000", "\ufeff", "€", "Ÿ", "中", "😀"]
    alphabet += list(clean_chars.EUC_JP_DAMAGE)
    rng = random.Random(5)
    texts = [
        *alphabet,
        *("".join(rng.choices(alphabet, k=rng.randrange(12))) for _ in range(30000)),
    ]
    for text in texts:
        assert clean_chars.char_marks(text) == clean_chars.char_marks_by_regex(text), repr(text)
        offsets = clean_chars.euc_jp_damage_offsets(text)
        assert offsets == clean_chars.euc_jp_damage_offsets_by_regex(text), repr(text)


def test_marked_classes_hold_no_character_past_the_table() -> None:
    # The compiled scan takes a character past the Basic Multilingual Plane for unmarked.
    astral = "".join(map(chr, range(0x10000, 0x110000)))
    for bit, regex in clean_chars._MARKED_CLASSES:
        assert regex.search(astral) is None, bit


def test_word_count_uses_the_compiled_scan_and_reads_every_character_as_the_regex() -> None:
    assert count_words is clean_scan.count_words
    for code in range(0x10000):
        char = chr(code)
        for text in (f"a{char}b", f"a'{char}", f"{char}’b"):
            assert clean_scan.count_words(text) == count_words_plain(text), hex(code)


def test_quote_resolution_uses_the_compiled_search_and_chooses_as_python() -> None:
    assert clean_quotes.compiled_resolve_quotes is clean_scan.resolve_quotes
    rng = random.Random(12)
    # Costs of the cues' sizes, so that readings tie as often as in real text.
    costs = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]
    for _ in range(20000):
        kinds = rng.choices("OCAS", k=rng.randrange(1, 12))
        narrative = rng.choices(costs, k=len(kinds))
        spoken = rng.choices([0.0, 0.0, 1.0, 1.5], k=len(kinds))
        expected = clean_quotes.resolve_quotes_by_search(kinds, narrative, spoken)
        assert clean_quotes.resolve_quotes(kinds, narrative, spoken) == expected, kinds
        assert clean_quotes.resolve_quotes(kinds) == clean_quotes.resolve_quotes_by_search(kinds)


def test_tidiness_uses_the_compiled_scan_and_reads_every_character_as_python() -> None:
    assert clean.is_tidy is clean_scan.is_tidy
    for code in range(0x10000):
        char = chr(code)
        for text in (char, f"a{char}b", f" {char}", f"{char} ", f"a {char}"):
            assert clean_scan.is_tidy(text) == clean.is_tidy_plain(text), hex(code)
    rng = random.Random(8)
    alphabet = ["a", " ", "  ", "\t", "\n", "\xa0", "\u3000", "é", "中", "\x7f", "\u200b", "😀"]
    for _ in range(20000):
        text = "".join(rng.choices(alphabet, k=rng.randrange(8)))
        assert clean_scan.is_tidy(text) == clean.is_tidy_plain(text), repr(text)


def test_line_split_uses_the_compiled_scan_and_splits_as_python() -> None:
    assert clean_paragraphs.split_lines is clean_scan.split_lines
    for code in range(0x10000):
        char = chr(code)
        for text in (char, f"a\n{char}\nb", f"a\n \t{char}\n\nb{char}"):
            assert clean_scan.split_lines(text) == split_lines_plain(text), hex(code)
    rng = random.Random(10)
    alphabet = ["a", "Bc", " ", "\t", "\n", "\n\n", "\xa0", "\u3000", "\x0b", "\r", "中", "😀"]
    for _ in range(30000):
        text = "".join(rng.choices(alphabet, k=rng.randrange(10)))
        assert clean_scan.split_lines(text) == split_lines_plain(text), repr(text)


def test_hard_space_runs_use_the_compiled_scan_and_match_the_regex() -> None:
    assert clean_spaces.hard_space_runs is clean_scan.hard_space_runs
    rng = random.Random(11)
    alphabet = ["a", " ", "  ", "\t", "\xa0", "\u3000", "\u2009", "\n", "中", "é", "😀"]
    for _ in range(30000):
        text = "".join(rng.choices(alphabet, k=rng.randrange(12)))
        assert clean_scan.hard_space_runs(text) == hard_space_runs_by_regex(text), repr(text)
