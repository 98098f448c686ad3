"""What the toxicity score costs per comment, beside the sanitizer every comment goes through.

Run from the repository root:
    .venv/bin/python bench/toxicity_bench.py [--comments 2000]

Texts: the benchmark's own comments (bench/content.py: one to three paragraphs, some **bold**
and links). Prints microseconds per comment (median of 5 passes) for
- blog.services.toxicity.score (the model's numbers read once, a dot product per comment),
- profanity_check.predict_prob on one comment at a time (what a comment would pay calling the
  package directly), on the first 200 texts only (it is slow),
- blog.services.sanitize.render_comment (Markdown-ish to sanitized HTML, bleach),
and checks that the first two agree.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import profanity_check  # noqa: E402

from bench.content import comment_text  # noqa: E402
from blog.services import toxicity  # noqa: E402
from blog.services.sanitize import render_comment  # noqa: E402


def per_comment_us(function, texts: list[str], passes: int = 5) -> float:
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        for text in texts:
            function(text)
        times.append((time.perf_counter() - started) / len(texts) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(7)
    texts = [comment_text(rng) for _ in range(args.comments)]
    started = time.perf_counter()
    toxicity.warm_up()
    print(f"model loaded in {time.perf_counter() - started:.2f} s (once per process)")
    ours = per_comment_us(toxicity.score, texts)
    package = per_comment_us(lambda text: profanity_check.predict_prob([text]), texts[:200], 1)
    sanitizer = per_comment_us(render_comment, texts)
    worst = max(abs(toxicity.score(t) - float(profanity_check.predict_prob([t])[0]))
                for t in texts[:200])
    words = statistics.median(len(t.split()) for t in texts)
    print(f"{args.comments} comments, median {words:.0f} words")
    print(f"toxicity.score                 {ours:8.1f} us per comment")
    print(f"profanity_check.predict_prob   {package:8.1f} us per comment (one at a time)")
    print(f"sanitize.render_comment        {sanitizer:8.1f} us per comment")
    print(f"score / sanitizer: {ours / sanitizer:.2f}; largest difference from predict_prob: "
          f"{worst:.1e}")


if __name__ == "__main__":
    main()
