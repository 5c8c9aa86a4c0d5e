"""Author byline splitting: one scraped `Author` value into a list of names."""

from __future__ import annotations

import functools
import re

from newsetl.text.clean import clean_text

# Bylines that name a desk or an agency, not people: kept whole even if they contain "and".
DESK_BYLINES = frozenset(
    {
        "global times",
        "global times staff",
        "global times staff reporter",
        "global times staff reporters",
        "global times reporter",
        "global times reporters",
        "gt",
        "gt staff",
        "gt staff reporter",
        "gt staff reporters",
        "gt reporters",
        "gt reporter",
        "staff reporter",
        "staff reporters",
        "agencies",
        "xinhua",
        "xinhua news agency",
        "afp",
        "ap",
        "reuters",
        "chinadaily.com.cn",
        "china daily",
        "cgtn",
        "web",
    }
)
# The scraper's placeholder for a missing value.
_PLACEHOLDERS = frozenset({"author details not found", "none", "null", "n/a", "unknown", "-"})
_BY_RE = re.compile(r"^(?:written by|by)\b\s*:?\s*", re.IGNORECASE)
# Where a reporter filed from, after the name (`Wang Qi in Beijing`, `Li Hao in New York`): the
# place's capitalised words are not part of the name the authors view counts.
_PLACE_RE = re.compile(r"\s+in(?:\s+[A-ZÀ-Þ][\w.'’-]*)+$")
_SEPARATOR_RE = re.compile(r"\s*(?:,|;|&|\|)\s*(?:and\s+)?|\s+and\s+", re.IGNORECASE)


def _strip_by(name: str) -> str:
    return _BY_RE.sub("", name).strip(" .,;:")


def split_authors(author: str | None) -> list[str]:
    """Split an `Author` value into person or desk names, in order, without duplicates.

    `Hu Yuwei, Fan Wei and Shen Sheng` gives three names; desk bylines such as `Global Times` or
    `GT staff reporters` stay whole; a place after a name is dropped (`Wang Qi in Beijing`:
    `Wang Qi`); None, "" and the scraper placeholder give [].
    """
    if not isinstance(author, str):
        return []
    return list(_split_authors(author))


# Bylines repeat across a batch (desks, the same reporters): each is split once per process.
@functools.lru_cache(maxsize=4096)
def _split_authors(author: str) -> tuple[str, ...]:
    value = _strip_by(clean_text(author))
    if not value or value.lower() in _PLACEHOLDERS:
        return ()
    if value.lower() in DESK_BYLINES:
        return (value,)
    names: list[str] = []
    for part in _SEPARATOR_RE.split(value):
        name = _PLACE_RE.sub("", _strip_by(part))
        if name and name.lower() not in _PLACEHOLDERS and name not in names:
            names.append(name)
    return tuple(names)
