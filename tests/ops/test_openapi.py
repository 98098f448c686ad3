"""GET /api/v1/openapi.json: a valid OpenAPI 3 document covering every API route."""

from __future__ import annotations

import re
import warnings

import pytest
from openapi_spec_validator import validate

from blog import create_app
from config import TestingConfig

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def api_routes(app) -> set[tuple[str, str]]:
    """Return (OpenAPI path, method) for every route the app serves under /api/v1."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("api-docs."):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, method) for method in rule.methods - IGNORED_METHODS}
    return routes


def test_the_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_api_route_is_documented_with_its_methods(app, document):
    documented = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method.upper() not in IGNORED_METHODS and method != "parameters"
    }

    missing = api_routes(app) - documented
    assert api_routes(app), "no API route found"
    assert not missing


def test_errors_are_documented_as_problem_json(document):
    unauthorized = document["components"]["responses"]["UNAUTHORIZED"]

    assert "application/problem+json" in unauthorized["content"]


def test_the_document_builds_without_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_app(TestingConfig)

    assert [str(w.message) for w in caught if "schema" in str(w.message).lower()] == []


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def test_every_operation_lists_its_errors_without_a_catch_all(document):
    missing = []
    for path, method, operation in operations(document):
        responses = operation["responses"]
        expected = {"503"}
        if "requestBody" in operation:
            expected |= {"400", "413", "422"}
        if method in {"post", "put", "patch", "delete"}:
            expected.add("403")
        if "{" in path:
            expected.add("404")
        missing += [(method, path, status) for status in expected - set(responses)]
        assert "default" not in responses

    assert missing == []


def test_no_content_answers_have_no_body(document):
    for _path, _method, operation in operations(document):
        if "204" in operation["responses"]:
            assert "content" not in operation["responses"]["204"]
