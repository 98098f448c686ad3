"""bench/toxicity_eval.py: its counts, its reading of the data set, its use of the pipeline."""

from __future__ import annotations

import pytest

from bench.toxicity_eval import Labelled, Pipeline, evaluate, parse_collection, render, tally


def test_held_is_counted_against_the_labels():
    held = [True, True, False, False, True, False]
    positive = [True, False, True, False, True, False]

    counts = tally(held, positive)

    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (2, 1, 1, 2)
    assert counts.held == 3
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(2 / 3)
    assert counts.good_held_share == pytest.approx(1 / 3)


def test_nothing_held_has_no_precision_and_no_recall_gained():
    counts = tally([False, False, False], [True, False, False])

    assert counts.precision is None and counts.f1 is None
    assert counts.recall == 0
    assert counts.good_held_share == 0
    with pytest.raises(ValueError):
        tally([True], [True, False])


def test_the_collection_is_read_once_per_distinct_message():
    text = "ham\tSee you at 6\nspam\tWIN a prize! Call now\n\nham\t See you at 6 \nham\tOk\n"

    data = parse_collection(text)

    assert data == [Labelled("See you at 6", False), Labelled("WIN a prize! Call now", True),
                    Labelled("Ok", False)]
    with pytest.raises(ValueError):
        parse_collection("toxic\tsomething")


def test_rows_come_from_the_pipelines_own_decisions():
    data = [
        Labelled("Thanks, a clear and fair piece.", False),
        Labelled("Good point, I had not thought of the costs.", False),
        Labelled("Fuck you, you stupid bitch.", False),  # "good" = not spam, as in the set
        Labelled("Cheap pills at a.com b.com c.com", True),
        Labelled("Call now to win a prize", True),
    ]
    pipeline = Pipeline(approved=3)
    try:
        rows, _ = evaluate(pipeline, data, default=0.9, thresholds=())
    finally:
        pipeline.close()

    rules, score = rows
    assert rules.label == "rules alone"
    assert (rules.counts.tp, rules.counts.fp, rules.counts.fn, rules.counts.tn) == (1, 0, 1, 3)
    assert rules.good_held_by_score == 0
    assert (score.counts.tp, score.counts.fp) == (1, 1)
    assert score.good_held_by_score == 1
    table = render(rows)
    assert "| rules alone | 1 | 1.000 | 0.500 | 0.667 | 0 | 0.00 % | 0 |" in table
    assert ("| rules + score >= 0.9 (default) | 2 | 0.500 | 0.500 | 0.500 | 1 | 33.33 % | 1 |"
            in table)
