"""Search in news.duckdb (sql/macros/search_*.sql): the query syntax rule by rule, ranking,
snippets, counts and errors, on a warehouse of a few hand-written articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from newsetl.warehouse.build import build_database
from newsetl.warehouse.connect import connect
from tests.conftest import loaded_warehouse, raw_text

# id suffix: (title, body); each rule below names the articles it must find, and no others
ARTICLES = {
    "a1": ("Belt and Road forum opens", "Leaders gathered for the forum on the initiative."),
    "a2": ("Road works", "The belt of the road was closed, a road belt for trade."),
    "a3": ("Trade war looms", "Tariffs and more trade war talk."),
    "a4": ("Trade deal signed", "A trade deal that cuts tariffs brings peace."),
    "a5": ("Yuan rises", "The yuan rose against the dollar."),
    "a6": ("Renminbi steady", "The renminbi exchange rate held."),
    "a7": ("5G networks grow", "Huawei builds 5G in the U.S. after COVID-19 in 2022, says G20."),
    "a8": ("Festival crowds", "A festival in Málaga drew crowds, as the Élysée did."),
    "a9": ("Tell us more", "Readers wrote to us about covid and 19 other topics."),
    "a0": ("Summit", "The Belt-and-Road summit met in Málaga Bay."),
    "b1": ("Panda", "zoo news"),
    "b2": ("Zoo news", "panda"),
    # the first substring hits (Kazakhstan, PetroChina) are far from the first whole words
    "c1": (
        "Envoy",
        "Kazakhstan and PetroChina. "
        + "Steppe winds blew hard. " * 20
        + "The Kazakh envoy met China.",
    ),
    # the first word with the stem (hoping: hope) comes before the first substring hit
    "c2": (
        "Dry spell",
        "Steppe winds blew hard. " * 8 + "Farmers kept hoping. " + "Rain fell. " * 6 + "Hope.",
    ),  # US in capitals is the country, as U.S. is (a9's lower-case us is the pronoun)
    "c3": ("Envoys meet", "The US and China held US-China talks in Geneva."),
    "c4": ("Letters", "Write to us."),
    # a phrase of the title's last word and the body's first is in neither
    "c5": ("Judo Open 2031", "Zanzibar judokas won."),
    # the pronoun us at the end of a sentence, a heading after it
    "c6": ("Markets", "Nothing new for us.\n\nZinc prices climb"),
}
ID = "00000000000000{}".format


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    files = {
        f"{number:03d}_{ID(key)}.txt": raw_text(
            title=title, body=body, published=f"2022-06-{number + 1:02d}"
        )
        for number, (key, (title, body)) in enumerate(ARTICLES.items())
    }
    paths = loaded_warehouse(tmp_path_factory.mktemp("search"), files)
    with connect(paths.warehouse_dir) as connection:
        yield connection


def found(con: duckdb.DuckDBPyConnection, query: str) -> set[str]:
    """The articles (by key) search_articles finds for a query, every match."""
    rows = con.execute(
        "select article_id from search_articles(?, max_results := null)", [query]
    ).fetchall()
    return {article_id[-2:] for (article_id,) in rows}


def parsed(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[object, ...]]:
    return con.execute(
        "select clause, excluded, words, terms from search_query(?)", [query]
    ).fetchall()


# The parser, rule by rule: what search_query reads a query as.


def test_words_are_each_a_clause_of_their_own_all_required(con: duckdb.DuckDBPyConnection) -> None:
    assert parsed(con, "trade tariffs") == [
        (1, False, ["trade"], ["trade"]),
        (2, False, ["tariffs"], ["tariff"]),
    ]


def test_a_quoted_phrase_is_one_alternative_of_its_words_in_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert parsed(con, 'x9 "Belt and Road"') == [
        (1, False, ["x9"], ["x9"]),
        (2, False, ["belt", "and", "road"], ["belt", "road"]),
    ]
    # curly quotes too, and a phrase left open runs to the end
    assert (
        parsed(con, "“belt and road”")
        == parsed(con, '"belt and road')
        == parsed(con, '"belt and road"')
    )


def test_a_word_with_marks_inside_is_a_phrase(con: duckdb.DuckDBPyConnection) -> None:
    assert parsed(con, "Belt-and-Road") == parsed(con, '"belt and road"')
    assert parsed(con, "COVID-19") == [(1, False, ["covid", "19"], ["19", "covid"])]


def test_or_joins_the_words_or_phrases_on_either_side(con: duckdb.DuckDBPyConnection) -> None:
    assert parsed(con, 'yuan OR renminbi | "exchange rate" dollar') == [
        (1, False, ["yuan"], ["yuan"]),
        (1, False, ["renminbi"], ["renminbi"]),
        (1, False, ["exchange", "rate"], ["exchang", "rate"]),
        (2, False, ["dollar"], ["dollar"]),
    ]
    # lower-case or is a word (a stop word, left out); an OR with nothing to join is ignored
    assert parsed(con, "OR yuan or renminbi OR") == [
        (1, False, ["yuan"], ["yuan"]),
        (2, False, ["renminbi"], ["renminbi"]),
    ]


def test_a_minus_excludes_a_word_or_a_phrase_never_joined_by_or(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert parsed(con, 'trade -war -"trade deal" OR peace') == [
        (1, False, ["trade"], ["trade"]),
        (2, True, ["war"], ["war"]),
        (3, True, ["trade", "deal"], ["deal", "trade"]),
        (4, False, ["peace"], ["peac"]),
    ]


def test_digits_dots_case_and_accents_as_the_index_reads_them(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert [
        words for _, _, words, _ in parsed(con, "5G G20 U.S. US 2022 2.5 MÁLAGA China.The")
    ] == [
        ["5g"],
        ["g20"],
        ["u.s"],
        ["u.s"],
        ["2022"],
        ["2.5"],
        ["malaga"],
        ["china", "the"],
    ]


def test_stop_words_are_left_out_of_the_terms(con: duckdb.DuckDBPyConnection) -> None:
    assert parsed(con, "the trade of") == [(1, False, ["trade"], ["trade"])]


# The search, rule by rule: which articles a query finds.


def test_all_words_are_required(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "trade") == {"a2", "a3", "a4"}
    assert found(con, "trade tariffs") == {"a3", "a4"}


def test_a_phrase_needs_its_words_together_and_in_order(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "belt road") == {"a0", "a1", "a2"}
    assert found(con, '"belt and road"') == {"a0", "a1"}
    assert found(con, '"road belt"') == {"a2"}
    assert found(con, '"belt of road"') == set()  # the words between count too
    assert found(con, '"2031 zanzibar"') == set()
    assert found(con, '"judo open 2031"') == found(con, '"zanzibar judokas"') == {"c5"}
    assert found(con, "Belt-and-Road") == {"a0", "a1"}
    assert found(con, '"malaga bay"') == found(con, '"MÁLAGA Bay"') == {"a0"}
    # a phrase holds the words the index reads: US in capitals is U.S., lower-case us is not
    assert found(con, '"us zinc"') == {"c6"}
    assert found(con, '"U.S. zinc"') == set()


def test_a_phrase_of_stop_words_narrows_a_search(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "trade") == {"a2", "a3", "a4"}
    assert found(con, 'trade "of the"') == {"a2"}
    assert found(con, 'trade -"of the"') == {"a3", "a4"}
    assert found(con, '"and more" trade') == {"a3"}
    assert found(con, "trade -the") == found(con, "the trade") == {"a2", "a3", "a4"}
    assert found(con, 'trade "the"') == {"a2"}  # quoted, a stop word counts
    assert found(con, 'trade -"the"') == {"a3", "a4"}


def test_a_quoted_word_is_found_as_written_not_by_its_stem(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert found(con, "gather") == found(con, "gathering") == {"a1"}  # gathered
    assert found(con, '"gather"') == set()
    assert found(con, '"Gathered"') == {"a1"}
    assert found(con, 'forum -"gathering"') == {"a1"}


def test_or_finds_either(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "yuan OR renminbi") == {"a5", "a6"}
    assert found(con, "yuan OR renminbi exchange") == {"a6"}


def test_a_minus_excludes(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "trade -war") == {"a2", "a4"}
    assert found(con, 'trade -"trade war"') == {"a2", "a4"}
    # the words of an excluded phrase apart do not exclude
    assert found(con, 'trade -"war trade"') == {"a2", "a3", "a4"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("5G", {"a7"}),
        ("G20", {"a7"}),
        ("COVID-19", {"a7"}),
        ("covid", {"a7", "a9"}),
        ("U.S.", {"a7", "c3"}),
        ("US", {"a7", "c3"}),
        ("us", set()),  # the pronoun, a stop word: error, tested below
        ("US China", {"c3"}),
        ("US-China", {"c3"}),
        ('"U.S. China"', {"c3"}),
        ("2022", {"a7"}),
    ],
)
def test_words_with_digits_and_dots_are_found(
    con: duckdb.DuckDBPyConnection, query: str, expected: set[str]
) -> None:
    if not expected:
        with pytest.raises(duckdb.Error, match="only stop words"):
            found(con, query)
    else:
        assert found(con, query) == expected


def test_term_trend_reads_us_in_capitals_as_the_country(con: duckdb.DuckDBPyConnection) -> None:
    def articles(term: str) -> object:
        row = con.execute("select sum(articles) from term_trend(?)", [term]).fetchone()
        assert row is not None
        return row[0]

    # a7 (U.S.) and c3 (US), not a9 and c4 (us)
    assert articles("US") == articles("U.S.") == articles("u.s.") == 2
    assert articles("us") == 4  # any case: the pronoun's a9, c4 and c6, and c3
    # in a phrase too, through the prefilter on the words alone: c3 writes `US and China`
    assert articles("U.S. and China") == articles("US and China") == 1


def test_term_trend_reads_a_quoted_term_as_the_phrase_inside(
    con: duckdb.DuckDBPyConnection,
) -> None:
    def trend(term: str) -> tuple[object, ...]:
        row = con.execute(
            "select sum(articles), any_value(term) from term_trend(?)", [term]
        ).fetchone()
        assert row is not None
        return row

    # a1 writes `Belt and Road`; a0's `Belt-and-Road` and a2's `belt of the road` are not it
    assert trend("belt and road") == (1, "belt and road")
    for quoted in ('"belt and road"', " “belt and road” ", '"belt and road', '"trade"'):
        inside = quoted.strip().strip('"“”')
        assert trend(quoted) == trend(inside), quoted
    assert trend('"trade"')[0] == 3  # a3, a4 and a2: the word, through the term counts
    # c5: a phrase of the title's last word and the body's first is in neither
    assert trend("2031 zanzibar")[0] == 0
    assert trend("judo open 2031")[0] == trend("zanzibar judokas")[0] == 1


def test_case_and_accents_do_not_matter(con: duckdb.DuckDBPyConnection) -> None:
    assert found(con, "malaga") == found(con, "MÁLAGA") == {"a0", "a8"}
    assert found(con, "TRADE Tariffs") == {"a3", "a4"}


def test_snippets_mark_the_matched_words_accented_or_not(con: duckdb.DuckDBPyConnection) -> None:
    def snippet(query: str) -> str:
        row = con.execute("select snippet from search_articles(?)", [query]).fetchone()
        assert row is not None
        return str(row[0])

    assert snippet("malaga festival elysee") == (
        "A «festival» in «Málaga» drew crowds, as the «Élysée» did."
    )
    assert snippet("5g u.s. 2022") == (
        "Huawei builds «5G» in the «U.S.» after COVID-19 in «2022», says G20."
    )
    # centred on the first word that is marked, not on a longer word that contains it
    steppe = "Steppe winds blew hard. " * 3
    assert snippet("kazakh") == f"…{steppe}The «Kazakh» envoy met China."
    assert snippet("china -geneva") == f"…hard. {steppe[24:]}The Kazakh envoy met «China»."
    assert snippet("hope") == (
        f"…winds blew hard. {steppe[24:]}Farmers kept «hoping». {'Rain fell. ' * 6}«Hope»."
    )
    assert snippet("US") == "The «US» and China held «US»-China talks in Geneva."
    # an excluded word is not marked
    assert snippet("tariffs -war") == "A trade deal that cuts «tariffs» brings peace."


def test_a_title_match_ranks_above_a_body_match(con: duckdb.DuckDBPyConnection) -> None:
    # b1 has panda in its title, b2 in its body: the same words otherwise
    ranked = con.execute("select article_id, score from search_articles('panda')").fetchall()
    assert [article_id[-2:] for article_id, _ in ranked] == ["b1", "b2"]
    assert ranked[0][1] > ranked[1][1]
    even = con.execute(
        "select distinct score from search_articles('panda', title_weight := 1)"
    ).fetchall()
    assert len(even) == 1


def test_whole_and_fractional_arguments_are_read_as_given(con: duckdb.DuckDBPyConnection) -> None:
    def scores(sql: str) -> list[tuple[str, float]]:
        return [(row[0][-2:], row[1]) for row in con.execute(sql).fetchall()]

    assert (
        len(scores("select article_id, score from search_articles('trade', max_results := 2.0)"))
        == 2
    )
    heavier = scores("select article_id, score from search_articles('panda', title_weight := 1.5)")
    even = scores("select article_id, score from search_articles('panda', title_weight := 1)")
    assert [key for key, _ in heavier] == ["b1", "b2"]
    assert heavier[0][1] > even[0][1] and heavier[1][1] == even[1][1]


def test_max_results_null_returns_every_match_and_search_count_counts_them(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert con.execute(
        "select count(*) from search_articles('trade', max_results := 2)"
    ).fetchone() == (2,)
    assert con.execute(
        "select count(*) from search_articles('trade', max_results := null)"
    ).fetchone() == (3,)
    assert con.execute("select search_count('trade'), search_count('trade -war')").fetchone() == (
        3,
        2,
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "select * from search_articles(123)",
            "must be text, not INTEGER: put it in quotes: '123'",
        ),
        ("select search_count(2022)", "must be text, not INTEGER"),
        ("select * from search_articles('')", "the query is empty"),
        ("select * from search_articles(null)", "the query is empty"),
        ("select * from search_articles('  ')", "the query is empty"),
        ("select * from search_articles('the of and')", "only stop words"),
        ("select * from search_articles('\"to be or not to be\"')", "only stop words"),
        ("select * from search_articles('-trade')", "only words to exclude"),
        ("select * from search_articles('''')", "no letter or digit"),
        ("select * from search_articles('中国 trade')", "cannot find 中国: write them in Latin"),
        ("select search_count('trade Россия')", "cannot find Россия"),
        ("select * from search_articles('trade', max_results := -1)", "max_results := -1"),
        ("select * from search_articles('trade', max_results := 0)", "give 1 or more, or null"),
        ("select * from search_articles('nothing', max_results := 0)", "give 1 or more, or null"),
        # each argument's own message, not a Binder error or a quiet rounding
        (
            "select * from search_articles('trade', max_results := 'abc')",
            "search_articles: max_results := abc: give a whole number, 1 or more, or null",
        ),
        ("select * from search_articles('trade', max_results := 2.5)", "max_results := 2.5"),
        (
            "select * from search_articles('trade', title_weight := null)",
            "search_articles: title_weight := null: give a number, 1 or more",
        ),
        ("select * from search_articles('trade', title_weight := -5)", "title_weight := -5"),
        ("select * from search_articles('trade', title_weight := 0)", "title_weight := 0"),
        ("select * from search_articles('trade', title_weight := 0.5)", "a number, 1 or more"),
        ("select * from search_articles('trade', title_weight := 'x')", "a number, 1 or more"),
        # a score overflowed into NaN, which ranked first
        ("select * from search_articles('trade', title_weight := 1e308)", "up to 1000000"),
        ("select * from search_articles('trade', title_weight := 'inf')", "title_weight := inf"),
        ("select * from search_matches('trade', title_weight := 0.5)", "title_weight := 0.5"),
        ("select * from search_articles('zebra', title_weight := 0)", "title_weight := 0"),
        ("select * from term_trend(123)", "term_trend: the term must be text, not INTEGER"),
        ("select * from term_trend('''')", "no letter or digit"),
        ("select * from term_trend('  ')", "the term is empty"),
        # search syntax: term_trend counts one word or phrase, and says where syntax works
        ("select * from term_trend('trade OR war')", "term_trend counts one word or phrase"),
        ("select * from term_trend('trade | war')", "search_count"),
        ("select * from term_trend('-trade')", "search_articles"),
        ("select * from term_trend('trade -war')", "counts one word or phrase"),
        ('select * from term_trend(\'"trade war" "belt and road"\')', "one word or phrase"),
        ("select * from term_trend('\"trade war\" tariffs')", "one word or phrase"),
    ],
)
def test_bad_queries_get_an_error_that_says_what_to_do(
    con: duckdb.DuckDBPyConnection, sql: str, message: str
) -> None:
    with pytest.raises(duckdb.Error, match=message.replace("(", r"\(")):
        con.execute(sql).fetchall()


PHRASE_QUERIES = (
    '"belt and road"',
    '"road belt" OR "belt of the road"',
    '"belt of road"',
    '"2031 zanzibar"',
    '"judo open 2031" OR "zanzibar judokas"',
    "Belt-and-Road -forum",
    '"MÁLAGA Bay"',
    '"trade war" OR tariffs',
    'trade -"trade war"',
    '"the yuan rose" "against the dollar"',
    'trade -"of the"',
    '"gathered" OR "gather"',
)


def test_an_index_from_before_word_positions_finds_the_same_phrases_in_the_text(
    tmp_path: Path,
) -> None:
    """A build over an index a load wrote before DERIVED_VERSION 5 (no search_positions)
    checks phrases against the text: the same matches and scores as with positions."""
    files = {
        f"{number:03d}_{ID(key)}.txt": raw_text(
            title=title, body=body, published=f"2022-06-{number + 1:02d}"
        )
        for number, (key, (title, body)) in enumerate(ARTICLES.items())
    }
    paths = loaded_warehouse(tmp_path, files)
    query = "select article_id, round(score, 9) from search_articles(?, max_results := null)"

    def results() -> list[list[tuple[object, ...]]]:
        with connect(paths.warehouse_dir) as con:
            return [sorted(con.execute(query, [q]).fetchall()) for q in PHRASE_QUERIES]

    with_positions = results()
    assert all(with_positions[:2]) and not with_positions[2]
    snapshot = (paths.warehouse_dir / "current").resolve()
    for path in (snapshot / "search_positions").glob("*/*/*.parquet"):
        path.unlink()
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        assert con.sql("select count(*) from stg_search_positions").fetchone() == (0,)
    assert results() == with_positions


def test_the_index_positions_decide_a_phrase_not_the_text(tmp_path: Path) -> None:
    """With word positions in the index, a phrase is checked with them alone: articles whose
    text (here rewritten behind the index's back) no longer holds the phrase are still found."""
    texts = {"Belt and Road forum": "Leaders met.", "Summit": "The belt and road plan."}
    files = {
        f"{number:03d}_{ID(f'p{number}')}.txt": raw_text(title=t, body=b, published="2022-06-10")
        for number, (t, b) in enumerate(texts.items())
    }
    paths = loaded_warehouse(tmp_path, files)
    snapshot = (paths.warehouse_dir / "current").resolve()
    for path in (snapshot / "articles").glob("*/*/*.parquet"):
        table = pq.read_table(path)
        for column in ("title", "body"):
            rewritten = pc.replace_substring_regex(table[column], "(?i)belt and road", "x")
            table = table.set_column(table.schema.get_field_index(column), column, rewritten)
        path.unlink()  # a hard link shared with the snapshot: write a new file, not into it
        pq.write_table(table, path)
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        assert con.sql("select count(*) from articles where body ilike '%road%'").fetchone() == (0,)
        assert con.sql("select search_count('\"belt and road\"')").fetchone() == (2,)


def test_an_index_from_before_dates_in_search_documents_still_searches_until_the_next_load(
    tmp_path: Path,
) -> None:
    """A build over search_documents files a load wrote before DERIVED_VERSION 4 (no
    `published_date`) works: the same matches and scores, ties then in no date order."""
    texts = {"Road works": "The belt of the road was closed.", "Forum": "Belt and Road forum."}
    files = {
        f"{number:03d}_{ID(f'd{number}')}.txt": raw_text(title=t, body=b, published="2022-06-10")
        for number, (t, b) in enumerate(texts.items())
    }
    paths = loaded_warehouse(tmp_path, files)
    query = """
        select article_id, round(score, 9)
        from search_articles('belt "belt and road" OR road')
        order by all
    """
    with connect(paths.warehouse_dir) as con:
        before = con.sql(query).fetchall()
    assert len(before) == 2
    for path in (paths.warehouse_dir / "search_documents").glob("*/*/*.parquet"):
        table = pq.read_table(path)
        path.unlink()  # a hard link shared with the snapshot: write a new file, not into it
        pq.write_table(table.drop_columns(["published_date"]), path)
    build_database(paths)
    with connect(paths.warehouse_dir) as con:
        assert con.sql(query).fetchall() == before
