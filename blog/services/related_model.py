"""The relevance model of related posts: TF-IDF cosine with pseudo-relevance feedback plus tags.

score(a, b) = cos(expanded a, expanded b) + TAG_WEIGHT * cos(tags a, tags b), where
- the expanded vector of a post is its text vector plus FEEDBACK_WEIGHT times the mean text vector
  of its `feedback_size` nearest published posts (Rocchio-style pseudo-relevance feedback:
  a story borrows the topic words of the stories around it), L2-normalized. The neighbours are
  found by the score without feedback and stored with the post (`feedback_ids`), so that a
  corpus can be rebuilt without recomputing them;
- text vectors hold (1 + log tf) * idf ** IDF_POWER of the field-weighted term counts
  (blog.services.related_text), idf = log((1 + N) / (1 + df)) + 1 over the published posts, rows
  L2-normalized. A damped idf (IDF_POWER < 1) measured best on real news: full idf lets one rare
  name decide, while topic words of middling frequency are what makes posts related;
- the tag term sums, over the shared tags, (idf / idf of a tag on one post) ** 2, divided by
  sqrt(tags of a * tags of b): a tag on every post adds little, a rare one a lot.
With the optional semantic component (blog.services.related_semantic), the score adds
SEMANTIC_WEIGHT * max(0, cos(embedding a, embedding b)) when every post of the corpus has an
embedding; feedback neighbours and near-duplicates stay lexical.
The score is symmetric, so one column of scores also tells which other lists a post enters.
Pure numpy/scipy over arrays: no database and no Flask here, so the bench measures this very code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

#: Pseudo-relevance feedback: at most this many nearest posts, and the weight of their mean
#: vector (0 disables it). Feedback assumes the nearest posts are on the post's topic, which
#: holds only where topics have many posts: a site of fewer than FEEDBACK_MIN_POSTS published
#: posts gets none, a larger one a neighbour per POSTS_PER_NEIGHBOUR posts, up to 30 (from
#: 1,050 posts). With 30 on a site of 50, feedback mixed most of the site into every post and
#: ranked below plain TF-IDF on human similarity ratings. Chosen across BBC News, 20 Newsgroups
#: and Reuters at 50 to 10,000 posts (bench/related_quality.py; figures in bench/README.md).
FEEDBACK_NEIGHBOURS = 30
FEEDBACK_MIN_POSTS = 100
POSTS_PER_NEIGHBOUR = 35
FEEDBACK_WEIGHT = 2.0
#: Damping of the idf of text terms: full idf lets one rare name decide, while topic words of
#: middling frequency are what makes posts related (bench/related_quality.py: 0.5 is the best
#: across corpora and sizes; 0.25 was best on BBC News alone, by under 0.01).
IDF_POWER = 0.5
#: Weight of the tag cosine beside the text cosine (see bench/related_quality.py --tags).
TAG_WEIGHT = 0.15
#: Below this score a post is not "related"; short lists are filled up. At 0.1 (with the idf
#: at 0.5) a fifth of the places on a 50-post site went to the latest posts instead of weaker
#: but real matches: 0.05 takes those and leaves fill-ups to posts with hardly a word shared.
MIN_SCORE = 0.05
#: Weight of the sentence-embedding cosine (negative cosines count as 0), when embeddings are
#: stored. 0.5 measured best across the three corpora and sizes of bench/related_quality.py
#: (0.25 to 2.0 tried): it helps most on small sites, where words shared are few.
SEMANTIC_WEIGHT = 0.5
#: Text cosine at or above which two posts are the same story (a republished copy).
NEAR_DUPLICATE = 0.8
#: Candidates looked at per post before near-duplicates are collapsed.
POOL = 40


@dataclass
class PostText:
    """What the model needs of one post."""

    post_id: int
    term_ids: np.ndarray
    counts: np.ndarray
    tag_ids: Sequence[int] = ()
    published: bool = True
    #: Publication time as a POSIX timestamp (NaN for drafts).
    published_ts: float = float("nan")
    #: The post ids whose text feeds this post's expanded vector (see `feedback_neighbours`).
    feedback_ids: Sequence[int] = ()
    #: The norm of that expanded vector when it was last computed (NaN: unknown).
    feedback_norm: float = float("nan")
    #: The post's normalized sentence embedding, if the semantic component made one.
    embedding: np.ndarray | None = None


@dataclass
class Corpus:
    """Weighted, normalized vectors of a set of posts; row i is post_ids[i]."""

    post_ids: np.ndarray
    published: np.ndarray
    published_ts: np.ndarray
    #: Normalized text vectors (near-duplicates and feedback neighbours are found with these).
    text: sparse.csr_matrix
    tags: sparse.csr_matrix
    row_of: dict[int, int] = field(default_factory=dict)
    #: Feedback as a matrix: row i holds FEEDBACK_WEIGHT / k at its k feedback rows.
    mix: sparse.csr_matrix | None = None
    #: The norm of each post's expanded vector (NaN: unknown).
    norms: np.ndarray | None = None
    #: The feedback post ids of each post id, as `expand` last applied them.
    feedback: dict[int, Sequence[int]] = field(default_factory=dict)
    #: Normalized sentence embeddings, row i of post_ids[i] (None: no semantic component).
    semantic: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.post_ids)


def build_corpus(posts: Sequence[PostText]) -> Corpus:
    """Return the corpus of `posts`; document frequencies count published posts only."""
    published = np.fromiter((p.published for p in posts), dtype=bool, count=len(posts))
    text = _weighted(_matrix([p.term_ids for p in posts], [p.counts for p in posts]), published,
                     IDF_POWER)
    tags = _tag_matrix([np.asarray(p.tag_ids, dtype=np.int64) for p in posts], published)
    post_ids = np.fromiter((p.post_id for p in posts), dtype=np.int64, count=len(posts))
    corpus = Corpus(
        post_ids=post_ids,
        published=published,
        published_ts=np.fromiter((p.published_ts for p in posts), dtype=float, count=len(posts)),
        text=text,
        tags=tags,
        row_of={int(post_id): row for row, post_id in enumerate(post_ids)},
        norms=np.fromiter((p.feedback_norm for p in posts), dtype=np.float32, count=len(posts)),
        semantic=_embeddings(posts),
    )
    expand(corpus, {p.post_id: p.feedback_ids for p in posts if len(p.feedback_ids)}, rows=())
    return corpus


def _embeddings(posts: Sequence[PostText]) -> np.ndarray | None:
    """Return the posts' embeddings as one matrix, or None unless every post has one (a site
    that turned the component on since its last rebuild would otherwise mix scales)."""
    if not posts or any(p.embedding is None for p in posts):
        return None
    return np.vstack([p.embedding for p in posts]).astype(np.float32, copy=False)


def expand(corpus: Corpus, feedback: dict[int, Sequence[int]],
           rows: Iterable[int] | None = None) -> None:
    """Apply `feedback` (post id -> its feedback post ids): text + FEEDBACK_WEIGHT * their mean.

    Feedback ids that are not published posts of the corpus (deleted or unpublished since) are
    ignored, so a draft's words never shape a list. The expanded vectors g = (I + mix) text are
    never materialized for the whole corpus (they are dense); `scores` uses the linear form. Their
    norms are computed for `rows` (default: every row) and for rows without a known norm; the
    others keep `corpus.norms` (stored with the posts, see blog.services.related).
    """
    corpus.feedback = {int(post_id): others for post_id, others in feedback.items()}
    mix_rows, columns = [], []
    if FEEDBACK_WEIGHT:
        for post_id, others in corpus.feedback.items():
            row = corpus.row_of.get(post_id)
            if row is None:
                continue
            kept = [corpus.row_of[o] for o in map(int, others)
                    if o in corpus.row_of and o != post_id and corpus.published[corpus.row_of[o]]]
            mix_rows += [row] * len(kept)
            columns += kept
    rows_array = np.asarray(mix_rows, dtype=np.int64)
    per_row = np.bincount(rows_array, minlength=len(corpus)).astype(np.float32)
    corpus.mix = sparse.csr_matrix(
        (FEEDBACK_WEIGHT / per_row[rows_array], (rows_array, np.asarray(columns, dtype=np.int64))),
        shape=(len(corpus), len(corpus)), dtype=np.float32,
    )
    if corpus.norms is None or len(corpus.norms) != len(corpus):
        corpus.norms = np.full(len(corpus), np.nan, dtype=np.float32)
    todo = np.arange(len(corpus)) if rows is None else np.asarray(list(rows), dtype=np.int64)
    todo = np.union1d(todo, np.flatnonzero(np.isnan(corpus.norms)))
    for start in range(0, len(todo), 512):
        chunk = todo[start:start + 512]
        grown = _expanded(corpus, chunk)
        corpus.norms[chunk] = np.sqrt(np.asarray(grown.multiply(grown).sum(axis=1)).ravel())
    corpus.norms[corpus.norms == 0] = 1.0


def _expanded(corpus: Corpus, rows: np.ndarray) -> sparse.csr_matrix:
    """Return the unnormalized expanded vectors of `rows`."""
    return sparse.csr_matrix(corpus.text[rows] + corpus.mix[rows] @ corpus.text)


def feedback_neighbours(corpus: Corpus, rows: np.ndarray, max_age_days: int = 0,
                        block: int = 512, progress=None) -> dict[int, list[int]]:
    """Return the `feedback_size` nearest posts (ids) of each of `rows`, by the plain score.

    Only posts that may appear in the row's list are neighbours (published, not the post itself)
    and only related ones (score >= MIN_SCORE): a post with no related posts borrows no words.
    """
    found: dict[int, list[int]] = {}
    wanted = feedback_size(int(corpus.published.sum())) if FEEDBACK_WEIGHT else 0
    if not wanted:
        return {int(corpus.post_ids[row]): [] for row in rows}
    for start in range(0, len(rows), block):
        chunk = rows[start:start + block]
        chunk_scores = plain_scores(corpus, chunk)
        for offset, row in enumerate(chunk):
            masked = np.where(eligible(corpus, int(row), max_age_days), chunk_scores[offset],
                              -np.inf)
            size = min(wanted, int(np.isfinite(masked).sum()))
            best = np.argpartition(-masked, size - 1)[:size] if size else np.zeros(0, np.int64)
            best = best[masked[best] >= MIN_SCORE]
            found[int(corpus.post_ids[row])] = corpus.post_ids[best].tolist()
        if progress is not None:
            progress(len(chunk))
    return found


def feedback_size(published: int) -> int:
    """Return how many feedback neighbours a post gets on a site of `published` posts."""
    if published < FEEDBACK_MIN_POSTS:
        return 0
    return min(FEEDBACK_NEIGHBOURS, published // POSTS_PER_NEIGHBOUR)


def _matrix(ids: list[np.ndarray], values: list[np.ndarray]) -> sparse.csr_matrix:
    """Return a CSR matrix of the (id, value) rows, ids mapped to dense column numbers."""
    lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    all_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    _, columns = np.unique(all_ids, return_inverse=True)
    data = np.concatenate(values).astype(np.float32) if values else np.zeros(0, np.float32)
    width = int(columns.max()) + 1 if len(columns) else 0
    return sparse.csr_matrix((data, columns.astype(np.int32), indptr), shape=(len(ids), width))


def _weighted(counts: sparse.csr_matrix, published: np.ndarray,
              idf_power: float) -> sparse.csr_matrix:
    """Return sublinear tf times idf ** idf_power (idf of the published rows), rows normalized."""
    matrix = counts.copy()
    matrix.data = 1.0 + np.log(np.maximum(matrix.data, 1.0), dtype=np.float32)
    df = np.bincount(counts[published].indices, minlength=counts.shape[1])
    idf = ((np.log((1.0 + published.sum()) / (1.0 + df)) + 1.0) ** idf_power).astype(np.float32)
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags((1.0 / norms).astype(np.float32)) @ matrix)


def _tag_matrix(tag_ids: list[np.ndarray], published: np.ndarray) -> sparse.csr_matrix:
    """Return rows of idf / max idf per tag, scaled by 1 / sqrt(number of tags of the post)."""
    ones = [np.ones(len(row), dtype=np.float32) for row in tag_ids]
    matrix = _matrix(tag_ids, ones)
    total = published.sum()
    df = np.bincount(matrix[published].indices, minlength=matrix.shape[1])
    idf = np.log((1.0 + total) / (1.0 + df)) + 1.0
    rarity = (idf / (np.log((1.0 + total) / 2.0) + 1.0)).astype(np.float32)
    per_post = np.maximum(np.diff(matrix.indptr), 1).astype(np.float32) ** -0.5
    return sparse.csr_matrix(sparse.diags(per_post) @ matrix @ sparse.diags(rarity))


def scores(corpus: Corpus, rows: np.ndarray) -> np.ndarray:
    """Return the dense (len(rows), len(corpus)) scores of `rows` against every post.

    cos(g_a, g_b) with g = (I + mix) text: g_a . g_b = x_b + sum_j mix[b, j] x_j where
    x = g_a . text, so only the expanded vectors of `rows` are built.
    """
    if corpus.mix is None or not corpus.mix.nnz:
        return _add_semantic(corpus, rows, plain_scores(corpus, rows))
    dots = (_expanded(corpus, rows) @ corpus.text.T).toarray()
    dots += (corpus.mix @ dots.T).T
    text = dots / corpus.norms[rows][:, None] / corpus.norms[None, :]
    return _add_semantic(corpus, rows, _add_tags(corpus, rows, text))


def plain_scores(corpus: Corpus, rows: np.ndarray) -> np.ndarray:
    """Return the scores of `rows` against every post without feedback."""
    return _add_tags(corpus, rows, (corpus.text[rows] @ corpus.text.T).toarray())


def _add_tags(corpus: Corpus, rows: np.ndarray, text: np.ndarray) -> np.ndarray:
    if corpus.tags.nnz:
        text += TAG_WEIGHT * (corpus.tags[rows] @ corpus.tags.T).toarray()
    return text


def _add_semantic(corpus: Corpus, rows: np.ndarray, scored: np.ndarray) -> np.ndarray:
    if corpus.semantic is not None:
        cosines = corpus.semantic[rows] @ corpus.semantic.T
        scored += SEMANTIC_WEIGHT * np.maximum(cosines, 0.0)
    return scored


def text_similarity(corpus: Corpus, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Return the text cosine of `rows` against `columns` (dense)."""
    return (corpus.text[rows] @ corpus.text[columns].T).toarray()


