"""An offline toxicity score (0..1) for comment texts, from alt-profanity-check's model.

The package ships a linear model trained on labelled toxic comments: a TF-IDF vectorizer
(unigrams, lower-cased, English stop words out, l2 norm) and five calibrated linear SVMs (the
folds of `CalibratedClassifierCV`, each with a sigmoid calibration); its probability is the mean
of the five calibrated outputs. Nothing is downloaded: the model files are in the wheel.

Why the score is not `profanity_check.predict_prob`: scikit-learn's per-call checks and sparse
set-up cost about 5 ms for one comment, twenty times the sanitizer. For one text the model is a
few dictionary look-ups and five dot products, so the model's numbers are read once per process
(the vocabulary, idf and the five weight vectors, folded together per term) and the score is
computed from them: about 30 us a comment (bench/toxicity_bench.py). The tokens come from the
vectorizer's own analyzer, and tests/moderation/test_toxicity.py checks the score against
`predict_prob` on a corpus, so the two cannot drift apart silently.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class _LinearModel:
    #: term -> (idf, idf * weight of each fold)
    terms: dict[str, tuple[float, tuple[float, ...]]]
    intercepts: tuple[float, ...]
    #: The sigmoid calibration of each fold: p = 1 / (1 + exp(a * decision + b)).
    calibration: tuple[tuple[float, float], ...]
    analyze: object


_lock = threading.Lock()
_model: _LinearModel | None = None


def _load() -> _LinearModel:
    """Read the package's model files into plain numbers (once per process, about 0.5 s)."""
    import joblib  # scikit-learn is imported here, at the first score, not at app start

    data = resources.files("profanity_check") / "data"
    with resources.as_file(data / "vectorizer.joblib") as path:
        vectorizer = joblib.load(path)
    with resources.as_file(data / "model.joblib") as path:
        model = joblib.load(path)
    folds = model.calibrated_classifiers_
    if list(model.classes_) != [0, 1] or any(fold.method != "sigmoid" for fold in folds):
        raise RuntimeError("alt-profanity-check's model is not the one this module reads")
    weights = [fold.estimator.coef_[0] for fold in folds]
    terms = {
        term: (float(idf), tuple(float(idf * weight[column]) for weight in weights))
        for term, column, idf in ((t, c, vectorizer.idf_[c])
                                  for t, c in vectorizer.vocabulary_.items())
    }
    return _LinearModel(
        terms=terms,
        intercepts=tuple(float(fold.estimator.intercept_[0]) for fold in folds),
        calibration=tuple((float(fold.calibrators[0].a_), float(fold.calibrators[0].b_))
                          for fold in folds),
        analyze=vectorizer.build_analyzer(),
    )


def _the_model() -> _LinearModel:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load()
    return _model


def warm_up() -> None:
    """Load the model now (a worker can do it before its first request)."""
    _the_model()


def score(text: str) -> float:
    """Return the probability (0..1) that `text` is toxic, as `predict_prob` would."""
    model = _the_model()
    counts: dict[str, int] = {}
    for token in model.analyze(text):
        if token in model.terms:
            counts[token] = counts.get(token, 0) + 1
    decisions = list(model.intercepts)
    if counts:
        norm = math.sqrt(sum((count * model.terms[t][0]) ** 2 for t, count in counts.items()))
        for term, count in counts.items():
            share = count / norm
            for fold, weight in enumerate(model.terms[term][1]):
                decisions[fold] += share * weight
    calibrated = [_sigmoid(a * decision + b)
                  for decision, (a, b) in zip(decisions, model.calibration, strict=True)]
    return sum(calibrated) / len(calibrated)


def _sigmoid(x: float) -> float:
    """1 / (1 + e^x), without overflow for large |x|."""
    if x >= 0:
        z = math.exp(-x)
        return z / (1.0 + z)
    return 1.0 / (1.0 + math.exp(x))
