"""The words of a post for related posts: tokens, stop words, stems, and field weights.

A post becomes a bag of stemmed terms: its title counted TITLE_WEIGHT times, then its summary
and its body text. Terms are stored as 64-bit hashes (no vocabulary table to keep in sync), with
their field-weighted counts; the similarity model (blog.services.related_model) weighs them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

import numpy as np
import snowballstemmer

#: Title words count this many times a body word (BBC news bench: 2 > 3 > 1).
TITLE_WEIGHT = 2.0

#: Common English words and news boilerplate ("said", "mr") that say nothing about the story.
_STOP_WORDS = """
a about above after again against ago all almost also although am among an and another any are
around as at away back be became because been before being below between both but by can cannot
could did do does doing done down during each either else even ever every few for from further
get gets getting go goes going got had has have having he her here hers herself him himself his
how however i if in into is it its itself just last least less let like made make makes many may
me might more most mr mrs ms much must my myself near neither never no nor not now of off often
on once one only onto or other others our ours ourselves out over own per perhaps put quite rather
really said say saying says see seen several she should since so some still such than that the
their theirs them themselves then there these they this those though through thus to together
too toward towards under until up upon us use used very via was we well were what whatever when
where whether which while who whom whose why will with within without would yet you your yours
yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _term(word: str) -> str | None:
    """Return the stem of a lowercase `word`, or None for stop words and single letters."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 2 or word in STOP_WORDS:
        return None
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """Return the stemmed terms of plain `text`, in order, without stop words."""
    found = (_term(word) for word in _WORD.findall(text.lower()))
    return [term for term in found if term]


@lru_cache(maxsize=200_000)
def term_hash(term: str) -> int:
    """Return a stable signed 64-bit id of `term` (collisions are negligible at news scale)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little",
                          signed=True)


def term_counts(title: str, body_text: str, summary: str = "") -> Counter[str]:
    """Return field-weighted counts of the terms of a post's title, summary and body text."""
    counts: Counter[str] = Counter()
    for term in terms(title):
        counts[term] += TITLE_WEIGHT
    counts.update(terms(summary))
    counts.update(terms(body_text))
    return counts


def pack(counts: Counter[str]) -> tuple[bytes, bytes]:
    """Return the (term ids, counts) of `counts` as two little-endian byte strings."""
    ids = np.fromiter((term_hash(term) for term in counts), dtype="<i8", count=len(counts))
    values = np.fromiter(counts.values(), dtype="<f4", count=len(counts))
    return ids.tobytes(), values.tobytes()


def unpack(ids: bytes, values: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Return the arrays that `pack` stored."""
    return np.frombuffer(ids, dtype="<i8"), np.frombuffer(values, dtype="<f4")