def eligible(corpus: Corpus, row: int, max_age_days: int = 0) -> np.ndarray:
    """Return the mask of posts that may appear in the list of `row`: published, not itself."""
    mask = corpus.published.copy()
    mask[row] = False
    if max_age_days and not np.isnan(corpus.published_ts[row]):
        gap = np.abs(corpus.published_ts - corpus.published_ts[row])
        mask &= gap <= max_age_days * 86400.0
    return mask


def rank(corpus: Corpus, row: int, row_scores: np.ndarray, limit: int,
         max_age_days: int = 0) -> list[tuple[int, float]]:
    """Return up to `limit` (post id, score) best first, near-duplicates collapsed.

    A candidate that is the same story as the post itself is dropped; of several candidates that
    are the same story, only the best-scored one stays.
    """
    masked = np.where(eligible(corpus, row, max_age_days), row_scores, -np.inf)
    pool_size = min(POOL, int(np.isfinite(masked).sum()))
    if pool_size == 0:
        return []
    pool = np.argpartition(-masked, pool_size - 1)[:pool_size]
    pool = pool[np.argsort(-masked[pool], kind="stable")]
    pool = pool[masked[pool] >= MIN_SCORE]
    if not len(pool):
        return []
    # Most pools hold no duplicate: look at a prefix first (the greedy choice of a position
    # depends only on the positions before it, so the result is the same as on the whole pool).
    chosen = _distinct(corpus, row, pool[:limit + 6], limit)
    if len(chosen) < limit < len(pool):
        chosen = _distinct(corpus, row, pool, limit)
    return [(int(corpus.post_ids[pool[i]]), float(masked[pool[i]])) for i in chosen]


