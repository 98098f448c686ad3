"""Related posts: stored lists, kept fresh when posts change, served with one indexed query.

Every post's term vector lives in `post_terms` and its top TOP_N related posts in `related_posts`
(blog.models.related). When a post is published, edited, unpublished or deleted, `refresh_post`
or `forget_post` recompute its own list and every list it enters or leaves, in the caller's
transaction. Other posts' stored scores keep the idf of the day they were computed; `rebuild`
(`flask related rebuild`) recomputes everything from the posts' text.

Pseudo-relevance feedback (blog.services.related_model): a changed post's feedback neighbours are
recomputed with it, and so are those of the posts that had it as a neighbour (an edit may change
what it is about). The other posts keep the feedback neighbours stored at the last rebuild or at
their own last change (a neighbour deleted or unpublished since simply drops out): a new post
enters the feedback of older posts only at the next rebuild. That keeps one publish cheap; run
the rebuild regularly (e.g. nightly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from flask import current_app
from sqlalchemy import (
    CompoundSelect,
    Integer,
    bindparam,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import aliased

from blog.extensions import db
from blog.models import Post, PostStatus, PostTerms, RelatedPost, User, post_tags
from blog.services import posts as post_rules  # a cycle of modules: used at call time only
from blog.services import related_model as model
from blog.services import related_semantic, related_text
from blog.services.errors import NotFound
from blog.services.sanitize import sanitized_html_text
from blog.services.sql import HotRead

#: Length of each stored list (the API serves at most this many). A list with fewer related
#: (scored) posts is filled up to this length with the latest posts sharing a tag, then the latest
#: posts, so that every `limit` up to TOP_N gets `limit` posts whenever that many others exist.
TOP_N = 10

SIMILAR, SAME_TAG, LATEST = "similar", "same_tag", "latest"


@dataclass(frozen=True)
class RelatedItem:
    slug: str
    title: str
    score: float | None
    reason: str


def related_posts(post: Post, limit: int = 5) -> list[RelatedItem]:
    """Return up to `limit` published posts related to `post`, best first."""
    rows = db.session.execute(
        select(Post.slug, Post.title, RelatedPost.score, RelatedPost.reason)
        .join(Post, Post.id == RelatedPost.related_id)
        .where(RelatedPost.post_id == post.id, Post.status == PostStatus.PUBLISHED)
        .order_by(RelatedPost.rank)
        .limit(limit)
    )
    return [RelatedItem(*row) for row in rows]


def related_by_slug(slug: str, viewer: User | None, limit: int = 5) -> list[RelatedItem]:
    """Return the related posts of the post `slug` as `viewer` may see it, in one query.

    The post's own row (for the 404 and draft checks) and its list come in one round trip, by
    the unique slug index, the primary key (post_id, rank) of related_posts and the primary key
    of posts. Raises NotFound like blog.services.posts.get_visible_post.
    """
    rows = db.session.execute(_related_by_slug(), {"slug": slug, "limit": limit + 1}).all()
    return _related_items(rows, viewer)


def public_related_by_slug(slug: str, limit: int = 5) -> list[RelatedItem]:
    """`related_by_slug` for an anonymous reader of a published post, outside the session
    (blog.services.sql.HotRead): an anonymous article page that comes from the memo needs no
    session at all. NotFound unless the post is published."""
    return _related_items(_public_related_by_slug().rows({"slug": slug, "limit": limit + 1}),
                          None)


def _related_items(rows, viewer: User | None) -> list[RelatedItem]:
    """The list from the rows of `_related_by_slug` (the post's own row first), or NotFound
    when there is no such post or `viewer` may not see it."""
    if not rows or rows[0][6] != 0 or not post_rules.may_see(rows[0][0], rows[0][1], viewer):
        raise NotFound("No such post.")
    return [RelatedItem(*row[2:6]) for row in rows[1:]]


@cache
def _public_related_by_slug() -> HotRead:
    return HotRead(_related_by_slug())


@cache
def _related_by_slug() -> CompoundSelect:
    """Return the statement of `related_by_slug` (built once: building it costs more than
    running it): the post's own row (rank 0), then its list entries whose post is published.

    A UNION ALL of two index lookups (posts by slug; related_posts by its primary key, posts by
    theirs): a LEFT JOIN of the post to (entries JOIN published posts) would say the same, but
    SQLite materializes that nested join for every published post.
    """
    other = aliased(Post, name="related_post")
    entries = aliased(RelatedPost, name="entry")
    slug = bindparam("slug")
    own = select(Post.status, Post.author_id, null().label("slug"), null().label("title"),
                 null().label("score"), null().label("reason"),
                 literal(0, Integer).label("rank")).where(Post.slug == slug)
    listed = (
        select(null(), null(), other.slug, other.title, entries.score, entries.reason,
               entries.rank)
        .select_from(Post)
        .join(entries, entries.post_id == Post.id)
        .join(other, other.id == entries.related_id)
        .where(Post.slug == slug, other.status == PostStatus.PUBLISHED)
    )
    return union_all(own, listed).order_by(literal_column("rank")).limit(bindparam("limit"))


def refresh_post(post: Post) -> None:
    """Recompute `post`'s terms, its list, and the lists it enters or leaves (after a change).

    The feedback neighbours of `post` are recomputed, and so are those of the posts that had
    `post` as one (its words may have changed); their lists are recomputed as well.
    """
    db.session.flush()
    _store_terms([(post.id, post.title, post.body_html, post.summary)])
    corpus = _load_corpus(include=post.id)
    row = corpus.row_of[post.id]
    borrowers = {other for other, ids in corpus.feedback.items()
                 if other != post.id and post.id in ids}
    feedback = model.feedback_neighbours(
        corpus, np.array([row] + [corpus.row_of[i] for i in sorted(borrowers)]), _max_age_days()
    )
    model.expand(corpus, {**corpus.feedback, **feedback},
                 rows=[corpus.row_of[i] for i in feedback])
    _store_feedback(corpus, feedback)
    post_scores = model.scores(corpus, np.array([row]))[0]
    affected = _lists_containing(post.id) | borrowers
    if post.is_published:
        affected |= _lists_to_enter(corpus, post.id, post_scores) | _short_lists()
    affected.discard(post.id)
    rows = np.array([row] + [corpus.row_of[i] for i in affected if i in corpus.row_of])
    _replace_lists(corpus, rows)


def forget_post(post: Post) -> None:
    """Take `post` out of every list it appears in and drop its own (before it is deleted)."""
    db.session.flush()
    affected = _lists_containing(post.id)
    db.session.execute(delete(RelatedPost).where(
        (RelatedPost.post_id == post.id) | (RelatedPost.related_id == post.id)
    ))
    db.session.execute(delete(PostTerms).where(PostTerms.post_id == post.id))
    corpus = _load_corpus(exclude=post.id)
    rows = np.array([corpus.row_of[i] for i in affected if i in corpus.row_of], dtype=np.int64)
    if len(rows):
        _replace_lists(corpus, rows)


def rebuild_steps() -> int:
    """Return how many progress steps `rebuild` reports (each post is read, then ranked)."""
    return 2 * db.session.scalar(select(func.count(Post.id)))


def rebuild(progress: Callable[[int], None] | None = None, batch: int = 500) -> int:
    """Recompute every post's terms, feedback neighbours and related list; return the count."""
    db.session.flush()
    db.session.execute(delete(RelatedPost))
    db.session.execute(delete(PostTerms))
    post_ids = list(db.session.scalars(select(Post.id).order_by(Post.id)))
    for start in range(0, len(post_ids), batch):
        chunk = post_ids[start:start + batch]
        _store_terms(db.session.execute(
            select(Post.id, Post.title, Post.body_html, Post.summary).where(Post.id.in_(chunk))
        ), existing=False)
        if progress is not None:
            progress(len(chunk))
    corpus = _load_corpus(include_drafts=True)
    rows = np.arange(len(corpus))
    feedback = model.feedback_neighbours(corpus, rows, _max_age_days())
    model.expand(corpus, feedback)
    _store_feedback(corpus, feedback)
    lists = model.rank_all(corpus, TOP_N, max_age_days=_max_age_days(), progress=progress)
    _write_lists(corpus, lists)
    db.session.flush()
    return len(post_ids)


def _max_age_days() -> int:
    return int(current_app.config.get("RELATED_MAX_AGE_DAYS") or 0)


def _semantic() -> bool:
    return bool(current_app.config.get("RELATED_SEMANTIC"))


def _store_terms(posts: Iterable[tuple[int, str, str, str]], existing: bool = True) -> None:
    """Write the term vectors of (id, title, body_html, summary) `posts`, replacing old ones."""
    rows, texts = [], []
    for post_id, title, body_html, summary in posts:
        body_text = sanitized_html_text(body_html)
        term_ids, values = related_text.pack(related_text.term_counts(title, body_text, summary))
        rows.append({"post_id": post_id, "term_ids": term_ids, "counts": values})
        texts.append("\n".join((title, summary or "", body_text)))
    if _semantic():
        for row, vector in zip(rows, related_semantic.embed(texts), strict=True):
            row["embedding"] = related_semantic.pack(vector)
    if existing:
        db.session.execute(delete(PostTerms).where(PostTerms.post_id.in_([r["post_id"]
                                                                          for r in rows])))
    if rows:
        db.session.execute(insert(PostTerms), rows)


def _store_feedback(corpus: model.Corpus, feedback: dict[int, list[int]]) -> None:
    """Store the feedback neighbours of these posts and their expanded norms."""
    rows = [{"post_id": post_id, "feedback_ids": np.asarray(others, dtype="<i8").tobytes(),
             "feedback_norm": float(corpus.norms[corpus.row_of[post_id]])}
            for post_id, others in feedback.items()]
    if rows:  # ORM bulk UPDATE by primary key: one executemany
        db.session.execute(update(PostTerms), rows)


def _load_corpus(include: int | None = None, exclude: int | None = None,
                 include_drafts: bool = False) -> model.Corpus:
    """Return the model's corpus of the published posts (plus the post `include`, or drafts)."""
    visible = Post.status == PostStatus.PUBLISHED
    if include_drafts:
        visible = Post.id.is_not(None)
    if include is not None:
        visible = visible | (Post.id == include)
    if exclude is not None:
        visible = visible & (Post.id != exclude)
    tags: dict[int, list[int]] = {}
    for post_id, tag_id in db.session.execute(
        select(post_tags.c.post_id, post_tags.c.tag_id).join(Post).where(visible)
    ):
        tags.setdefault(post_id, []).append(tag_id)
    texts = []
    embedding = PostTerms.embedding if _semantic() else null()
    for (post_id, term_ids, counts, feedback_ids, norm, status, published_at,
         stored_embedding) in db.session.execute(
        select(PostTerms.post_id, PostTerms.term_ids, PostTerms.counts, PostTerms.feedback_ids,
               PostTerms.feedback_norm, Post.status, Post.published_at, embedding)
        .join(Post).where(visible).order_by(Post.id)
    ):
        ids, values = related_text.unpack(term_ids, counts)
        texts.append(model.PostText(
            post_id=post_id, term_ids=ids, counts=values, tag_ids=tags.get(post_id, ()),
            published=status == PostStatus.PUBLISHED,
            published_ts=published_at.timestamp() if published_at else float("nan"),
            feedback_ids=np.frombuffer(feedback_ids or b"", dtype="<i8"),
            feedback_norm=float("nan") if norm is None else norm,
            embedding=(None if stored_embedding is None
                       else related_semantic.unpack(stored_embedding)),
        ))
    return model.build_corpus(texts)


def _lists_containing(post_id: int) -> set[int]:
    return set(db.session.scalars(
        select(RelatedPost.post_id).where(RelatedPost.related_id == post_id)
    ))


def _short_lists() -> set[int]:
    """Return the posts whose list is shorter than TOP_N (a newly published post fills it up)."""
    listed = select(RelatedPost.post_id).group_by(RelatedPost.post_id).having(
        func.count() >= TOP_N)
    return set(db.session.scalars(
        select(Post.id).where(Post.status == PostStatus.PUBLISHED, Post.id.not_in(listed))
    ))


def _lists_to_enter(corpus: model.Corpus, post_id: int, post_scores: np.ndarray) -> set[int]:
    """Return the posts whose list `post_id` now belongs in (the score is symmetric)."""
    candidates = np.flatnonzero(post_scores >= model.MIN_SCORE)
    by_id = {int(corpus.post_ids[row]): float(post_scores[row]) for row in candidates}
    by_id.pop(post_id, None)
    if not by_id:
        return set()
    ids = list(by_id)
    full: dict[int, float] = {}
    for start in range(0, len(ids), 5000):
        full.update((other, lowest) for other, lowest in db.session.execute(
            select(RelatedPost.post_id, func.min(RelatedPost.score))
            .where(RelatedPost.post_id.in_(ids[start:start + 5000]))
            .group_by(RelatedPost.post_id)
            .having(func.count(RelatedPost.score) >= TOP_N)
        ))
    return {other for other, score in by_id.items() if score > full.get(other, -1.0)}


def _replace_lists(corpus: model.Corpus, rows: np.ndarray) -> None:
    lists = model.rank_all(corpus, TOP_N, rows=rows, max_age_days=_max_age_days())
    db.session.execute(delete(RelatedPost).where(RelatedPost.post_id.in_(list(lists))))
    _write_lists(corpus, lists)
    db.session.flush()


def _write_lists(corpus: model.Corpus, lists: dict[int, list[tuple[int, float]]]) -> None:
    """Insert the ranked `lists`, filling up the short ones."""
    filler = _FillUp(corpus)
    rows = []
    for post_id, scored in lists.items():
        entries = [(related_id, score, SIMILAR) for related_id, score in scored]
        if len(entries) < TOP_N:
            entries += filler.entries(post_id, {related_id for related_id, _ in scored},
                                      TOP_N - len(entries))
        rows.extend(
            {"post_id": post_id, "rank": rank, "related_id": related_id, "score": score,
             "reason": reason}
            for rank, (related_id, score, reason) in enumerate(entries, start=1)
        )
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(RelatedPost), rows[start:start + 10_000])


