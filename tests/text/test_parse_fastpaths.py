"""The parser's fast paths against the plain code they replace."""

from __future__ import annotations

import random

from newsetl.text.parse import _CONTROL_RE, _count_controls, decode, split_header


def test_control_count_equals_the_regex_count() -> None:
    # The byte pre-check may only skip texts without a control character in the first 4 KiB
    # characters: a control byte anywhere in reach sends the text to the regex.
    rng = random.Random(1)
    pieces = [b"a", b" ", b"\n", b"\t", b"\x0c", b"\x01", b"\x1f", b"\x0b", "é".encode(), b"\x92"]
    pieces += ["中".encode(), "𝄞".encode(), b"\xef\xbb\xbf"]
    for _ in range(3000):
        parts = [rng.choice(pieces) for _ in range(rng.randrange(40))]
        # Long runs of wide characters put a control byte just inside or outside the reach.
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(["中", "𝄞", "a"]).encode() * 4095)
        content = b"".join(parts)
        for text in (content.decode("utf-8", "replace"), content.decode("latin-1")):
            assert _count_controls(content, text) == len(_CONTROL_RE.findall(text, 0, 4096))
    assert decode(b"x" * 20000 + b"\x01" * 9)[0].endswith("\x01")  # beyond the first 4 KiB


def _plain_body(text: str) -> str:
    """What split_header returned before it saved the copy of the body."""
    line, _, rest = text.partition("\n")
    value = line.partition(":")[2].strip()
    body = value if "\n" not in text else f"{value}\n{rest}"
    return body.strip("\n ")


def test_body_after_the_text_line_is_unchanged() -> None:
    for text in [
        "Title: T\nText: \nBody line.\n",
        "Title: T\nText:\n\n  Body  \n\n",
        "Title: T\nText: Inline start\nthen more.\n",
        "Title: T\nText: Only inline",
        "Title: T\nText:",
        "Title: T\nText: \n",
        "Title: T\nText:   \n \n",
    ]:
        text_part = text.partition("\n")[2]
        assert split_header(text)[1] == _plain_body(text_part), repr(text)
