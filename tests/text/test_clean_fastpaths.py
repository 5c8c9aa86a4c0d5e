"""The cleaner's fast paths against the plain definitions they replace, on random text.

Each fast path (a regex that finds candidates, a pre-check that skips a rule, a bit-parallel
algorithm) must give exactly what the straightforward code gives: these tests compare both on
random strings drawn from the characters the rules care about.
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import pytest

from devtools.articles import generate_articles
from newsetl.text import clean
from newsetl.text.clean import _common_in_order, _starts_with_lower, _tidy, _words
from newsetl.text.clean_captions import _LABEL_RE, extract_photos, label_matches
from newsetl.text.clean_chars import (
    _INVISIBLE_RE,
    _SPACE_LIKE_RE,
    EUC_JP_DAMAGE,
    fix_euc_jp,
    fix_mojibake,
    normalize_spaces,
    remove_invisible,
    repair_chars,
    unescape_entities,
)
from newsetl.text.clean_glue import word_before
from newsetl.text.clean_paragraphs import glue_points, glue_points_at
from newsetl.text.clean_quotes import (
    _FIRST_PERSON_RE,
    _LABEL_AFTER_RE,
    _LABEL_WORDS,
    _NAME_RE,
    REOPEN_COST,
    STRAY_CLOSE_COST,
    resolve_quotes,
)
from newsetl.text.clean_spaces import (
    _HEADING_BREAK_RE,
    _SPACE_BREAK_RE,
    _sub_heading_breaks,
    _sub_space_breaks,
    hard_space_runs,
)
from newsetl.text.parse import parse_article

# Letters, digits, stops, quotes, spaces and a few non-ASCII characters of each kind.
_ALPHABET = 'aAbBzZ09.?!…)( "“”’\t\u00a0\u3000éÉΣσ²İ足息中-,;:'


def _random_texts(seed: int, count: int, longest: int = 24) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(longest))) for _ in range(count)
    ]


def _assert_glue_candidates_suffice(lines: list[str], seed: int) -> None:
    # glue_points tries its rules only where the candidate regex matched: it must give the
    # points of trying them at every offset.
    rng = random.Random(seed)
    for line in lines:
        decisions = {pos: rng.choice("OC") for pos, char in enumerate(line) if char in '"“”'}
        plain = glue_points_at(line, decisions, range(1, len(line)))
        assert glue_points(line, decisions) == plain, line


def test_glue_candidates_give_the_points_of_every_offset() -> None:
    lines = [
        "said Nuryshev.The envoy",
        "since 2010.5G goes rural",
        "during the holiday.5G goes rural",
        'the fair."5G goes rural',
        'person.""It took',
        'growth centers."Sanctions',
        'Photo: VCG"I would',
        "helpingAs for",
        "Next stepsA crème",
        "NATOThe alliance",
        "in 2023The year",
        "(exclusive full interview)As key",
        "for ChileChina had",
        "Pokémon.Écoles",
        "the² Σigma.²5",
        *_random_texts(1, 6000, 30),
    ]
    rng = random.Random(11)
    words = ["said", "Li", "The", "A", "5G", " goes", "NATO", "2010", "U.S", "WeChat", "Mr", "²"]
    for _ in range(20000):
        pieces = [*words, *'."“”é’ ']
        lines.append("".join(rng.choice(pieces) for _ in range(rng.randrange(12))))
    _assert_glue_candidates_suffice(lines, 12)


def test_glue_candidates_suffice_on_the_corpus(globaltimes_files: list[Path]) -> None:
    lines: list[str] = []
    for path in globaltimes_files:
        body = parse_article(path.name, path.read_bytes()).raw_body
        lines += [line.strip() for line in body.split("\n") if line.strip()]
    for article in generate_articles(300, seed=5):
        lines += [line.strip() for line in article.raw_text.split("\n") if line.strip()]
    _assert_glue_candidates_suffice(lines, 13)


def test_label_matches_equal_the_regex_scan() -> None:
    pieces = ["File", "photo", "Photo", "Photos", "Graphic", "Graphics", "Infographic", "Cartoon"]
    pieces += ["Illustration", "credit", "Credit", "(", "((", " ", "\n", "\xa0", ":", " :"]
    pieces += ["A", "1", "x", ".", '"', "VCG"]
    rng = random.Random(41)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        start = rng.randrange(len(text) + 1)
        found = [(m.span(), m.groups()) for m in label_matches(text, start)]
        assert found == [(m.span(), m.groups()) for m in _LABEL_RE.finditer(text, start)], (
            repr(text),
            start,
        )


def test_heading_breaks_match_the_plain_substitution() -> None:
    def mark(match: re.Match[str]) -> str:
        return f"<{match.group('end')}|{match.start()}-{match.end()}>"

    for text in _random_texts(2, 5000, 40):
        assert _sub_heading_breaks(mark, text) == _HEADING_BREAK_RE.sub(mark, text), text


def test_space_breaks_match_the_plain_substitution() -> None:
    def mark(match: re.Match[str]) -> str:
        return f"<{match.group('end')}|{match.group('gap')!r}|{match.start()}-{match.end()}>"

    rng = random.Random(6)
    # Stops, every closer the pattern allows, the spaces of a run, and what may follow one.
    pieces = [".", "?", "!", "…", '"', "”", "’", "'", ")", "]", " ", "\t", "\xa0", "\u3000"]
    pieces += ["a", "B", "1", "\n"]
    texts = _random_texts(3, 5000, 40)
    texts += ["".join(rng.choices(pieces, k=rng.randrange(16))) for _ in range(20000)]
    for text in texts:
        hard = hard_space_runs(text)
        assert _sub_space_breaks(mark, text, hard) == _SPACE_BREAK_RE.sub(mark, text), repr(text)


def test_rewritten_patterns_match_their_plain_forms() -> None:
    plain_first_person = re.compile(r"\b(?:I|we|We|our|Our|us|my|My|me)\b")
    plain_name = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
    words = ["I", "we", "We", "our", "Our", "us", "my", "My", "me", "Iowa", "awe", "bus", "MY"]
    rng = random.Random(3)
    for _ in range(5000):
        text = " ".join(rng.choice([*words, "x", "é", ",", "a,", "Li"]) for _ in range(4))
        text = text.replace(" ", rng.choice([" ", "", "_", "-"]), rng.randrange(3))
        assert (_FIRST_PERSON_RE.search(text) is None) == (
            plain_first_person.search(text) is None
        ), text
        assert [m.span() for m in _NAME_RE.finditer(text)] == [
            m.span() for m in plain_name.finditer(text)
        ], text


def test_character_repairs_skip_only_texts_they_would_not_change() -> None:
    samples = [*EUC_JP_DAMAGE, "&amp;", "&nbsp", "Ã©", "â€™", "\u00ad", "\u200b", "\x9d", "x"]
    samples += ["é", "Ã", "ô", "\u00a0", "©", "€"]  # a lead alone, or before a continuation
    rng = random.Random(4)
    for _ in range(3000):
        text = "".join(rng.choice([*samples, " ", "a", "中", "2013"]) for _ in range(8))
        slow = text
        slow_counts: dict[str, int] = {}
        for _ in range(8):
            before = slow
            slow = unescape_entities(slow, slow_counts)
            slow = fix_mojibake(slow, slow_counts)
            slow = remove_invisible(fix_euc_jp(slow, slow_counts), slow_counts)
            if slow == before:
                break
        counts: dict[str, int] = {}
        assert repair_chars(text, counts) == slow, text
        assert counts == slow_counts, text
    assert _INVISIBLE_RE.search(repair_chars("a\u200bb")) is None


def test_space_normalisation_skips_only_texts_without_look_alikes() -> None:
    rng = random.Random(14)
    pieces = ["a", " ", "  ", "\t", "\xa0", "\u3000", "\u2009", "é", "中", "\n"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(10)))
        plain = re.sub(" {2,}", " ", _SPACE_LIKE_RE.sub(" ", text))
        assert normalize_spaces(text) == plain, repr(text)


def _plain_fix_euc_jp(text: str) -> tuple[str, int, int]:
    """fix_euc_jp as a loop over CJK runs: (text, stray characters, mojibake fixed)."""
    out: list[str] = []
    last = soft = fixed = 0

    def latin(ch: str) -> bool:
        return (ch.isalpha() and ord(ch) < 0x250) or ch in "0123456789"

    for match in re.finditer("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        run, start, end = match.group(0), match.start(), match.end()
        if not all(ch in EUC_JP_DAMAGE for ch in run):
            continue
        year = len(run) == 1 and re.match(r" \d{4}\b", text[end : end + 6])
        before = start > 0 and latin(text[start - 1])
        if not (before or (end < len(text) and latin(text[end])) or year):
            continue
        restored = "".join(EUC_JP_DAMAGE[ch] for ch in run)
        out += (text[last:start], restored.replace("\u00ad", ""))
        last = end
        soft += restored.count("\u00ad")
        fixed += len(run) - restored.count("\u00ad")
    return "".join([*out, text[last:]]), soft, fixed


def test_euc_jp_repair_equals_the_loop_over_cjk_runs() -> None:
    pieces = [
        *EUC_JP_DAMAGE,
        "足",
        "足",
        "中",
        "文",
        "a",
        "É",
        "ʼ",
        "7",
        " ",
        " 2013",
        " 20134",
        ".",
    ]
    rng = random.Random(8)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        counts: dict[str, int] = {}
        repaired = fix_euc_jp(text, counts)
        expected, soft, fixed = _plain_fix_euc_jp(text)
        assert repaired == expected, text
        assert counts.get("stray_chars_removed", 0) == soft, text
        assert counts.get("mojibake_fixed", 0) == fixed, text


def test_word_before_reads_back_past_its_window() -> None:
    for text in ["", "abc", "x" * 100 + "." + "y" * 45, "é" + "a" * 50, "1" + "B" * 39]:
        for end in range(len(text) + 1):
            start = end
            while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
                start -= 1
            assert word_before(text, end) == text[start:end]


def test_word_windows_and_prefixes_agree_with_whole_texts() -> None:
    rng = random.Random(5)
    pieces = ["The", "İstanbul", "ΑΣ", "word", "x", "'s", "’", ",", " ", "  ", "5G", "_"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(40)))
        full = _words(text)
        limit = rng.randrange(1, 12)
        assert _words(text, limit) == full[: limit + 1], text
        prefix = "".join(rng.choice(pieces) for _ in range(rng.randrange(4)))
        for candidate in (text, prefix + text):
            expected = (
                candidate.translate(str.maketrans("‘’", "''")).lower().startswith(prefix.lower())
            )
            assert _starts_with_lower(candidate, prefix.lower(), len(prefix)) == expected


def _plain_lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for word in a:
        row = [0]
        for j, other in enumerate(b):
            row.append(previous[j] + 1 if word == other else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1]


def test_bit_parallel_common_subsequence_equals_the_table() -> None:
    rng = random.Random(6)
    for _ in range(5000):
        a = [rng.choice("abcde") for _ in range(rng.randrange(15))]
        b = [rng.choice("abcdef") for _ in range(rng.randrange(40))]
        assert _common_in_order(a, b) == _plain_lcs(a, b), (a, b)


def _plain_resolve(
    kinds: list[str], narrative: list[float] | None, spoken: list[float] | None
) -> list[str]:
    inf = (math.inf, math.inf)
    best: list[tuple[float, float]] = [(0.0, 0.0), inf]
    back: list[tuple[int, int]] = []
    for index, kind in enumerate(kinds):
        new = [inf, inf]
        prev_of = [0, 0]
        for state in (0, 1):
            if best[state] == inf:
                continue
            for choice in ("O", "C") if kind in "AS" else (kind,):
                target = 1 if choice == "O" else 0
                penalty = REOPEN_COST if (choice == "O" and state == 1) else 0
                penalty += STRAY_CLOSE_COST if (choice == "C" and state == 0) else 0
                if narrative and choice == "O":
                    penalty += narrative[index]
                if spoken and choice == "C":
                    penalty += spoken[index]
                cost = (best[state][0] + penalty, best[state][1] + (kind == "S" and choice == "C"))
                if cost < new[target]:
                    new[target] = cost
                    prev_of[target] = state
        best = new
        back.append((prev_of[0], prev_of[1]))
    state = 0 if best[0] <= (best[1][0] + REOPEN_COST, best[1][1]) else 1
    resolved: list[str] = []
    for index in range(len(kinds) - 1, -1, -1):
        resolved.append("O" if state == 1 else "C")
        state = back[index][state]
    return resolved[::-1]


def test_quote_resolution_equals_the_plain_search() -> None:
    rng = random.Random(7)
    costs = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 0.1]
    for _ in range(20000):
        kinds = [rng.choice("OCAS") for _ in range(rng.randrange(12))]
        narrative = [rng.choice(costs) for _ in kinds] if rng.random() < 0.7 else None
        spoken = [rng.choice(costs) for _ in kinds] if rng.random() < 0.7 else None
        expected = _plain_resolve(kinds, narrative, spoken)
        assert resolve_quotes(kinds, narrative, spoken) == expected, (kinds, narrative, spoken)
        if any(not (4 * cost).is_integer() for cost in [*(narrative or []), *(spoken or [])]):
            continue  # the real costs are multiples of 1/4: sums of them are exact
        # A forced quote (O or C) changes no choice by its costs: _Lines reads no cues for it.
        unread = [
            [0.0 if kind in "OC" else cost for kind, cost in zip(kinds, costs, strict=True)]
            if costs
            else None
            for costs in (narrative, spoken)
        ]
        assert _plain_resolve(kinds, *unread) == expected
        assert resolve_quotes(kinds, *unread) == expected


def test_tidy_fast_path_equals_split_and_join() -> None:
    rng = random.Random(15)
    pieces = ["a", "b", " ", "  ", "\n", "\t", "\xa0", "\u2028", "\x1c", "\x85", "\u3000", "é"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(8)))
        assert _tidy(text) == " ".join(text.split()), repr(text)


def test_label_words_start_every_label_after_a_quote() -> None:
    # classify_quote runs the label regex only after one of the label words.
    rng = random.Random(16)
    words = ["File photo", "File Photos", "Photo", "Photos", "Illustration", "Graphics", "x", " "]
    for _ in range(3000):
        text = "".join(rng.choice([*words, ":", '"', " :"]) for _ in range(6))
        for pos in range(len(text)):
            if _LABEL_AFTER_RE.match(text, pos):
                assert text.startswith(_LABEL_WORDS, pos), text


_Photos = list[tuple[int, str | None, str | None, str | None]]


def test_second_echo_pass_is_skipped_only_where_it_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, globaltimes_files: list[Path]
) -> None:
    # clean_body skips the echo check after the photos when they left the first paragraph as
    # the first check stopped at it: check on every article that the pass would do nothing.
    title = ""
    skipped = 0

    def extract(
        paragraphs: list[str],
    ) -> tuple[list[str], list[tuple[int, str | None, str | None, str | None]]]:
        nonlocal skipped
        kept, found = extract_photos(paragraphs)
        if kept and paragraphs and kept[0] == paragraphs[0]:
            notes: list[str] = []
            again = clean._drop_headline_echo(
                kept, clean._headline(title), lambda kind, _: notes.append(kind)
            )
            assert again == kept and not notes, title
            skipped += 1
        return kept, found

    monkeypatch.setattr(clean, "extract_photos", extract)
    raw = [(path.name, path.read_bytes()) for path in globaltimes_files]
    raw += [(a.file_name, a.raw_text.encode()) for a in generate_articles(1000, seed=17)]
    for name, content in raw:
        parsed = parse_article(name, content)
        title = parsed.title
        clean.clean_body(parsed.raw_body, title)
    assert skipped > len(raw) // 2
