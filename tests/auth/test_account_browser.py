"""Issue 17: a reader's own account in Chromium, at a desktop and a phone width: registering,
settings, download my data, the password changed and then reset by email, and deleting it all.

Every page visited must be usable (`assert_usable`: axe clean, no sideways scrolling, no tap
target under 24 px). The reset email arrives at a real SMTP server (aiosmtpd).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from blog.extensions import db
from blog.models import User
from tests.auth.test_password_reset import emailed_path
from tests.browser_support import WIDTHS, assert_usable, screenshot
from tests.notifications.helpers import run_worker

pytestmark = pytest.mark.browser
EMAIL = "nina@example.org"


def sign_in_as(page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_registers_sets_up_resets_and_deletes_the_account(
        open_page, live_server, smtp, mailbox, width):
    page = open_page(width, path="/register")
    page.get_by_label("Name shown with your comments").fill("Nina Newcomer")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password (at least 10 characters)").fill("short")
    page.get_by_role("button", name="Register").click()
    page.get_by_text("Choose a password of at least 10 characters").wait_for()
    assert page.get_by_label("Name shown with your comments").input_value() == "Nina Newcomer"
    assert_usable(page, width)
    page.get_by_label("Password (at least 10 characters)").fill("a long first password")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("link", name="Account").click()
    assert_usable(page, width)
    screenshot(page, f"account-{width}")

    page.get_by_label("Name shown with your comments").fill("Nina N.")
    page.get_by_role("button", name="Save the name").click()
    page.get_by_text("Your display name is now Nina N..").wait_for()
    page.get_by_label("Once a day, in a digest").check()
    page.get_by_role("button", name="Save the email choice").click()
    page.get_by_text("Email notifications: once a day, in a digest.").wait_for()
    assert page.get_by_label("Once a day, in a digest").is_checked()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    mine = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert mine["account"]["display_name"] == "Nina N."
    assert "text_key" not in json.dumps(mine) and "idempotency_key" not in json.dumps(mine)

    page.get_by_label("Current password").fill("a long first password")
    page.get_by_label("New password (at least 10 characters)").fill("a long second password")
    page.get_by_role("button", name="Change the password").click()
    page.get_by_text("Your password is changed.").wait_for()
    assert_usable(page, width)

    # Signed out, the reader forgot it: a reset link arrives by email and works once.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_text("If an account uses that address, we have sent a link.").wait_for()
    assert_usable(page, width)
    assert run_worker().sent == 1
    link = f"{live_server}{emailed_path(mailbox)}"
    page.goto(link)
    assert_usable(page, width)
    page.get_by_label("New password (at least 10 characters)").fill("a long third password")
    page.get_by_role("button", name="Set the password").click()
    page.get_by_text("Your password is changed, and you are signed in.").wait_for()
    page.goto(link)
    page.get_by_text("This link is not valid, or was used already.").wait_for()
    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, live_server, "a long third password")

    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your password, to confirm").fill("a long third password")
    assert_usable(page, width)
    page.get_by_role("button", name="Delete my account for good").click()
    page.get_by_text("Your account is deleted. Thank you for reading.").wait_for()
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is None
    assert page.js_errors == []
