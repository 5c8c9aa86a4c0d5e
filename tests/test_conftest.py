"""The suite's own fixtures: the shared corpus is found beside the repository, or said missing."""

from __future__ import annotations

import pytest

from tests.conftest import GLOBALTIMES_RAW, ROOT, SEED, SHARED, shared_corpus


def test_the_shared_corpus_is_found_relative_to_the_repository() -> None:
    assert ROOT.parent / "shared" == SHARED
    assert shared_corpus() == GLOBALTIMES_RAW == SHARED / "corpus" / "globaltimes" / "raw"


def test_the_seed_is_read_from_the_repository() -> None:
    assert SEED.parent == ROOT / "raw"
    assert SEED.read_bytes().startswith(b"Published Time: 2022-06-20")


def test_a_missing_shared_corpus_fails_in_ci_saying_where_it_is_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI", "true")
    # BaseException: a wrong skip must fail this test, not skip it.
    with pytest.raises(BaseException) as failed:
        shared_corpus(SHARED / "corpus" / "nowhere")
    assert failed.type is pytest.fail.Exception
    assert "expected shared/corpus/nowhere beside the repository" in str(failed.value)


def test_a_missing_shared_corpus_is_skipped_with_its_place_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(BaseException) as skipped:
        shared_corpus(SHARED / "corpus" / "nowhere")
    assert skipped.type is pytest.skip.Exception
    assert "expected shared/corpus/nowhere beside the repository" in str(skipped.value)
