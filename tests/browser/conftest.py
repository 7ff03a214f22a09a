"""Playwright against Debian's Chromium and a live server.

``playwright install`` cannot download browsers here, so the tests launch the
system Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``). Without it
they are skipped with the reason, unless ``REQUIRE_BROWSER=1`` (CI), where a
missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

# Playwright's sync API runs an event loop in this thread; the ORM calls of the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM} (apt-get install chromium)")
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "accept_downloads": True}


@pytest.fixture(scope="session")
def _worker_context(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


@pytest.fixture
def context(_worker_context):
    """One browser context per worker, so that pages keep the staff pages' scripts and styles cached, as a
    person's browser does; each test starts signed out, with no page open and empty storage."""
    _worker_context.clear_cookies()
    yield _worker_context
    for page in _worker_context.pages:
        if page.url.startswith("http"):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.close()
    _worker_context.clear_cookies()


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Console messages that fail a journey: the Content-Security-Policy refused something (issue 8, item 11), or
# the staff pages' Alpine (its CSP build, issue 10) could not evaluate an expression of the theme's templates.
REFUSALS = ("Content Security Policy", "Alpine Expression Error", "CSP Parser Error")


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """A journey fails when the Content-Security-Policy refused anything on its pages, or a script of the
    staff pages could not run under it."""
    if "page" not in request.fixturenames:
        yield
        return
    refused: list[str] = []
    page = request.getfixturevalue("page")
    page.on(
        "console",
        lambda message: refused.append(message.text) if any(r in message.text for r in REFUSALS) else None,
    )
    yield
    assert refused == [], f"the Content-Security-Policy refused: {refused}"


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the real login form of the staff pages or the student pages."""

    def do(username: str, password: str, *, admin: bool = True) -> None:
        page.goto(f"{live_server.url}/admin/login/" if admin else f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("input[type=submit], button[type=submit]").first.click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def signed_in_as(page, live_server):
    """Sign the browser in through a session made on the server; the test then opens its page. The sign-in
    form has journeys of its own: test_admin_sign_in, test_lockout_journey and the student's first visit."""

    def do(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return do
