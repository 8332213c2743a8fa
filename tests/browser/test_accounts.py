"""The account pages in Chromium, keyboard only: an admin created by the command line logs in
with Tab and Enter, invites an editor, and the editor accepts; no console error (a CSP
violation would be one)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from app import create_app
from atlas import accounts
from atlas.db import Database
from atlas.settings import settings
from tests.browser.conftest import _serve, console_errors, screenshot, wait_for

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def served(tiny_store, tmp_path):
    db = Database.from_url(f"sqlite:///{tmp_path / 'atlas.sqlite3'}")
    app = create_app(settings(), store=tiny_store, db=db)
    accounts.create_admin(db, "admin@example.org", "Admin", PASSWORD)
    yield from _serve(app)
    db.dispose()


def _type(browser, *keys) -> None:
    browser.switch_to.active_element.send_keys(*keys)


def test_bac001_log_in_invite_and_accept_with_the_keyboard(browser, served):
    browser.get(served + "/account/login?lang=en")
    browser.find_element(By.ID, "f-email").click()
    _type(browser, "admin@example.org", Keys.TAB)
    _type(browser, PASSWORD, Keys.ENTER)
    wait_for(browser, "return location.pathname === '/account/admin'")
    assert "admin@example.org" in browser.find_element(By.TAG_NAME, "table").text
    browser.find_element(By.ID, "f-email").click()
    _type(browser, "editor@example.org", Keys.TAB)  # to the role, Editor by default
    _type(browser, Keys.TAB, "BRA:11", Keys.ENTER)
    link = wait_for(browser, "return document.querySelector('.alert-success a')?.href")
    screenshot(browser, "accounts-admin")
    browser.delete_all_cookies()  # the invitee's own browser
    browser.get(link)
    assert "BRA:11" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "f-name").click()
    _type(browser, "Edna", Keys.TAB, PASSWORD, Keys.TAB, PASSWORD, Keys.ENTER)
    wait_for(browser, "return location.pathname === '/' && document.querySelector('.site-footer')")
    assert console_errors(browser) == []
