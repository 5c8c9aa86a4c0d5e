"""The data dictionary: `newsetl docs`, and docs/data-dictionary.md kept up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from newsetl.store.paths import resolve_paths
from newsetl.warehouse.build import build_database
from tests.conftest import ROOT

DICTIONARY = ROOT / "docs" / "data-dictionary.md"


def test_newsetl_docs_prints_every_view_and_macro(
    warehouse_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_database(resolve_paths("unused", warehouse_dir))
    assert main(["docs", "--warehouse-dir", str(warehouse_dir)]) == 0
    out = capsys.readouterr().out
    for heading in ("### `articles`", "### `authors`", "### `search_articles(query, max_results)`"):
        assert heading in out
    assert "| `snippet` | VARCHAR |" in out
    assert "| `article_id` | VARCHAR | the article's stable id" in out
    # the committed copy is what an empty warehouse's build documents
    assert DICTIONARY.read_text() == out, (
        "docs/data-dictionary.md is out of date: rebuild an empty warehouse and run "
        "`newsetl docs --warehouse-dir DIR > docs/data-dictionary.md`"
    )


def test_newsetl_docs_without_a_database_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", "--warehouse-dir", str(tmp_path)]) == 1
    assert "newsetl build" in capsys.readouterr().err
