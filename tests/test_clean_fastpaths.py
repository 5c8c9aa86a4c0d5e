"""The cleaner's fast paths against the plain definitions they replace, on random text.

Each fast path (a regex that finds candidates, a pre-check that skips a rule, a bit-parallel
algorithm) must give exactly what the straightforward code gives: these tests compare both on
random strings drawn from the characters the rules care about.
"""

from __future__ import annotations

import math
import random
import re

from newsetl.clean import _common_in_order, _starts_with_lower, _words
from newsetl.clean_chars import (
    _INVISIBLE_RE,
    EUC_JP_DAMAGE,
    fix_euc_jp,
    fix_mojibake,
    remove_invisible,
    repair_chars,
    unescape_entities,
)
from newsetl.clean_glue import word_before
from newsetl.clean_paragraphs import _GLUE_CANDIDATE_RE, _HEADING_BREAK_RE, _sub_heading_breaks
from newsetl.clean_quotes import (
    _FIRST_PERSON_RE,
    _NAME_RE,
    REOPEN_COST,
    STRAY_CLOSE_COST,
    resolve_quotes,
)

# Letters, digits, stops, quotes, spaces and a few non-ASCII characters of each kind.
_ALPHABET = 'aAbBzZ09.?!…)( "“”’\t\u00a0\u3000éÉΣσ²İ足息中-,;:'


def _random_texts(seed: int, count: int, longest: int = 24) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(longest))) for _ in range(count)
    ]


def test_glue_candidates_cover_every_position_a_rule_can_fire_at() -> None:
    for line in _random_texts(1, 3000):
        found = {m.start() for m in _GLUE_CANDIDATE_RE.finditer(line)}
        for pos in range(1, len(line)):
            char, prev = line[pos], line[pos - 1]
            fires = (
                char in '"“”'
                or (char.isdigit() and prev in ".?!…")
                or (char.isupper() and (prev in ".?!…)" or prev.islower()))
                or (
                    char.isupper()
                    and (prev.isdigit() or prev.isupper())
                    and re.match(r"[A-Z][a-z]", line[pos : pos + 2])
                )
            )
            if fires:
                assert pos in found, (line, pos)


def test_heading_breaks_match_the_plain_substitution() -> None:
    def mark(match: re.Match[str]) -> str:
        return f"<{match.group('end')}|{match.start()}-{match.end()}>"

    for text in _random_texts(2, 5000, 40):
        assert _sub_heading_breaks(mark, text) == _HEADING_BREAK_RE.sub(mark, text), text


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
    rng = random.Random(4)
    for _ in range(3000):
        text = "".join(rng.choice([*samples, " ", "a", "中", "2013"]) for _ in range(8))
        slow = text
        for _ in range(8):
            before = slow
            slow = remove_invisible(fix_euc_jp(fix_mojibake(unescape_entities(slow))))
            if slow == before:
                break
        assert repair_chars(text) == slow, text
    assert _INVISIBLE_RE.search(repair_chars("a\u200bb")) is None


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
        if narrative is not None:
            # A quote that can only close never opens: its narrative cost is not needed.
            unread = [
                0.0 if kind == "C" else cost for kind, cost in zip(kinds, narrative, strict=True)
            ]
            assert _plain_resolve(kinds, unread, spoken) == expected
