"""gunicorn's own error answers (a request it refuses before the app sees it) as problem+json.

gunicorn answers a request line over `limit_request_line` (414), headers over their limits (431)
and unparseable requests (400) with a small HTML page written by `gunicorn.util.write_error`,
before any application code runs, and offers no setting or hook for its format. API clients of
this product expect every answer to be problem+json (RFC 9457), so `install()` replaces that one
function, with the same signature, for the gunicorn process that loads gunicorn.conf.py. The
status, reason and message stay gunicorn's; only the body's format changes.
"""

from __future__ import annotations

import json

PROBLEM_TYPE = "about:blank"


def problem_answer(status: int, reason: str, message: str) -> bytes:
    """Return a whole HTTP/1.1 response carrying `status` as problem+json."""
    body = json.dumps({"type": PROBLEM_TYPE, "title": reason, "status": status,
                       "detail": message}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


def install() -> None:
    """Make gunicorn write its error answers as problem+json."""
    from gunicorn import util

    def write_problem(sock, status_int, reason, mesg):
        util.write_nonblock(sock, problem_answer(int(status_int), reason, str(mesg)))

    util.write_error = write_problem
