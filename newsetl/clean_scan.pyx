# cython: language_level=3, boundscheck=False, wraparound=False
"""Compiled scans of the text cleaner: one pass over the characters where Python needs a regex.

`make install` compiles this file (Cython) in place. Each scan gives exactly what the regex it
stands for gives, and that regex stays in the Python module as the reference and the fallback:
tests/test_clean_scan.py compares the two on random text and on the corpus.
"""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ

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
