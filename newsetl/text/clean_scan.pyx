# cython: language_level=3, boundscheck=False, wraparound=False
"""Typed Cython for the cleaner's and the rows' hot spots: scans over the characters, a search.

`make install` compiles this file in place. Each function gives exactly what the Python it
stands for gives (a regex, a loop, a search), which stays in its module as the reference and
the fallback: tests/text/test_clean_scan.py compares the two on random text, on every character of
the Basic Multilingual Plane where a scan reads characters one by one, and on the corpus.
"""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ


cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch)
    bint Py_UNICODE_ISPRINTABLE(Py_UCS4 ch)
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)

# The cues cue_flags finds, one bit each (newsetl.text.clean_quotes.quote_cues reads them).
ATTRIBUTION = 1  # said, says, told, added, according to
FIRST_PERSON = 2  # I, we, our, us, my, me
FIGURE = 4  # a digit
NAME = 8  # a capitalised word after a lower-case word, `,` or `;` and a space

cdef inline bint _upper(Py_UCS4 c):
    return 65 <= c <= 90


cdef inline bint _lower(Py_UCS4 c):
    return 97 <= c <= 122


cdef inline bint _digit(Py_UCS4 c):
    return 48 <= c <= 57


cdef inline bint _stop(Py_UCS4 c):
    return c == 46 or c == 63 or c == 33  # . ? !


cdef inline bint _wide(Py_UCS4 c):
    return c >= 128


def glue_candidates(str line, str never_fires) -> list:
    """The offsets clean_paragraphs._GLUE_CANDIDATE_RE matches in `line`, in order.

    Non-ASCII characters stand for any capital, digit, quote, letter or stop, as in the regex,
    except `never_fires` (clean_paragraphs._NEVER_FIRES: accents, curly apostrophes, dashes).
    """
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(line)
    cdef list found = []
    if n < 2:
        return found  # every branch needs a character before the candidate
    cdef int kind = PyUnicode_KIND(line)
    cdef void* data = PyUnicode_DATA(line)
    cdef Py_UCS4 prev = PyUnicode_READ(kind, data, 0), char, after, before_prev
    for i in range(1, n):
        char = PyUnicode_READ(kind, data, i)
        if not (_upper(char) or _digit(char) or char == 34 or _wide(char)):
            prev = char
            continue
        after = PyUnicode_READ(kind, data, i + 1) if i + 1 < n else 0
        if _upper(char) and (_stop(prev) or prev == 41 or _lower(prev) or _wide(prev)):
            found.append(i)  # a capital after a stop, `)`, a lower-case letter
        elif _digit(char) and (_stop(prev) or _wide(prev)) and (
            _upper(after)
            or (
                i >= 2
                and (
                    _upper(before_prev := PyUnicode_READ(kind, data, i - 2))
                    or _lower(before_prev)
                    or _wide(before_prev)
                )
            )
        ):
            found.append(i)  # a digit after a stop that follows a letter, or before a capital
        elif char == 34 and i + 1 < n and (
            _upper(after) or _digit(after) or after == 34 or _wide(after)
        ):
            found.append(i)  # a straight quote before a capital, a digit or a quote
        elif _wide(char) and char not in never_fires:
            found.append(i)
        elif _upper(char) and (_upper(prev) or _digit(prev)) and _lower(after):
            found.append(i)  # `NATOThe`, `2023The`
        prev = char
    return found


cdef inline bint _word(Py_UCS4 c):
    # The regex module's `\w` on str: `_` or alphanumeric (str.isalnum).
    if c < 128:
        return _upper(c) or _lower(c) or _digit(c) or c == 95
    return Py_UNICODE_ISALNUM(c)


cdef frozenset _first_person = frozenset(("I", "we", "We", "our", "Our", "us", "my", "My", "me"))
cdef frozenset _attribution = frozenset(("said", "says", "told", "added"))


