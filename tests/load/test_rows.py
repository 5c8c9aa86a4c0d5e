"""Row building: the word count's fast path against its regex definition."""

from __future__ import annotations

import random
from pathlib import Path

from devtools.articles import generate_articles
from newsetl.load.rows import count_words, count_words_plain
from newsetl.text.clean import clean_body
from newsetl.text.parse import parse_article

# Word characters of each width (ASCII, Latin-1, above Latin-1, a digit that is no ASCII one),
# both apostrophes, the replaced wide punctuation, and separators.
_PIECES = [
    "a",
    "Z",
    "7",
    "_",
    "é",
    "ñ",
    "²",
    "µ",
    "º",
    "½",
    "中",
    "Σ",
    "٣",
    "'",
    "’",
    "‘",
    "“",
    "”",
    "—",
    "–",
    "…",
    " ",
    "  ",
    "\n",
    "\xa0",
    "-",
    ".",
    "°",
    "©",
    "×",
    "\x00",
]


def test_crafted_word_counts() -> None:
    cases = {
        "": 0,
        "   ": 0,
        "don't": 1,
        "rock'n'roll": 1,
        "a'b'c'd": 1,
        "a''b": 2,
        "'tis the season'": 3,
        "China’s": 1,
        "China’ s": 2,
        "U.S. 5.2 percent": 5,
        "well-known": 2,
        "snake_case": 1,
        "Pokémon ×2": 2,
        "李浩 said": 2,
        "x²": 1,
    }
    for text, expected in cases.items():
        assert count_words_plain(text) == expected, text
        assert count_words(text) == expected, text


def test_fast_word_count_equals_the_regex_on_random_text() -> None:
    rng = random.Random(9)
    for _ in range(20000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(16)))
        assert count_words(text) == count_words_plain(text), repr(text)


def test_fast_word_count_equals_the_regex_on_every_latin1_character() -> None:
    for code in range(256):
        char = chr(code)
        for text in (char, f"a{char}b", f"{char}'{char}", f"’{char} x{char}"):
            assert count_words(text) == count_words_plain(text), repr(text)


def test_fast_word_count_equals_the_regex_on_bodies(globaltimes_files: list[Path]) -> None:
    raw = [(path.name, path.read_bytes()) for path in globaltimes_files]
    raw += [(a.file_name, a.raw_text.encode()) for a in generate_articles(300, seed=3)]
    for name, content in raw:
        parsed = parse_article(name, content)
        for text in (parsed.raw_body, clean_body(parsed.raw_body, parsed.title).body):
            assert count_words(text) == count_words_plain(text), name