class _FillUp:
    """The latest published posts, overall and per tag, for lists short of related posts."""

    def __init__(self, corpus: model.Corpus) -> None:
        order = np.argsort(-np.nan_to_num(corpus.published_ts, nan=-np.inf), kind="stable")
        self.corpus = corpus
        self.latest = [int(row) for row in order if corpus.published[row]]
        self.by_tag: dict[int, list[int]] = {}
        tags = corpus.tags.tocsc()
        for column in range(tags.shape[1]):
            rows = set(tags.indices[tags.indptr[column]:tags.indptr[column + 1]].tolist())
            self.by_tag[column] = [row for row in self.latest if row in rows]

    def entries(self, post_id: int, taken: set[int], count: int) -> list[tuple]:
        """Return up to `count` (post id, None, reason) fill-ups for `post_id`'s list."""
        corpus = self.corpus
        row = corpus.row_of[post_id]
        taken_rows = {corpus.row_of[i] for i in taken if i in corpus.row_of} | {row}
        tags = corpus.tags.indices[corpus.tags.indptr[row]:corpus.tags.indptr[row + 1]]
        position = {other: rank for rank, other in enumerate(self.latest)}
        sharing = sorted({other for tag in tags.tolist()
                          for other in self.by_tag[tag][:count + len(taken_rows)]},
                         key=position.__getitem__)
        found: list[tuple] = []
        for reason, others in ((SAME_TAG, sharing), (LATEST, self.latest)):
            for other in others:
                if len(found) == count:
                    return found
                if other not in taken_rows:
                    found.append((int(corpus.post_ids[other]), None, reason))
                    taken_rows.add(other)
        return found
