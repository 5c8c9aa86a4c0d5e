"""news.duckdb: built from sql/ over the tables, and read by analysts (connect, docs, explain)."""
