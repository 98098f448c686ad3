"""Webhook sending: deliveries per second to endpoints that take their time to answer.

Registers `--endpoints` local receivers (real HTTP servers on loopback ports) that answer
200 after `--delay-ms`, queues `--per-endpoint` deliveries for each, and times the worker's
sender (blog.delivery.webhooks.send_due_webhooks) draining them, once one request at a time
(WEBHOOKS_CONCURRENCY=1, how it sent before) and once with the default concurrency, plus a run
where one endpoint of them is slow (`--slow-ms`) and the others answer at once. Prints
deliveries per second and how long the fast endpoints waited.

    .venv/bin/python bench/webhooks_bench.py [--endpoints 8] [--per-endpoint 25]
Without BENCH_DATABASE_URL it runs on a scratch SQLite file; on PostgreSQL in a schema of its
own, dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, insert, select  # noqa: E402

from bench.product import scratch_app  # noqa: E402
from blog.delivery import webhooks as sender  # noqa: E402
from blog.extensions import db  # noqa: E402
from blog.models import WebhookDelivery, WebhookEndpoint  # noqa: E402
from blog.services import webhooks  # noqa: E402


class SlowReceiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.finished_at: list[float] = []


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.finished_at.append(time.monotonic())

    def log_message(self, *args):
        pass


@contextmanager
def receiving(delay: float):
    server = SlowReceiver(delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def queue(endpoint_ids: list[int], per_endpoint: int) -> int:
    """Queue `per_endpoint` due deliveries for each endpoint, interleaved as events would be."""
    rows = [{"endpoint_id": endpoint_id, "event_type": "comment.created",
             "message_id": f"msg_{uuid.uuid4().hex}", "body": '{"type": "comment.created"}'}
            for _ in range(per_endpoint) for endpoint_id in endpoint_ids]
    db.session.execute(insert(WebhookDelivery), rows)
    db.session.commit()
    return len(rows)


def drain(app, concurrency: int, delays: list[float], per_endpoint: int) -> dict:
    """Send every queued delivery to receivers answering after `delays`; return the figures."""
    app.config["WEBHOOKS_CONCURRENCY"] = concurrency
    db.session.execute(delete(WebhookEndpoint))
    db.session.commit()
    with ExitStack() as stack:
        servers = [stack.enter_context(receiving(delay)) for delay in delays]
        ids = [webhooks.register_endpoint(f"http://127.0.0.1:{s.server_port}/hook",
                                          ["comment.created"], created_by=None).id
               for s in servers]
        db.session.commit()
        total = queue(ids, per_endpoint)
        start = time.monotonic()
        delivered = 0
        while delivered < total:
            done, _, failed = sender.send_due_webhooks(limit=10_000)
            assert not failed, "a receiver refused"
            delivered += done
        elapsed = time.monotonic() - start
        fast = [s for s, delay in zip(servers, delays, strict=True) if delay == min(delays)]
        fast_done = max(max(s.finished_at) for s in fast) - start
    left = db.session.scalar(select(func.count()).select_from(WebhookDelivery).where(
        WebhookDelivery.status != "delivered"))
    assert left == 0
    return {"deliveries": total, "seconds": elapsed, "per_second": total / elapsed,
            "fast_done": fast_done}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=int, default=8)
    parser.add_argument("--per-endpoint", type=int, default=25)
    parser.add_argument("--delay-ms", type=float, default=100.0)
    parser.add_argument("--slow-ms", type=float, default=2000.0)
    args = parser.parse_args()
    with scratch_app(os.environ.get("BENCH_DATABASE_URL"), WEBHOOKS_ALLOW_PRIVATE=True,
                     WEBHOOKS_TIMEOUT_SECONDS=30.0) as app:
        default = app.config["WEBHOOKS_CONCURRENCY"]
        print(f"database: {db.engine.url.get_backend_name()}, {args.endpoints} endpoints "
              f"x {args.per_endpoint} deliveries")
        even = [args.delay_ms / 1000] * args.endpoints
        one_slow = [args.slow_ms / 1000] + [0.0] * (args.endpoints - 1)
        for label, delays, per_endpoint in (
                (f"every endpoint answers in {args.delay_ms:.0f} ms", even,
                 args.per_endpoint),
                (f"one endpoint answers in {args.slow_ms:.0f} ms, the others at once",
                 one_slow, 2)):
            for concurrency in (1, default):
                figures = drain(app, concurrency, delays, per_endpoint)
                print(f"{label}, WEBHOOKS_CONCURRENCY={concurrency}: "
                      f"{figures['deliveries']} deliveries in {figures['seconds']:.2f} s "
                      f"({figures['per_second']:.1f}/s); the fastest endpoints had all "
                      f"theirs after {figures['fast_done']:.2f} s")


if __name__ == "__main__":
    main()
