"""The moderators' dashboard in real headless Chromium, at a desktop and a phone width.

The charts are server-rendered SVG: they must be drawn (visible, with their bars and line),
named for assistive technology, backed by their tables, and the page axe-core clean, with no
sideways scrolling and no small tap targets. Screenshots: tests/artifacts/dashboard-<width>.png.
"""

from __future__ import annotations

import pytest

from blog.models import utcnow
from tests.admin.dashboard_data import seed_history
from tests.browser_support import WIDTHS, assert_usable, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_reads_the_dashboard(open_page, author, reader, moderator, width):
    history = seed_history(utcnow(), author, reader, moderator)
    page = open_page(width, moderator, "/admin/dashboard")

    assert page.get_by_role("heading", name="Moderation dashboard").is_visible()
    assert page.locator("#figure-pending dd").first.inner_text() == "2"
    assert page.locator("#figure-median dd").first.inner_text() == "2 h 30 min"
    assert page.locator("#figure-flagged dd").first.inner_text() == "6"

    for chart in ("chart-queue", "chart-waits", "chart-hourly", "chart-signals"):
        svg = page.locator(f"#{chart} svg")
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box["width"] > 200 and box["height"] > 50, chart
        assert page.get_by_role("img", name=page.locator(f"#{chart}-title").text_content()
                                ).count() == 1
    assert page.locator("#chart-queue polyline").count() == 1
    assert page.locator("#chart-hourly rect.chart-bar").count() == 48
    drawn = page.locator("#chart-signals rect.chart-bar").evaluate_all(
        "bars => bars.map(bar => bar.getBBox().width)")
    assert drawn[0] > 0 and drawn[0] == pytest.approx(3 * drawn[1], rel=0.01)  # 75 % vs 25 %

    # The text equivalent: a table behind each chart, opened with the keyboard.
    summary = page.locator("#chart-signals summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = page.locator("#chart-signals-table")
    assert table.is_visible()
    assert "new account" in table.inner_text() and "75 %" in table.inner_text()

    top = page.locator(".flagged-posts tbody tr")
    assert top.count() == 2
    assert history.harbour.title in top.first.inner_text()
    assert page.js_errors == []
    screenshot(page, f"dashboard-{width}")
    assert_usable(page, width)

    top.first.get_by_role("link").click()
    page.wait_for_url("**/admin/moderation?status=flagged*")