def cue_flags(str text) -> int:
    """The cues of clean_quotes' regexes found in `text`, as bits: ATTRIBUTION if
    `_ATTRIBUTION_RE` matches, FIRST_PERSON `_FIRST_PERSON_RE`, FIGURE `_FIGURE_RE` (`\d`) and
    NAME `_NAME_RE`. One pass over the words: each regex `\b` is the end of a run of `\w`.
    """
    cdef Py_ssize_t i = 0, start, length, n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char, first, before
    cdef int flags = 0
    while i < n:
        char = PyUnicode_READ(kind, data, i)
        if not _word(char):
            i += 1
            continue
        start = i  # a word: the longest run of `\w` from here
        while True:
            if _digit(char) or (_wide(char) and Py_UNICODE_ISDECIMAL(char)):
                flags |= FIGURE
            i += 1
            if i == n:
                break
            char = PyUnicode_READ(kind, data, i)
            if not _word(char):
                break
        length = i - start
        first = PyUnicode_READ(kind, data, start)
        # The word is sliced only where its first letter and length allow a match.
        if length <= 3:
            if first in "IwWoOumM" and text[start:i] in _first_person:
                flags |= FIRST_PERSON
        elif length <= 5:
            if first in "sta" and text[start:i] in _attribution:
                flags |= ATTRIBUTION
        elif length == 9 and first == 97 and text[start : i + 3] == "according to":
            if i + 3 == n or not _word(PyUnicode_READ(kind, data, i + 3)):
                flags |= ATTRIBUTION
        if _upper(first) and length >= 2 and start >= 2:
            before = PyUnicode_READ(kind, data, start - 2)
            if (
                _lower(PyUnicode_READ(kind, data, start + 1))
                and PyUnicode_READ(kind, data, start - 1) == 32
                and (_lower(before) or before == 44 or before == 59)  # a-z , ;
            ):
                flags |= NAME
    return flags


def char_marks(str text, const unsigned char[:] table) -> int:
    """The bitwise or of `table[c]` over the code points `c` of `text` (0 past the table's end).

    newsetl.text.clean_chars builds the table from its regexes' character classes, one bit a class:
    one pass tells which repairs a text may need, where Python scans once per regex.
    """
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(text), size = table.shape[0]
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char
    cdef unsigned int marks = 0
    for i in range(n):
        char = PyUnicode_READ(kind, data, i)
        if char < size:
            marks |= table[char]
    return marks


def count_words(str text) -> int:
    """How many matches newsetl.load.rows' word regex, `\w+(?:['’]\w+)*`, finds in `text`.

    A match is a run of `\w` and every further run that one apostrophe joins to it: the runs,
    less the apostrophes with a `\w` on both sides.
    """
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char
    cdef bint in_word = False
    cdef Py_ssize_t words = 0
    for i in range(n):
        char = PyUnicode_READ(kind, data, i)
        if _word(char):
            if not in_word:
                words += 1
                in_word = True
        else:
            if (
                in_word
                and (char == 39 or char == 0x2019)  # ' ’
                and i + 1 < n
                and _word(PyUnicode_READ(kind, data, i + 1))
            ):
                words -= 1  # the next run joins this word
            in_word = False
    return words


def marked_offsets(str text, const unsigned char[:] table, unsigned int bit) -> list:
    """The offsets in `text` of the characters `c` whose `table[c]` has `bit` (char_marks'
    table), in order."""
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(text), size = table.shape[0]
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char
    cdef list found = []
    for i in range(n):
        char = PyUnicode_READ(kind, data, i)
        if char < size and table[char] & bit:
            found.append(i)
    return found


cdef inline bint _before(double cost_a, double moved_a, double cost_b, double moved_b):
    # (cost_a, moved_a) < (cost_b, moved_b), as Python compares tuples.
    return cost_a < cost_b or (cost_a == cost_b and moved_a < moved_b)


