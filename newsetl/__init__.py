"""newsetl: scraped news archive to a DuckDB warehouse."""
