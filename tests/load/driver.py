"""A load client run as its own process: N threads post comments and cast votes over real HTTP.

Reads its plan as JSON on stdin and prints what happened as JSON on stdout. Standard library
only (http.client), so it measures the server and not a client library. Each comment is posted
with an Idempotency-Key and sent a second time with the same key, as a client that lost the
first answer would; a 503 (the database away) is retried after a pause, like any client would.

    {"base": "http://127.0.0.1:8000", "tokens": [...], "user_ids": [...], "posts": [...],
     "comments": 2000, "votes": 5000, "reply_ratio": 0.3, "seed": 1, "max_503_retries": 60}
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
from collections import Counter, deque
from urllib.parse import urlsplit

RETRYABLE = {503}


class Client:
    """One reader's keep-alive connection, re-opened whenever the server closed it."""

    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def send(self, method: str, path: str, body: dict, headers: dict | None = None):
        """Return (status, content type, parsed body); (0, "", error) when the socket failed."""
        try:
            self.connection.request(method, path, json.dumps(body),
                                    {**self.headers, **(headers or {})})
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = self._connect()
            return 0, "", repr(error)
        kind = response.getheader("Content-Type", "")
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw[:300].decode(errors="replace")
        return response.status, kind, parsed


class Run:
    def __init__(self, plan: dict) -> None:
        self.plan = plan
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.problems: list[dict] = []  # every 5xx (and 0: socket failure), with its body
        self.acknowledged: dict[str, int] = {}  # Idempotency-Key -> comment id (201)
        self.mismatched_retries: list[str] = []
        self.authors: dict[int, int] = {}  # comment id -> user id
        self.comment_ids: list[int] = []
        self.posts_of: dict[int, str] = {}  # comment id -> post slug
        self.final_votes: dict[str, int] = {}  # "user:comment" -> last value acknowledged
        self.times: list[float] = []

    def record(self, label: str, status: int, kind: str, body, elapsed: float) -> None:
        with self.lock:
            self.statuses[f"{label} {status}"] += 1
            self.times.append(elapsed)
            if status >= 500 or status == 0:
                self.problems.append({"what": label, "status": status, "type": kind,
                                      "body": body, "at": time.time()})

    def call(self, client: Client, label: str, method: str, path: str, body: dict,
             headers: dict | None = None):
        """Send until the answer is not a 503 (or retries run out); return the last answer."""
        for attempt in range(self.plan.get("max_503_retries", 0) + 1):
            started = time.perf_counter()
            status, kind, parsed = client.send(method, path, body, headers)
            self.record(label, status, kind, parsed, time.perf_counter() - started)
            if status not in RETRYABLE and status != 0:
                return status, parsed
            if attempt < self.plan.get("max_503_retries", 0):
                time.sleep(0.2)
        return status, parsed

    def worker(self, index: int) -> None:
        plan = self.plan
        rng = random.Random(plan["seed"] * 1000 + index)
        client = Client(plan["base"], plan["tokens"][index])
        user_id = plan["user_ids"][index]
        clients = len(plan["tokens"])
        comments = [i for i in range(plan["comments"]) if i % clients == index]
        votes = plan["votes"] // clients + (index < plan["votes"] % clients)
        actions = ["comment"] * len(comments) + ["vote"] * votes
        rng.shuffle(actions)
        pending = deque(actions)
        while pending:
            action = pending.popleft()
            if action == "comment":
                self.post_comment(client, rng, user_id, comments.pop())
            elif not self.cast_vote(client, rng, user_id):
                pending.append(action)  # nothing of others' to vote on yet: later
                time.sleep(0.01)

    def post_comment(self, client: Client, rng: random.Random, user_id: int, number: int) -> None:
        slug = rng.choice(self.plan["posts"])
        key = f"load-{self.plan['seed']}-{number}"
        body: dict = {"body": f"Load comment number {number} on {slug}."}
        with self.lock:
            candidates = [c for c in self.comment_ids[-200:] if self.posts_of[c] == slug]
        if candidates and rng.random() < self.plan.get("reply_ratio", 0.3):
            body["parent_id"] = rng.choice(candidates)
        path = f"/api/v1/posts/{slug}/comments"
        headers = {"Idempotency-Key": key}
        first_status, first = self.call(client, "comment", "POST", path, body, headers)
        again_status, again = self.call(client, "comment-retry", "POST", path, body, headers)
        ids = {answer["id"] for status, answer in ((first_status, first), (again_status, again))
               if status == 201}
        with self.lock:
            if len(ids) > 1:
                self.mismatched_retries.append(key)
            if ids:
                comment_id = ids.pop()
                self.acknowledged[key] = comment_id
                self.authors[comment_id] = user_id
                self.posts_of[comment_id] = slug
                self.comment_ids.append(comment_id)

    def cast_vote(self, client: Client, rng: random.Random, user_id: int) -> bool:
        """Vote on a recent comment of someone else's; False when there is none yet."""
        with self.lock:
            targets = [c for c in self.comment_ids[-300:] if self.authors[c] != user_id]
        if not targets:
            return False
        comment_id = rng.choice(targets)
        value = rng.choice([1, 1, -1, 0])
        status, answer = self.call(client, "vote", "PUT", f"/api/v1/comments/{comment_id}/vote",
                                   {"value": value})
        if status == 200:
            with self.lock:
                self.final_votes[f"{user_id}:{comment_id}"] = value
        return True

    def go(self) -> dict:
        threads = [threading.Thread(target=self.worker, args=(i,))
                   for i in range(len(self.plan["tokens"]))]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        times = sorted(self.times)
        return {
            "seconds": round(elapsed, 2),
            "requests": len(times),
            "p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
            "p99_ms": round(1000 * times[int(len(times) * 0.99)], 1) if times else None,
            "statuses": dict(self.statuses),
            "problems": self.problems,
            "acknowledged": self.acknowledged,
            "mismatched_retries": self.mismatched_retries,
            "final_votes": self.final_votes,
        }


def main() -> None:
    plan = json.load(sys.stdin)
    json.dump(Run(plan).go(), sys.stdout)


if __name__ == "__main__":
    main()
