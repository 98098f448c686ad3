"""The contract, fuzzed: schemathesis drives a live server from /api/v1/openapi.json.

Every operation of the document gets generated requests, valid ones and invalid ones, as an admin
with a bearer token (so signed-in and moderator routes are reached, without CSRF). No answer may
be a 5xx, use a status the document does not list for that operation, or contradict its schema
or content type; an invalid request must be refused with a 4xx.

FUZZ_EXAMPLES sets the examples per operation and mode (`make fuzz` runs many more, and
FUZZ_RANDOM=1 new ones each run).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from werkzeug.serving import WSGIRequestHandler, make_server

from blog.extensions import db
from blog.models import Role
from blog.services import accounts
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
#: `make fuzz` explores new inputs on each run; `make test` replays the same ones.
RANDOM = os.environ.get("FUZZ_RANDOM", "") not in ("", "0")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]
#: How an invalid request may be refused: 413 too (a generated over-long field can pass 1 MB),
#: and 414 (a generated query longer than MAX_URL_LENGTH).
REFUSALS = ["400", "401", "403", "404", "405", "409", "413", "414", "415", "422", "429"]
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}}


class ProblemRefusalsHandler(WSGIRequestHandler):
    """Werkzeug's handler, writing its own refusals as problem+json, as production's gunicorn does.

    http.server refuses a request line over 65,536 bytes with an HTML 414 before the app sees it.
    In production gunicorn refuses at GUNICORN_LIMIT_REQUEST_LINE with problem+json
    (blog/ops/gunicorn_errors.py, tested in tests/ops/test_gunicorn.py); the app itself refuses
    anything over MAX_URL_LENGTH. The test server answers like the production one, so the fuzzer
    judges the product, not the test's server. http.server escapes both fields with html.escape,
    which keeps the JSON valid.
    """

    error_content_type = "application/problem+json"
    error_message_format = (
        '{"type": "about:blank", "title": "%(message)s", "status": %(code)d, '
        '"detail": "%(explain)s"}'
    )


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 from a thread, one request at a time."""
    server = make_server("127.0.0.1", 0, app, threaded=False,
                         request_handler=ProblemRefusalsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def admin_token(app) -> str:
    """Seed posts, tags, a thread of comments and readers; return an admin's bearer token."""
    author = make_user(Role.AUTHOR, display_name="Fuzz Author")
    reader = make_user(Role.READER, display_name="Fuzz Reader")
    admin = make_user(Role.ADMIN, display_name="Fuzz Admin")
    for number, tags in enumerate((["Politics"], ["Politics", "Middle East"], ["Science"])):
        post = make_post(author, f"Fuzzed post {number}", tags=tags)
        top = make_comment(post, reader, "A first comment.", status="approved")
        make_comment(post, author, "A reply.", parent=top, status="approved")
        make_comment(post, reader, "Held for a moderator.", status="pending")
    make_post(author, "A draft", status="draft")
    token = accounts.create_api_token(admin, "fuzz")
    db.session.commit()
    return token


def fuzz_operation(operation, base_url: str, headers: dict, mode, checks,
                   counter: list[int]) -> list[str]:
    """Run EXAMPLES generated cases of `operation` in `mode`; return the failures found."""
    failures: list[str] = []
    session = requests.Session()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not RANDOM,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        counter[0] += 1
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=checks, headers=headers,
                                   transport_kwargs={"base_url": base_url})
        except (AssertionError, FailureGroup) as error:
            failures.append(f"{operation.label} [{mode.value}]: {error}")

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE
    return failures


def test_the_api_honours_its_document(live_server, admin_token):
    config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json", config=config)
    headers = {"Authorization": f"Bearer {admin_token}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    examples = [0]

    for operation in operations:
        failures += fuzz_operation(operation, live_server, headers, GenerationMode.POSITIVE,
                                   CHECKS, examples)
        failures += fuzz_operation(operation, live_server, headers, GenerationMode.NEGATIVE,
                                   NEGATIVE_CHECKS, examples)

    print(f"fuzzed {examples[0]} requests over {len(operations)} operations")
    assert len(operations) >= 39
    assert not failures, "\n\n".join(failures[:20])
