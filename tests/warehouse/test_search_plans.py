"""The fast paths of search's macros (sql/macros/search_matches.sql, search_phrases.sql,
search_count.sql) on a small warehouse: what a search reads, from DuckDB's profile of the query
(at a million articles reading a column of every file is what makes a search slow), and that a
phrase finds the same wherever it stands in the query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bench.search_compare import profiled
from newsetl.settings import ARTICLES_TABLE, ROW_GROUP_SIZES
from newsetl.warehouse.connect import connect
from tests.conftest import loaded_warehouse, raw_text

ARTICLES = [
    ("Belt and Road forum opens", "Trade leaders gathered for the forum on the yuan."),
    ("Trade deal signed", "A trade deal that cuts tariffs, says the renminbi desk."),
    ("Road works", "The belt of the road was closed for trade."),
    ("Festival crowds", "A festival in Málaga Bay drew crowds."),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    files = {
        f"{number:03d}_{number:016x}.txt": raw_text(
            title=title, body=body, published=f"2022-0{number + 1}-10"
        )
        for number, (title, body) in enumerate(ARTICLES)
    }
    paths = loaded_warehouse(tmp_path_factory.mktemp("search_plans"), files)
    with connect(paths.warehouse_dir) as connection:
        yield connection


def parquet_scans(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The details (extra_info) of every Parquet scan in a DuckDB JSON profile (profiled)."""
    info = node.get("extra_info") or {}
    if info.get("Function") == "READ_PARQUET":
        yield info
    for child in node.get("children", []):
        yield from parquet_scans(child)


