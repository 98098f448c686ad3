"""Optional external spam checks, behind one interface; Akismet when AKISMET_API_KEY is set.

Nothing leaves the server unless a check is configured. A check sees a new comment before it is
written and answers "spam", "ham" or, when the service cannot be asked (down, slow, refusing),
"unknown": the comment is then held for a moderator with the signal `spam_check_unavailable`,
never lost and never published unchecked (fail-open to the queue). The call is bounded by
AKISMET_TIMEOUT_SECONDS.

Akismet is spoken by the `akismet` package (its SyncClient and Config). Its API address is a
constant of the package, so the HTTP client given to it sends each request to AKISMET_API_URL
instead (default: Akismet's own): that is how the tests point it at a local server speaking
Akismet's protocol, and how a site uses an Akismet-compatible service.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Protocol

import akismet
import httpx
from flask import current_app, has_request_context, request

from blog.models import Comment, User

log = logging.getLogger(__name__)


class Verdict(enum.StrEnum):
    SPAM = "spam"
    HAM = "ham"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Submission:
    """What a check may know of a new comment and of the request that sent it."""

    comment: Comment
    author: User | None
    user_ip: str
    user_agent: str
    permalink: str


class SpamCheck(Protocol):
    name: str

    def check(self, submission: Submission) -> Verdict: ...


class _ToApiUrl(httpx.BaseTransport):
    """Send every request to `base` (scheme, host and port), keeping its path and query."""

    def __init__(self, base: str, inner: httpx.BaseTransport) -> None:
        self.base = httpx.URL(base)
        self.inner = inner

    def handle_request(self, http_request: httpx.Request) -> httpx.Response:
        http_request.url = http_request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        http_request.headers["Host"] = self.base.netloc.decode()
        return self.inner.handle_request(http_request)

    def close(self) -> None:
        self.inner.close()


class AkismetCheck:
    name = "akismet"

    def __init__(self, key: str, blog_url: str, api_url: str, timeout: float) -> None:
        transport = _ToApiUrl(api_url, httpx.HTTPTransport())
        self.client = akismet.SyncClient(
            config=akismet.Config(key=key, url=blog_url),
            http_client=httpx.Client(transport=transport, timeout=timeout,
                                     headers={"User-Agent": akismet.USER_AGENT}))

    def check(self, submission: Submission) -> Verdict:
        comment, author = submission.comment, submission.author
        try:
            answer = self.client.comment_check(
                user_ip=submission.user_ip, user_agent=submission.user_agent,
                permalink=submission.permalink, comment_type="comment",
                comment_content=comment.body,
                comment_author=author.display_name if author else "",
                comment_author_email=(author.email or "") if author else "",
            )
        except (akismet.AkismetError, httpx.HTTPError) as error:
            log.warning("Akismet could not be asked (%s); the comment waits for a moderator",
                        error)
            return Verdict.UNKNOWN
        return Verdict.HAM if answer == akismet.CheckResponse.HAM else Verdict.SPAM


_checks: dict[tuple, list[SpamCheck]] = {}


def configured_checks() -> list[SpamCheck]:
    """The checks the settings ask for (made once per process and settings)."""
    config = current_app.config
    key = (config.get("AKISMET_API_KEY"), config.get("AKISMET_API_URL"),
           config.get("AKISMET_TIMEOUT_SECONDS"), config.get("BASE_URL"))
    if key not in _checks:
        checks: list[SpamCheck] = []
        if config.get("AKISMET_API_KEY"):
            blog_url = config["BASE_URL"] or (request.host_url if has_request_context() else "")
            checks.append(AkismetCheck(config["AKISMET_API_KEY"], blog_url,
                                       config["AKISMET_API_URL"],
                                       config["AKISMET_TIMEOUT_SECONDS"]))
        _checks[key] = checks
    return _checks[key]


def verdicts(comment: Comment, author: User | None) -> dict[str, Verdict]:
    """Ask each configured check about `comment` (none configured: no call, no verdict)."""
    checks = configured_checks()
    if not checks:
        return {}
    in_request = has_request_context()
    submission = Submission(
        comment=comment, author=author,
        user_ip=(request.remote_addr or "") if in_request else "",
        user_agent=request.headers.get("User-Agent", "") if in_request else "",
        permalink=request.url if in_request else "",
    )
    return {check.name: check.check(submission) for check in checks}
