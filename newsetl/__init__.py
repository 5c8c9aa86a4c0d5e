"""newsetl: scraped news archive to a DuckDB warehouse."""

from newsetl.compiled import check_current

check_current()  # a compiled module older than its source would run old code
