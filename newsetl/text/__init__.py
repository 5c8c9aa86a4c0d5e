"""The article's text: parse a raw file, clean its body (pure functions, no I/O)."""