def resolve_quotes(
    list kinds, list narrative, list spoken, double reopen_cost, double stray_close_cost
) -> list:
    """newsetl.text.clean_quotes.resolve_quotes_by_search for `narrative` and `spoken` lists as long
    as `kinds`, with its costs: the same readings, compared and tied the same way.

    Each reading's (cost, quotes moved) is two C doubles: the costs are exact binary fractions,
    so the sums are those of the Python floats.
    """
    cdef Py_ssize_t n = len(kinds), index
    cdef double inf = float("inf")
    cdef double out_cost = 0.0, out_moved = 0.0, in_cost = inf, in_moved = inf
    cdef double new_out_cost, new_out_moved, new_in_cost, new_in_moved, cost, moved
    cdef double open_extra, close_extra, step
    cdef Py_UCS4 kind
    cdef bint opens, closes
    cdef int state
    cdef bytearray back = bytearray(2 * n)  # per quote: the state before, for state 0 and 1
    for index in range(n):
        kind = kinds[index]
        opens, closes = kind != u"C", kind != u"O"
        open_extra = narrative[index]
        close_extra = spoken[index]
        step = 1.0 if kind == u"S" else 0.0
        new_out_cost = new_out_moved = new_in_cost = new_in_moved = inf
        back[2 * index] = back[2 * index + 1] = 0
        if out_cost != inf:
            if opens:
                new_in_cost, new_in_moved = out_cost + open_extra, out_moved
            if closes:
                new_out_cost = out_cost + (stray_close_cost + close_extra)
                new_out_moved = out_moved + step
        if in_cost != inf:
            if opens:
                cost, moved = in_cost + (reopen_cost + open_extra), in_moved
                if _before(cost, moved, new_in_cost, new_in_moved):
                    new_in_cost, new_in_moved = cost, moved
                    back[2 * index + 1] = 1
            if closes:
                cost, moved = in_cost + close_extra, in_moved + step
                if _before(cost, moved, new_out_cost, new_out_moved):
                    new_out_cost, new_out_moved = cost, moved
                    back[2 * index] = 1
        out_cost, out_moved, in_cost, in_moved = (
            new_out_cost, new_out_moved, new_in_cost, new_in_moved
        )
    # Ending inside a quotation costs a reopening; ties end outside.
    state = 1 if _before(in_cost + reopen_cost, in_moved, out_cost, out_moved) else 0
    cdef list resolved = [None] * n
    for index in range(n - 1, -1, -1):
        resolved[index] = "O" if state == 1 else "C"
        state = back[2 * index + state]
    return resolved


def is_tidy(str paragraph) -> bool:
    """newsetl.text.clean.is_tidy_plain in one pass: every character printable (`str.isprintable`:
    the space is the only whitespace it takes), no two spaces in a row, none at either end."""
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(paragraph)
    cdef int kind = PyUnicode_KIND(paragraph)
    cdef void* data = PyUnicode_DATA(paragraph)
    cdef Py_UCS4 char, prev = 32  # a leading space is untidy, as after a space
    for i in range(n):
        char = PyUnicode_READ(kind, data, i)
        if char < 128:
            if char < 32 or char == 127 or (char == 32 and prev == 32):
                return False
        elif not Py_UNICODE_ISPRINTABLE(char):
            return False
        prev = char
    return n == 0 or prev != 32


def split_lines(str text) -> tuple:
    """newsetl.text.clean_paragraphs.split_lines_plain in one pass: (lines, block_first), the
    text's lines stripped, empty ones left out, and for each whether it opens a block (it is
    the first, or a line of only spaces and tabs comes before it)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0, end, first_char, last_char, i
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char
    cdef bint first = True, blank
    cdef list lines = [], block_first = []
    while start <= n:
        end = start
        while end < n and PyUnicode_READ(kind, data, end) != 10:
            end += 1
        first_char, last_char = start, end
        while first_char < last_char and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, first_char)):
            first_char += 1
        while last_char > first_char and Py_UNICODE_ISSPACE(
            PyUnicode_READ(kind, data, last_char - 1)
        ):
            last_char -= 1
        if first_char < last_char:
            lines.append(text[first_char:last_char])
            block_first.append(first)
            first = False
        else:
            blank = True  # `line.strip(" \t")` is empty
            for i in range(start, end):
                char = PyUnicode_READ(kind, data, i)
                if char != 32 and char != 9:
                    blank = False
                    break
            if blank:
                first = True
        start = end + 1
    return lines, block_first


cdef inline bint _gap(Py_UCS4 c):
    return c == 32 or c == 9 or c == 0xA0 or c == 0x3000  # space, tab, NBSP, U+3000


def hard_space_runs(str text) -> list:
    """newsetl.text.clean_spaces.hard_space_runs_by_regex in one pass: (start, end) of each
    whole run of spaces, tabs, NBSPs and U+3000s that holds an NBSP or a U+3000."""
    cdef Py_ssize_t i = 0, start, n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 char
    cdef bint hard
    cdef list found = []
    while i < n:
        if not _gap(PyUnicode_READ(kind, data, i)):
            i += 1
            continue
        start, hard = i, False
        while i < n:
            char = PyUnicode_READ(kind, data, i)
            if not _gap(char):
                break
            hard = hard or char >= 128
            i += 1
        if hard:
            found.append((start, i))
    return found
