"""The live preview, as a writer uses it: a real server process, real file edits, a real browser protocol."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def preview(fixture_site):
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"], cwd=fixture_site,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    address = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and address is None:
        line = process.stdout.readline()
        match = re.search(r"serving at (http://\S+)", line)
        address = match.group(1) if match else None
    assert address, "the preview did not start"
    yield fixture_site, address
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url: str, predicate, seconds: float = 20) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, body = fetch(url)
        if predicate(status, body) or time.monotonic() > deadline:
            return status, body
        time.sleep(0.2)


def test_preview_serves_pages_with_the_reload_script(preview):
    _, address = preview
    status, body = fetch(address)
    assert status == 200 and "Fixture Digest" in body
    assert 'new EventSource("/__digest/reload?since=' in body
    assert fetch(address + "no/such/page/")[0] == 404


def test_preview_rebuilds_when_an_article_changes(preview):
    root, address = preview
    path = root / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme closes its Lyon plant", "Acme shuts Lyon for good"))
    status, body = wait_for(address + "2025/02/acme-closure/", lambda s, b: "Acme shuts Lyon for good" in b)
    assert status == 200 and "Acme shuts Lyon for good" in body


def test_preview_shows_errors_in_the_browser_until_they_are_fixed(preview):
    root, address = preview
    path = root / "content/articles/2025/02/acme-closure.md"
    good = path.read_text()
    path.write_text(good.replace("date: 2025-02-03T09:30:00+01:00", "date: 2025-02-30"))
    status, body = wait_for(address, lambda s, b: s == 500)
    assert status == 500
    assert "content/articles/2025/02/acme-closure.md:3:7: date: &#x27;2025-02-30&#x27; is not a date" in body
    path.write_text(good)
    assert wait_for(address, lambda s, b: s == 200)[0] == 200


def test_open_tabs_are_told_to_reload_after_a_rebuild(preview):
    root, address = preview
    _, body = fetch(address)
    generation = re.search(r"since=(\d+)", body).group(1)
    with urllib.request.urlopen(f"{address}__digest/reload?since={generation}", timeout=30) as events:
        assert events.readline() == b"retry: 1000\n"
        (root / "content/pages/about.md").write_text("---\ntitle: About us, again\n---\n\nNew text.\n")
        received = b""
        deadline = time.monotonic() + 25
        while b"data: reload" not in received and time.monotonic() < deadline:
            received += events.readline()
    assert b"data: reload" in received


def test_preview_leaves_the_site_output_alone(preview):
    root, _ = preview
    assert not (root / "public").exists()
