"""Tests for newsetl.warehouse.explain: raw beside clean, with each repair, and honest warnings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsetl.warehouse.explain import explain

RAW = (
    "Published Time: 2022-06-20\nTitle: Dam holds\nCategory 1: NEWS; Category 2: \n"
    "Author: Global Times\nAuthor title: \nAuthor description: \nText: \n"
    "The river rose overnight.The mayor visited the 足dam.\nA truck crosses the bridge.\n"
    'Photo: VCG"It held," she said.\n'
)


def _warehouse(tmp_path: Path, raw: str) -> tuple[Path, Path]:
    raw_dir, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    raw_dir.mkdir()
    (raw_dir / "001_00000000000000aa.txt").write_text(raw, encoding="utf-8")
    part = warehouse / "articles" / "year=2022" / "month=06"
    part.mkdir(parents=True)
    table = pa.table(
        {
            "article_id": ["00000000000000aa"],
            "source_file": ["001_00000000000000aa.txt"],
            "title": ["Dam holds"],
            "body": ["stored body"],
            "content_sha256": [hashlib.sha256(raw.encode()).hexdigest()],
        }
    )
    pq.write_table(table, part / "part-0.parquet")
    return raw_dir, warehouse


def test_explain_marks_each_repair(tmp_path: Path) -> None:
    raw_dir, warehouse = _warehouse(tmp_path, RAW)
    text = explain("00000000000000aa", str(raw_dir), str(warehouse))
    assert "RAW BODY" in text and "CLEANED BODY" in text
    assert "paragraphs_split" in text and "overnight.|The mayor" in text
    assert "stray_chars_removed" in text
    assert "captions_extracted" in text and "'VCG'" in text
    assert "WARNING" not in text


def test_explain_shows_where_each_caption_starts(tmp_path: Path) -> None:
    raw_dir, warehouse = _warehouse(tmp_path, RAW)
    text = explain("00000000000000aa", str(raw_dir), str(warehouse))
    decisions = text.split("CAPTION DECISIONS (where each caption starts, and why):\n", 1)[1]
    assert decisions.startswith(
        "  - the caption is the sentence before the credit: 'A truck crosses the bridge.' | "
        "Photo: VCG\n"
    )
    assert "kind: photo" in text


def test_explain_warns_when_raw_changed(tmp_path: Path) -> None:
    raw_dir, warehouse = _warehouse(tmp_path, RAW)
    (raw_dir / "001_00000000000000aa.txt").write_text(RAW + "More.\n", encoding="utf-8")
    assert "raw file changed since it was loaded" in explain(
        "00000000000000aa", str(raw_dir), str(warehouse)
    )


def test_explain_warns_when_raw_gone(tmp_path: Path) -> None:
    raw_dir, warehouse = _warehouse(tmp_path, RAW)
    (raw_dir / "001_00000000000000aa.txt").unlink()
    text = explain("00000000000000aa", str(raw_dir), str(warehouse))
    assert "raw file is gone" in text and "stored body" in text


def test_explain_unknown_article(tmp_path: Path) -> None:
    raw_dir, warehouse = _warehouse(tmp_path, RAW)
    with pytest.raises(LookupError):
        explain("ffffffffffffffff", str(raw_dir), str(warehouse))
