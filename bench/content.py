"""The seeded content, made deterministically so the product and Isso get the same threads.

Both seeders read the same `ThreadSeed`s: the same texts, by the same authors, at the same times,
with the same reply structure (every fifth comment replies to the one before it, one level deep,
which Isso can represent too). Isso's seeder runs in Isso's own virtualenv and reads them as JSON.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

THREAD_50 = "bench-thread-50"
THREAD_1000 = "bench-thread-1000"
#: The post that the "post a comment" scenario writes to, so the measured threads never grow.
POST_TARGET = "bench-post-target"
NEIGHBOUR_COUNT = 18
#: Seeded times start here: fixed, so every run seeds byte-identical content.
EPOCH = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)

FIRST_NAMES = [
    "Amara", "Bastian", "Chiara", "Dmitri", "Elif", "Femi", "Greta", "Hiroshi", "Ines", "Jonah",
    "Kalani", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sanjay", "Tove",
]
LAST_NAMES = ["Osei", "Lindqvist", "Moreau", "Petrova", "Yilmaz", "Adeyemi", "Hartmann", "Sato"]
WORDS = " ".join((
    "the council said budget vote would delay harbour project again while residents asked why "
    "nobody had read report before meeting energy prices rose sharply last winter and many small "
    "firms are still paying off debt teachers union warned that class sizes keep growing in rural "
    "schools transport minister promised new rail link but gave no date for construction start "
    "local reporters found contract was signed without tender which raises serious questions about "
    "oversight data from statistics office shows wages falling behind inflation for third year "
    "hospital waiting lists are shorter than before pandemic according to health board figures "
    "this article misses context that matters most to people living near the site",
)).split()


@dataclass(frozen=True)
class Author:
    display_name: str
    email: str


@dataclass(frozen=True)
class CommentSeed:
    author: int  #: index into `authors()`
    text: str
    created: datetime
    #: Index (in the same thread) of the comment this one replies to, or None.
    parent: int | None


@dataclass
class ThreadSeed:
    slug: str
    title: str
    comments: list[CommentSeed] = field(default_factory=list)

    @property
    def uri(self) -> str:
        """The thread's URI for Isso: the path of the article page."""
        return f"/posts/{self.slug}"


def authors() -> list[Author]:
    """Return the 40 commenters shared by every seeded thread."""
    people = []
    for index in range(40):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[index % len(LAST_NAMES)]
        people.append(Author(f"{first} {last}", f"{first}.{last}.{index}@example.test".lower()))
    return people


def paragraph(rng: random.Random, low: int = 18, high: int = 45) -> str:
    """Return one paragraph of plausible comment prose, with a little of the readers' markup."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.3:
        position = rng.randrange(len(words))
        words[position] = f"**{words[position]}**"
    if rng.random() < 0.15:
        words.append(f"https://example.org/news/{rng.randint(1000, 9999)}")
    return " ".join(words).capitalize() + "."


def comment_text(rng: random.Random) -> str:
    """Return a comment of one to three paragraphs (blank lines between them)."""
    return "\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 3)))


def make_thread(slug: str, title: str, size: int) -> ThreadSeed:
    """Return a thread of `size` comments, a minute apart; every fifth one is a reply."""
    rng = random.Random(slug)
    people = len(authors())
    thread = ThreadSeed(slug, title)
    for index in range(size):
        parent = index - 1 if index % 5 == 4 else None
        created = EPOCH + timedelta(minutes=index)
        author = rng.randrange(people)
        thread.comments.append(CommentSeed(author, comment_text(rng), created, parent))
    return thread


def neighbour_slug(number: int) -> str:
    return f"bench-neighbour-{number:02d}"


def base_threads() -> list[ThreadSeed]:
    """Return every thread both products get: the two measured ones, the target, 18 neighbours.

    The neighbours make up the 20 posts of the comment-counts scenario with the two threads.
    """
    threads = [
        make_thread(THREAD_50, "Harbour project delayed again after budget vote", 50),
        make_thread(THREAD_1000, "Energy prices: what the winter bills mean for small firms", 1000),
        make_thread(POST_TARGET, "Readers respond: the rail link promise", 0),
    ]
    for number in range(1, NEIGHBOUR_COUNT + 1):
        threads.append(make_thread(neighbour_slug(number), f"Local brief number {number}",
                                   number % 7))
    return threads


def count_slugs() -> list[str]:
    """Return the 20 slugs of the comment-counts scenario."""
    return [THREAD_50, THREAD_1000] + [neighbour_slug(n) for n in range(1, NEIGHBOUR_COUNT + 1)]


def threads_as_json(threads: list[ThreadSeed]) -> list[dict]:
    """Return `threads` as plain data (times as POSIX seconds) for Isso's seeder."""
    people = authors()
    plain = []
    for thread in threads:
        comments = [
            {**asdict(c), "author": asdict(people[c.author]), "created": c.created.timestamp()}
            for c in thread.comments
        ]
        plain.append({"uri": thread.uri, "title": thread.title, "comments": comments})
    return plain