def scanned(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> dict[str, set[str]]:
    """The columns each table's Parquet scans read while `sql` ran, by table directory."""
    found: dict[str, set[str]] = {}
    for info in parquet_scans(profiled(con, sql, profile)):
        projected = info.get("Projections", [])
        columns = {projected} if isinstance(projected, str) else set(projected)
        for table in set(re.findall(r"/(\w+)/year=", str(info.get("Filename(s)", "")))):
            found.setdefault(table, set()).update(columns)
    return found


@pytest.mark.parametrize(
    "sql",
    [
        "select * from search_matches('trade deal')",
        "select * from search_matches('yuan OR renminbi -tariffs')",
        "select * from search_matches('trade', title_weight := 1)",
        "select search_count('belt road')",
    ],
)
def test_a_query_without_a_phrase_reads_no_title_or_body(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str
) -> None:
    tables = scanned(con, sql, tmp_path / "profile.json")
    assert "search_terms" in tables  # the profile was read: the postings were scanned
    assert not tables.get("articles", set()) & {"title", "body"}


@pytest.mark.parametrize(
    "sql",
    [
        "select * from search_matches('\"belt and road\"')",
        "select search_count('trade -\"trade deal\"')",
    ],
)
def test_a_phrase_reads_the_positions_of_its_words(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, sql: str
) -> None:
    # (the text check's join to articles is in the plan, for an index without positions, but
    # its other side is empty: DuckDB stops the articles scan at its first rows, 4,096 of a
    # million; tests/warehouse/test_search.py shows the text is not what decides)
    positions = scanned(con, sql, tmp_path / "profile.json")["search_positions"]
    assert {"article_id", "word", "positions"} <= positions


def found(con: duckdb.DuckDBPyConnection, query: str) -> set[str]:
    """The titles of the articles search_matches finds for a query."""
    return {
        title
        for (title,) in con.execute(
            "select title from search_matches(?) join articles using (article_id)", [query]
        ).fetchall()
    }


def test_search_phrases_reads_the_phrases_of_a_query_in_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    (patterns,) = con.execute(
        'select search_phrases(\'yuan "Belt and Road" OR Málaga-Bay -"trade" U.S.\')'
    ).fetchone() or (None,)
    assert patterns == [
        "(?:^|[^a-z0-9])belt[^a-z0-9\\x01]+and[^a-z0-9\\x01]+road(?:[^a-z0-9]|$)",
        "(?:^|[^a-z0-9])malaga[^a-z0-9\\x01]+bay(?:[^a-z0-9]|$)",
        "(?:^|[^a-z0-9])trade(?:[^a-z0-9]|$)",  # a word in quotes is found as written
    ]


# the first four phrases of a query are checked with constant patterns, the others one text at
# a time: each phrase below stands once among the first four and once after them
OTHERS = ['"zebra crossing"', '"quantum leap"', '"silver lining"', '"paper tiger"']


@pytest.mark.parametrize(
    ("phrase", "titles"),
    [
        ('"belt and road"', {"Belt and Road forum opens"}),
        ('"malaga bay"', {"Festival crowds"}),  # found in the text with accents stripped
        ('"MÁLAGA  bay"', {"Festival crowds"}),
        ('"road was closed"', {"Road works"}),
    ],
)
@pytest.mark.parametrize("place", [0, 2, 4])
def test_a_phrase_finds_the_same_wherever_it_stands_in_the_query(
    con: duckdb.DuckDBPyConnection, phrase: str, titles: set[str], place: int
) -> None:
    alternatives = [*OTHERS[:place], phrase, *OTHERS[place:]]
    assert found(con, " OR ".join(alternatives)) == titles
    assert found(con, phrase) == titles


@pytest.mark.parametrize("place", [0, 3, 4])
def test_an_excluded_phrase_excludes_wherever_it_stands(
    con: duckdb.DuckDBPyConnection, place: int
) -> None:
    excluded = [f"-{other}" for other in OTHERS]
    excluded.insert(place, '-"belt and road"')
    assert found(con, "road " + " ".join(excluded)) == {"Road works"}


# search_articles reads its best articles' rows 50 at a time, by date and id
# (sql/macros/search_articles.sql): 240 dated articles of one month, in row groups of 10, and
# two undated ones, all of them mentioning trade
DATED = 240


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    files = {
        f"{number:03d}_{number:016x}.txt": raw_text(
            title=f"Report {number}",
            body=" ".join(["Trade"] * (number % 37 + 1)) + " news.",
            published=f"2022-03-{number % 28 + 1:02d}",
        )
        for number in range(DATED)
    }
    for number in range(DATED, DATED + 2):
        files[f"{number:03d}_{number:016x}.txt"] = raw_text(
            title=f"Undated trade {number}", body="Trade trade trade trade.", published=""
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(ROW_GROUP_SIZES, ARTICLES_TABLE, 10)
        paths = loaded_warehouse(tmp_path_factory.mktemp("search_many"), files)
    with connect(paths.warehouse_dir) as connection:
        yield connection


@pytest.mark.parametrize("limit", [5, 50])
def test_the_best_articles_are_read_by_their_dates(
    many: duckdb.DuckDBPyConnection, tmp_path: Path, limit: int
) -> None:
    """The scan of articles gets the list of the best articles' dates, and skips the row groups
    (a few days each, tests/load/test_ingest.py) holding none: one join of more than 50 rows
    gets only the lowest and highest date, and reads every body (0.7 s at 1M articles)."""
    sql = f"select * from search_articles('trade', max_results := {limit})"
    # the scans reading bodies from some file (one whose join has nothing to look up reads none)
    scans = [
        str(info.get("Dynamic Filters", ""))
        for info in parquet_scans(profiled(many, sql, tmp_path / "profile.json"))
        if "body" in info.get("Projections", []) and info.get("Total Files Read") != "0"
    ]
    days = sorted(
        str(day)
        for (day,) in many.execute(f"select distinct published_date from ({sql})").fetchall()
    )
    assert len(scans) == 1
    listed = re.search(r"published_date IN \(([^)]*)\)", scans[0])
    assert listed is not None
    assert sorted(re.findall(r"'([\d-]+)'::DATE", listed.group(1))) == days


@pytest.mark.parametrize("limit", [1, 49, 50, 51, 99, 100, 101, 150, 241, 242, 300, None])
def test_every_one_of_the_best_comes_once_in_rank_order_with_its_snippet(
    many: duckdb.DuckDBPyConnection, limit: int | None
) -> None:
    best = many.execute(
        "select article_id, round(score, 4), published_date from search_matches('trade') "
        "order by score desc, published_date desc, article_id limit ?",
        [limit if limit is not None else 10**6],
    ).fetchall()
    found = many.execute(
        "select article_id, score, published_date, snippet "
        "from search_articles('trade', max_results := ?)",
        [limit],
    ).fetchall()
    assert len(best) == min(limit or DATED + 2, DATED + 2)
    # shown by the score rounded, then the newest first (undated last), then by id
    shown = sorted(best, key=lambda row: (-row[1], -(row[2] or date.min).toordinal(), row[0]))
    assert [row[:3] for row in found] == shown
    assert all("«Trade»" in row[3] for row in found)
