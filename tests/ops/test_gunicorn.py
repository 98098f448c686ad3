"""The shipped gunicorn.conf.py: an address too long is a 414 problem+json, whoever refuses it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.load.server import gunicorn, seed

pytestmark = pytest.mark.slow


def answer_to(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.load(error)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    url = f"sqlite:///{folder / 'blog.db'}"
    seed(url, readers=0, posts=1)
    with gunicorn(url, folder / "gunicorn.log", workers=1) as base:
        yield base


def test_an_address_over_the_apps_limit_is_the_apps_documented_414(server):
    status, content_type, problem = answer_to(f"{server}/api/v1/posts?tag={'x' * 8100}")
    assert (status, content_type) == (414, "application/problem+json")
    assert problem["detail"] == "The address is longer than 8000 characters."


def test_a_request_line_over_gunicorns_limit_is_problem_json_too(server):
    status, content_type, problem = answer_to(f"{server}/api/v1/posts?tag={'x' * 9000}")
    assert (status, content_type) == (414, "application/problem+json")
    assert problem["status"] == 414 and problem["title"] == "URI Too Long"


def test_an_ordinary_request_is_served(server):
    status, _, body = answer_to(f"{server}/api/v1/posts")
    assert status == 200 and [post["slug"] for post in body["items"]] == ["load-story-0"]
