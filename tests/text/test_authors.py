"""Tests for newsetl.text.authors.split_authors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsetl.text.authors import split_authors


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Wang Qi and Bai Yunyi", ["Wang Qi", "Bai Yunyi"]),
        ("Hu Yuwei, Fan Wei and Shen Sheng", ["Hu Yuwei", "Fan Wei", "Shen Sheng"]),
        ("Hu Yuwei, Fan Wei, and Shen Sheng", ["Hu Yuwei", "Fan Wei", "Shen Sheng"]),
        ("Zhao Long & Liu Zuokui", ["Zhao Long", "Liu Zuokui"]),
        ("Li Hao; Wang Qi", ["Li Hao", "Wang Qi"]),
        ("By Li Hao", ["Li Hao"]),
        ("by Li Hao and Wang Qi", ["Li Hao", "Wang Qi"]),
        ("Chen Qingqing", ["Chen Qingqing"]),
        ("Sandra Anderson", ["Sandra Anderson"]),
        ("Wang Qi and Wang Qi", ["Wang Qi"]),
    ],
)
def test_people_are_split(author: str, expected: list[str]) -> None:
    assert split_authors(author) == expected


@pytest.mark.parametrize(
    "desk",
    ["Global Times", "Xinhua", "GT staff reporters", "GT staff", "Agencies", "Global Times staff"],
)
def test_desk_bylines_stay_whole(desk: str) -> None:
    assert split_authors(desk) == [desk]


@pytest.mark.parametrize("empty", [None, "", "   ", "Author details not found", "By "])
def test_missing_author_gives_no_names(empty: str | None) -> None:
    assert split_authors(empty) == []


def test_whitespace_and_characters_are_cleaned() -> None:
    assert split_authors("  Chen\u00a0 Qingqing \n") == ["Chen Qingqing"]
    assert split_authors("Li\u200bHao and Zhang&nbsp;San") == ["LiHao", "Zhang San"]


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Wang Qi in Beijing", ["Wang Qi"]),
        ("Yang Sheng in Hong Kong and Li Hao in New York", ["Yang Sheng", "Li Hao"]),
        ("Wang Qi in Beijing and Wang Qi", ["Wang Qi"]),
        ("Global Times reporter in Beijing", ["Global Times reporter"]),
        # `in` followed by something other than a place's capitalised words stays
        ("Li Hao in collaboration", ["Li Hao in collaboration"]),
    ],
)
def test_a_place_after_a_name_is_dropped(author: str, expected: list[str]) -> None:
    assert split_authors(author) == expected


@pytest.mark.parametrize(
    "desk", ["Global Times staff reporter", "Global Times reporter", "GT staff reporter"]
)
def test_desk_bylines_in_the_singular_stay_whole(desk: str) -> None:
    assert split_authors(desk) == [desk]


def test_a_desk_among_people_is_kept() -> None:
    assert split_authors("Wang Qi and Global Times") == ["Wang Qi", "Global Times"]


@given(st.one_of(st.none(), st.text(max_size=80)))
def test_never_raises(author: str | None) -> None:
    names = split_authors(author)
    assert all(name and name == name.strip() for name in names)
    assert len(names) == len(set(names))


def test_cached_bylines_give_each_caller_its_own_list() -> None:
    names = split_authors("Wang Qi and Bai Yunyi")
    names.append("Someone Else")
    assert split_authors("Wang Qi and Bai Yunyi") == ["Wang Qi", "Bai Yunyi"]
