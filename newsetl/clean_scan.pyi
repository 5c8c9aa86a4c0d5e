"""Types of the compiled scans in clean_scan.pyx (built by `make install`)."""

ATTRIBUTION: int
FIRST_PERSON: int
FIGURE: int
NAME: int

def glue_candidates(line: str, never_fires: str) -> list[int]: ...
def cue_flags(text: str) -> int: ...
def char_marks(text: str, table: bytes) -> int: ...
