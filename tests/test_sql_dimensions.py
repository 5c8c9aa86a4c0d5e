"""The analyst's dimensions and checks in news.duckdb: calendar, sections, authors.kind and
data_quality, on a small warehouse whose every row is known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from newsetl.load.ingest import Load
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import RawWriter, raw_text

pytestmark = pytest.mark.slow

A, B, C, D, E = (f"{n:016x}" for n in (0xA1, 0xB2, 0xC3, 0xD4, 0xE5))
OLD, NEW = 1 * 10**18, 2 * 10**18


@pytest.fixture
def con(raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter) -> duckdb.DuckDBPyConnection:
    write_raw(
        f"001_{A}.txt",
        published="2021-03-15",
        categories="CHINA; Category 2: SOCIETY",
        author="Li Hui and Xinhua",
        mtime_ns=NEW,
    )
    write_raw(
        f"002_{B}.txt",
        published="2021-03-18",
        categories="WORLD; Category 2: SOCIETY",
        author="Xinhua",
    )
    write_raw(
        f"003_{C}.txt",
        published="2021-03-18",
        categories="CHINA; Category 2: SOCIETY",
        author="GT staff reporters",
    )
    write_raw(
        f"004_{D}.txt", published="", categories="CHINA; Category 2: ECONOMY", author="Li Hui"
    )
    write_raw(
        f"005_{E}.txt",
        published="2021-03-16",
        categories="CHINA; Category 2: ",
        body="",
        author="Wang Qi",
    )
    # an older copy of A under another name: A's file wins, this one is a duplicate
    write_raw(f"copies/009_{A}.txt", published="2021-03-15", mtime_ns=OLD)
    write_raw("010_00000000000000f6.txt", b"\x00\x01 not text")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths, workers=1).run()
    build_database(paths)
    return connect(warehouse_dir)


def test_calendar_has_every_day_from_the_first_to_the_last_date(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.sql(
        "select date_day, day_of_week, day_name, week_start, iso_year, iso_week, month_start, "
        "month, quarter_start, quarter, year, articles from calendar order by date_day"
    ).fetchall()
    day = dt.date
    assert rows == [
        (day(2021, 3, 15), 1, "Monday", day(2021, 3, 15), 2021, 11, day(2021, 3, 1), 3,
         day(2021, 1, 1), 1, 2021, 1),
        (day(2021, 3, 16), 2, "Tuesday", day(2021, 3, 15), 2021, 11, day(2021, 3, 1), 3,
         day(2021, 1, 1), 1, 2021, 1),
        # a day without articles is a row, with 0
        (day(2021, 3, 17), 3, "Wednesday", day(2021, 3, 15), 2021, 11, day(2021, 3, 1), 3,
         day(2021, 1, 1), 1, 2021, 0),
        (day(2021, 3, 18), 4, "Thursday", day(2021, 3, 15), 2021, 11, day(2021, 3, 1), 3,
         day(2021, 1, 1), 1, 2021, 2),
    ]  # fmt: skip


def test_sections_count_each_pair_and_a_subsection_under_several_sections(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.sql(
        "select section, subsection, articles, undated_articles, first_published_date, "
        "last_published_date, subsection_sections from sections order by all"
    ).fetchall()
    march = dt.date(2021, 3, 15), dt.date(2021, 3, 16), dt.date(2021, 3, 18)
    assert rows == [
        ("CHINA", "ECONOMY", 1, 1, None, None, 1),
        ("CHINA", "SOCIETY", 2, 0, march[0], march[2], 2),
        ("CHINA", None, 1, 0, march[1], march[1], None),
        ("WORLD", "SOCIETY", 1, 0, march[2], march[2], 2),
    ]


def test_authors_kind_tells_people_from_agencies_and_desks(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.sql("select author, kind, articles from authors order by author").fetchall()
    assert rows == [
        ("GT staff reporters", "desk", 1),
        ("Li Hui", "person", 2),
        ("Wang Qi", "person", 1),
        ("Xinhua", "agency", 2),
    ]


def test_authors_kind_reads_labels_and_joint_bylines(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    bylines = [
        "Bloomberg",
        "Editorial",
        "Global Times - Agencies",
        "Xinhua - Global Times",
        "Source: Xinhua",
        "Global Times - GT staff reporters",
        "Wang Xiao-ming",
        # desks in the singular too, and agencies by their full names
        "Global Times staff reporter",
        "GT staff reporter",
        "Staff reporter",
        "The Associated Press",
        "AP",
        "Reuters",
        "AFP",
        # `Source:` is a label: counted with the agency's own byline
        "Xinhua",
        # a place after the name is not part of it
        "Wang Qi in Beijing",
        "Wang Qi",
    ]
    for number, author in enumerate(bylines):
        write_raw(f"{number:03d}_{number + 0xA0:016x}.txt", published="2021-03-15", author=author)
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths, workers=1).run()
    build_database(paths)
    with connect(warehouse_dir) as con:
        rows = con.sql("select author, kind, articles from authors").fetchall()
    assert {author: (kind, articles) for author, kind, articles in rows} == {
        "Bloomberg": ("agency", 1),
        "Editorial": ("desk", 1),
        "Global Times - Agencies": ("agency", 1),
        "Xinhua - Global Times": ("agency", 1),
        "Global Times - GT staff reporters": ("desk", 1),
        "Wang Xiao-ming": ("person", 1),
        "Global Times staff reporter": ("desk", 1),
        "GT staff reporter": ("desk", 1),
        "Staff reporter": ("desk", 1),
        "The Associated Press": ("agency", 1),
        "AP": ("agency", 1),
        "Reuters": ("agency", 1),
        "AFP": ("agency", 1),
        "Xinhua": ("agency", 2),
        "Wang Qi": ("person", 2),
    }
    assert len(rows) == 15  # one row a name


def test_data_quality_counts_each_case_and_lists_it(con: duckdb.DuckDBPyConnection) -> None:
    counts = con.sql("select check_name, affected, list_query from data_quality").fetchall()
    assert [(name, n) for name, n, _ in counts] == [
        ("undated_article", 1),
        ("empty_body", 1),
        ("shared_id", 2),
        ("rejected_file", 1),
    ]
    listed = {name: con.sql(query).fetchall() for name, _, query in counts}
    assert listed == {
        "undated_article": [
            ("undated_article", D, f"004_{D}.txt", "no published date in the header")
        ],
        "empty_body": [("empty_body", E, f"005_{E}.txt", "no text after the header (0 words)")],
        "shared_id": sorted(listed["shared_id"]),
        "rejected_file": [
            (
                "rejected_file",
                None,
                "010_00000000000000f6.txt",
                "binary: NUL bytes: not a text file",
            )
        ],
    }
    assert sorted((r[1], r[2], r[3].split(":")[0]) for r in listed["shared_id"]) == [
        (A, f"001_{A}.txt", "shown"),
        (A, f"copies/009_{A}.txt", "hidden"),
    ]


def test_shared_ids_say_which_file_is_shown_and_which_hide_other_content(
    raw_dir: Path, warehouse_dir: Path, write_raw: RawWriter
) -> None:
    # three files under one id: the newest is shown; a byte-for-byte copy of it hides nothing,
    # another article under the same id is hidden (the real corpus has ten under one id)
    shown = raw_text(title="Casualty of war", published="2021-03-15")
    write_raw(f"001_{A}.txt", shown.encode(), mtime_ns=NEW)
    write_raw(f"copies/001_{A}.txt", shown.encode(), mtime_ns=OLD)
    write_raw(f"002_{A}.txt", title="Another headline", published="2021-03-16", mtime_ns=OLD)
    write_raw(f"003_{B}.txt", published="2021-03-16")
    paths = resolve_paths(raw_dir, warehouse_dir)
    Load(paths, workers=1).run()
    build_database(paths)
    with connect(warehouse_dir) as con:
        description, list_query = con.sql(
            "select description, list_query from data_quality where check_name = 'shared_id'"
        ).fetchone() or ("", "")
        listed = con.sql(list_query).fetchall()
        titles = con.sql("select title from articles order by all").fetchall()
    assert "different content" in description and "not copies" in description
    assert "newest" in description and "mtime" in description
    assert sorted(listed) == [
        (
            "shared_id",
            A,
            f"001_{A}.txt",
            "shown: the newest of the 3 files with this id (by mtime, then path); 1 other "
            "holds different content, which no view shows",
        ),
        (
            "shared_id",
            A,
            f"002_{A}.txt",
            f"hidden: different content from 001_{A}.txt, which is shown as the newest "
            "(another article, or another version of it): read it in the raw file",
        ),
        (
            "shared_id",
            A,
            f"copies/001_{A}.txt",
            f"hidden: a copy of 001_{A}.txt (the same bytes): nothing is lost",
        ),
    ]
    assert titles == [("A test headline",), ("Casualty of war",)]
