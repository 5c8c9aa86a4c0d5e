"""Install the pinned fts extension where every DuckDB client on this machine finds it offline."""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from newsetl.store.sql import extension_path, sql_path


def install_fts() -> Path:
    """Install the fts extension of the duckdb-extension-fts wheel into DuckDB's default
    extension directory (~/.duckdb/extensions/vX.Y.Z/PLATFORM/, from $HOME); returns its path.

    DuckDB's own INSTALL from a local file, so it writes the metadata file next to it as a
    download would. Any client of the same DuckDB version (the duckdb CLI, a plain
    duckdb.connect(), DBeaver, Jupyter) then loads fts by itself the first time a query needs it
    (search_articles calls its stem()), with no network and no init file.
    """
    with duckdb.connect() as con:
        con.execute(f"force install {sql_path(extension_path('fts'))}")
        row = con.sql(
            "select install_path from duckdb_extensions() where extension_name = 'fts'"
        ).fetchone()
    assert row is not None and row[0], "DuckDB did not report where it installed fts"
    return Path(row[0])


def main(argv: list[str] | None = None) -> int:
    """`python -m newsetl.warehouse.install_fts`: what `make install` runs."""
    parser = argparse.ArgumentParser(
        description="Install the fts extension pinned in uv.lock into DuckDB's default "
        "extension directory under $HOME, so that every DuckDB "
        f"{duckdb.__version__} client on this machine searches news.duckdb offline."
    )
    parser.parse_args(argv)
    print(f"fts for DuckDB {duckdb.__version__}: {install_fts()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