def _distinct(corpus: Corpus, row: int, pool: np.ndarray, limit: int) -> list[int]:
    """Return the positions in `pool` kept once near-duplicates are collapsed, up to `limit`."""
    same_story = text_similarity(corpus, np.concatenate(([row], pool)), pool) >= NEAR_DUPLICATE
    chosen: list[int] = []
    for position in range(len(pool)):
        if same_story[0, position] or any(same_story[1 + kept, position] for kept in chosen):
            continue
        chosen.append(position)
        if len(chosen) == limit:
            break
    return chosen


def rank_all(corpus: Corpus, limit: int, rows: np.ndarray | None = None, max_age_days: int = 0,
             block: int = 512, progress=None) -> dict[int, list[tuple[int, float]]]:
    """Return the ranked list of every post in `rows` (default: all), computed in blocks."""
    rows = np.arange(len(corpus)) if rows is None else rows
    lists: dict[int, list[tuple[int, float]]] = {}
    for start in range(0, len(rows), block):
        chunk = rows[start:start + block]
        chunk_scores = scores(corpus, chunk)
        for offset, row in enumerate(chunk):
            lists[int(corpus.post_ids[row])] = rank(
                corpus, int(row), chunk_scores[offset], limit, max_age_days
            )
        if progress is not None:
            progress(len(chunk))
    return lists
