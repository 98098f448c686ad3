"""The browser tests' common parts: a live server, Debian's Chromium, axe-core, screenshots.

A pytest plugin (tests/conftest.py loads it), so every test module can ask for its fixtures:

- `live_server`: the `app` fixture's app served by werkzeug in a thread, on the test database;
  its base URL. `second_origin_server` serves the same app on 127.0.0.2 (another origin).
- `browser`: headless Debian Chromium (/usr/bin/chromium) through Playwright; the test skips,
  saying why, where Chromium or Playwright is missing. Never a browser download.
- `open_page(width=1280, user=None, path="/")`: a new page in a fresh context at that width
  (390 for a phone), signed in as `user` through the sign-in form when one is given.
- `assert_accessible(page)`: injects axe-core (tests/browser/node_modules, from npm: `make test`
  installs it) and fails on any serious or critical violation, naming each. Without axe-core the
  test skips with the command that installs it.
- `assert_usable(page, width)`: axe-core clean, no sideways scrolling, and no control a finger
  must hit under 24 x 24 px (WCAG 2.2, 2.5.8): what every page of a walk must hold.
- `screenshot(page, name)`: a full-page PNG in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS / "artifacts"
AXE = TESTS / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}


def _serve(app, host: str) -> Iterator[str]:
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve `app` on a free local port for the length of one test; yield its base URL."""
    yield from _serve(app, "127.0.0.1")


@pytest.fixture
def second_origin_server(app) -> Iterator[str]:
    """Serve `app` on 127.0.0.2 as well: another origin (and site) than `live_server`."""
    yield from _serve(app, "127.0.0.2")


def chromium_args(extra: list[str] | None = None) -> list[str]:
    return CHROMIUM_ARGS + (extra or [])


def launch_chromium(extra_args: list[str] | None = None):
    """Start Playwright and Debian's Chromium; return (playwright, browser). Skips if missing."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    playwright = sync_api.sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                         args=chromium_args(extra_args))
    return playwright, browser


@pytest.fixture
def browser():
    playwright, browser = launch_chromium()
    yield browser
    browser.close()
    playwright.stop()


def sign_in(page, base_url: str, user, next_path: str = "/") -> None:
    """Sign `user` in through the sign-in form, then land on `next_path`."""
    page.goto(f"{base_url}/login?next={next_path}")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base_url}{next_path}")


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable]:
    """Open pages in fresh contexts; every context is closed at the end of the test."""
    contexts = []

    def open_(width: int = 1280, user=None, path: str = "/"):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        if user is not None:
            sign_in(page, live_server, user, path)
        else:
            page.goto(f"{live_server}{path}")
        return page

    yield open_
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return its serious and critical violations."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern: a
        # <script> tag would need 'unsafe-inline', and the test must not loosen the CSP.
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("async () => await window.axe.run(document)")
    return [violation for violation in result["violations"] if violation["impact"] in SERIOUS]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation of the page as it is now."""
    violations = axe_violations(page)
    described = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [node["target"] for node in v["nodes"][:5]]}
        for v in violations
    ]
    assert described == [], f"{page.url}: " + json.dumps(described, indent=1)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def page_width(page) -> int:
    """The page's laid-out width in CSS pixels: more than the viewport means sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth")


#: Controls a finger has to hit. Links inside running text are exempt (WCAG's inline
#: exception); a checkbox or radio inside its label is hit through the label.
SMALL_TARGETS = """() => {
  const controls = document.querySelectorAll(
    'button, select, input:not([type=hidden]), summary, nav a, .pager a, .admin-nav a');
  const small = [];
  for (const control of controls) {
    const box = (['checkbox', 'radio'].includes(control.type) && control.closest('label')
                 || control).getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (box.width < 24 || box.height < 24)
      small.push(`${control.outerHTML.slice(0, 80)} ${box.width}x${box.height}`);
  }
  return small;
}"""


def assert_usable(page, width: int) -> None:
    """What every page of the walk must hold: axe clean, no sideways scroll, big targets."""
    assert_accessible(page)
    assert page_width(page) <= width, f"{page.url} is wider than {width} px"
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], f"{page.url}: " + "\n".join(small)
