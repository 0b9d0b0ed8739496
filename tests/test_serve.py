"""The live preview, as a writer uses it: a real server process, real file edits, a real browser protocol."""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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


def fetch_with_headers(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def fetch(url: str) -> tuple[int, str]:
    status, body, _ = fetch_with_headers(url)
    return status, body


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


SLOW_PLUGIN = """
import time
from digest.plugins import output_file

def _slow(site, config):
    time.sleep(2.5)
    return "made slowly"

def output_units(site, config):
    return [output_file(f"slow-{i}.txt", _slow) for i in range(2)]
"""


@contextlib.contextmanager
def slow_preview(site: Path, slow_files: int):
    """A preview whose first build ends with `slow_files` plugin files of 2.5 s each, made one after the
    other: (the preview process, its address, its output folder)."""
    (site / "plugins").mkdir()
    (site / "plugins/slow_outputs.py").write_text(SLOW_PLUGIN.replace("range(2)", f"range({slow_files})"))
    config = site / "site.yaml"
    config.write_text(config.read_text() + "plugins: [slow_outputs]\n")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0"], cwd=site,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        address = re.search(r"serving at (http://\S+)", process.stdout.readline()).group(1)
        yield process, address, site / ".digest-cache" / f"preview-{urllib.parse.urlsplit(address).port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_pages_are_served_while_the_first_build_is_still_rendering(fixture_site):
    with slow_preview(fixture_site, 2) as (process, address, output):
        status, body = fetch(address + "2025/02/acme-closure/")  # waits for the site model, not for every page
        assert status == 200 and "<h1" in body and 'EventSource("/__digest/reload?since=0")' in body
        assert not (output / "index.html").exists()  # the two slow files (5 s, one after the other) are not made yet
        assert fetch(address + "2025/02/acme-closure")[0] == 200  # redirected to the folder
        assert fetch(address + "css/digest.css")[0] == 200
        assert fetch(address + "no/such/page/")[0] == 404
        assert not (output / "index.html").exists()
        assert "first build" in process.stdout.readline()
        assert fetch(address + "slow-1.txt") == (200, "made slowly")


def test_a_save_while_the_first_build_renders_is_shown_before_that_build_ends(fixture_site):
    with slow_preview(fixture_site, 3) as (process, address, output):
        page = address + "2025/02/acme-closure/"
        assert "Acme's Lyon plant will close." in fetch(page)[1]  # made on request: the build is rendering
        article = fixture_site / "content/articles/2025/02/acme-closure.md"
        article.write_text(article.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
        status, body = wait_for(page, lambda status, body: "The Lyon plant closes in June." in body, seconds=5)
        assert status == 200 and "The Lyon plant closes in June." in body
        assert not (output / "index.html").exists()  # the three slow files (7.5 s) are not all made yet
        assert "first build" in process.stdout.readline()
        status, body = wait_for(page, lambda status, body: "The Lyon plant closes in June." in body)
        assert "The Lyon plant closes in June." in body and "Acme's Lyon plant will close." not in body


SLOW_REBUILD_PLUGIN = """
import time
from digest.plugins import output_file

def _slow(site, config):
    characters = sum(len(article.html) for article in site.articles)  # every body: made again on each edit
    time.sleep(4)
    with (config.root / "slow.log").open("a") as log:
        log.write("made\\n")
    return f"{characters} characters"

def output_units(site, config):
    return [output_file("slow.txt", _slow)]
"""


def test_a_save_while_the_rest_of_the_site_rebuilds_is_shown_before_that_rebuild_ends(fixture_site):
    (fixture_site / "plugins").mkdir()
    (fixture_site / "plugins/slow_rebuild.py").write_text(SLOW_REBUILD_PLUGIN)
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text() + "plugins: [slow_rebuild]\n")
    made = fixture_site / "slow.log"
    with preview_on(fixture_site, free_port()) as (process, address):
        assert "first build" in process.stdout.readline()
        page, article = address + "2025/02/acme-closure/", fixture_site / "content/articles/2025/02/acme-closure.md"
        original = article.read_text()
        before = made.read_text().count("made")
        article.write_text(original.replace("Acme's Lyon plant will close.", "First save."))
        assert "First save." in wait_for(page, lambda status, body: "First save." in body)[1]
        article.write_text(original.replace("Acme's Lyon plant will close.", "Second save."))
        status, body = wait_for(page, lambda status, body: "Second save." in body)
        assert status == 200 and "Second save." in body
        assert made.read_text().count("made") == before  # the first save's rebuild (4 s) had not ended
        deadline = time.monotonic() + 30
        while made.read_text().count("made") < before + 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert made.read_text().count("made") == before + 2  # both rebuilds ran the slow part
        time.sleep(0.5)
        assert "Second save." in fetch(page)[1]  # no flash back to the first save once all is built


SLOW_PLAN_PLUGIN = """
import time

def output_units(site, config):
    time.sleep(4)  # planning the site takes this long: the current site cannot answer before
    return []
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def preview_on(site: Path, port: int):
    """A preview on `port`; (the process, its address) once it says it serves."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)], cwd=site,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "serving at" in process.stdout.readline()
        yield process, f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def restarted_preview(fixture_site):
    """A site previewed once on a port to the end of its first build, then edited and previewed again on
    that port with a planning step that takes 4 s: (the site, the second preview's process and address)."""
    port = free_port()
    with preview_on(fixture_site, port) as (process, _):
        assert "first build" in process.stdout.readline()
    article = fixture_site / "content/articles/2025/02/acme-closure.md"
    article.write_text(article.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    (fixture_site / "plugins").mkdir()
    (fixture_site / "plugins/slow_plan.py").write_text(SLOW_PLAN_PLUGIN)
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text() + "plugins: [slow_plan]\n")
    with preview_on(fixture_site, port) as (process, address):
        yield fixture_site, process, address


def test_a_restarted_preview_shows_the_last_previews_page_at_once_and_says_so(restarted_preview):
    _, _, address = restarted_preview
    started = time.monotonic()
    status, body, headers = fetch_with_headers(address + "2025/02/acme-closure/")
    assert time.monotonic() - started < 3  # not after the 4 s the site takes to plan
    assert status == 200 and headers["Digest-Preview-Page"] == "earlier"
    assert "Acme's Lyon plant will close." in body  # as the last preview left it, not yet the saved text
    assert "as the last preview left it" in body and 'EventSource("/__digest/reload?since=earlier")' in body


def test_a_page_of_the_last_preview_reloads_once_the_current_site_answers(restarted_preview):
    _, _, address = restarted_preview
    with urllib.request.urlopen(f"{address}__digest/reload?since=earlier", timeout=30) as events:
        assert events.readline() == b"retry: 1000\n"
        received = b""
        while b"data: reload" not in received:
            received += events.readline()
    status, body, headers = fetch_with_headers(address + "2025/02/acme-closure/")
    assert status == 200 and "Digest-Preview-Page" not in headers
    assert "The Lyon plant closes in June." in body and "as the last preview left it" not in body


def test_a_page_the_last_preview_did_not_write_waits_for_the_current_site(restarted_preview):
    site, _, address = restarted_preview
    status, body, headers = fetch_with_headers(address + "no/such/page/")
    assert status == 404 and "Digest-Preview-Page" not in headers  # not a 404 of the old site's making


def test_a_first_preview_on_a_port_shows_no_earlier_page(preview):
    _, address = preview
    status, body, headers = fetch_with_headers(address)
    assert status == 200 and "Digest-Preview-Page" not in headers and "as the last preview left it" not in body


def test_a_page_made_on_request_is_the_page_the_build_writes(fixture_site):
    from digest.config import load_config
    from digest.pipeline import BuildOptions, build
    from digest.resident import OnDemand

    planned = []
    config = load_config(fixture_site / "site.yaml")
    build(config, BuildOptions(search=False, cache=False, planned=planned.append))
    on_demand = OnDemand(planned[0])
    written = {p.relative_to(config.output_dir).as_posix(): p.read_bytes()
               for p in config.output_dir.rglob("*") if p.is_file()}
    del written[".digest"]  # the build's own marker
    assert len(written) > 50
    assert {path: on_demand.file(path) for path in written} == written
    assert on_demand.file("no/such/index.html") is None


def test_a_page_made_on_request_with_a_broken_template_names_the_problem(fixture_site):
    from digest.config import load_config
    from digest.errors import BuildFailed
    from digest.pipeline import BuildOptions, build
    from digest.resident import OnDemand

    (fixture_site / "templates").mkdir(exist_ok=True)
    (fixture_site / "templates/page.html").write_text('{% extends "base.html" %}{% block main %}{{ no_such() }}{% endblock %}')
    planned = []
    with pytest.raises(BuildFailed):
        build(load_config(fixture_site / "site.yaml"), BuildOptions(search=False, cache=False, planned=planned.append))
    with pytest.raises(BuildFailed) as failure:
        OnDemand(planned[0]).file("about/index.html")
    assert "templates/page.html" in str(failure.value)


def test_preview_leaves_the_site_output_alone(preview):
    root, _ = preview
    assert not (root / "public").exists()


# Safety: what the preview answers to requests a browser would never send, or a hostile page would.

def raw_request(address: str, target: str, method: str = "GET", host: str | None = None) -> tuple[int, dict, bytes]:
    """One request sent as written (urllib would clean the path up), and its status, headers and body."""
    parts = urllib.parse.urlsplit(address)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.putrequest(method, target, skip_host=True)
    connection.putheader("Host", host or parts.netloc)
    connection.endheaders()
    response = connection.getresponse()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, response.read()


def test_a_redirect_cannot_carry_a_header_of_the_requests_making(preview):
    _, address = preview
    status, headers, _ = raw_request(address, "/2025/x%0d%0aSet-Cookie:%20p=1%2f%2e%2e")
    assert status == 400 and "set-cookie" not in headers


def test_a_redirect_always_stays_on_the_preview(preview):
    _, address = preview
    status, headers, _ = raw_request(address, "/%2fevil.example%2f%2e%2e%2f2025/01/socgen-cuts")
    assert status == 301
    assert headers["location"] == "/%2fevil.example%2f%2e%2e%2f2025/01/socgen-cuts/"
    assert raw_request(address, headers["location"])[0] == 200


@pytest.mark.parametrize("target", ["/%00", "/" + "a" * 300, "/2025/%ff%fe", "/a%01b/"])
def test_a_path_no_file_can_have_is_a_bad_request_and_the_preview_goes_on(preview, target):
    _, address = preview
    assert raw_request(address, target)[0] == 400
    assert raw_request(address, "/")[0] == 200


def test_a_request_for_another_host_is_refused(preview):
    _, address = preview
    port = urllib.parse.urlsplit(address).port
    assert raw_request(address, "/", host=f"evil.example:{port}")[0] == 421
    assert raw_request(address, "/", host="localhost:1")[0] == 421
    assert raw_request(address, "/", host=f"localhost:{port}")[0] == 200


def test_head_gets_the_headers_of_get_and_no_body(preview):
    _, address = preview
    got = raw_request(address, "/")
    status, headers, body = raw_request(address, "/", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == got[1]["content-length"] != "0"


def test_a_port_in_use_is_a_clear_error_and_leaves_nothing_behind(fixture_site, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)], cwd=fixture_site,
                              capture_output=True, text=True, timeout=60, env={**os.environ, "TMPDIR": str(temp)})
    assert done.returncode == 2
    assert done.stderr == f"digest: error: port {port} is in use; try --port 0\n"
    assert list(temp.iterdir()) == []


def test_open_shows_the_preview_in_a_browser(fixture_site, tmp_path):
    opened = tmp_path / "opened"
    browser = f"{sys.executable} -c \"import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(sys.argv[2])\" " \
              f"{opened} %s"
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", "0", "--open",
                                "--bind", "localhost"], cwd=fixture_site, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "BROWSER": browser})
    try:
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert re.fullmatch(r"http://localhost:\d+/", opened.read_text())
        assert fetch(opened.read_text())[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_a_build_piped_into_a_reader_that_stops_early_ends_quietly(fixture_site):
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "-v", "--no-search"],
                               cwd=fixture_site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # like `| head` once it has read its lines
    err = process.stderr.read()
    process.wait(timeout=60)
    assert "Traceback" not in err and "Exception ignored" not in err and "Broken pipe" not in err
    assert (fixture_site / "public/index.html").is_file()


def test_the_preview_ignores_scratch_files_editors_write_beside_a_saved_file():
    from watchfiles import Change

    from digest.serve import watch_filter

    allowed = watch_filter()
    assert allowed(Change.modified, "/site/content/articles/story.md")
    for scratch in ("sedAb12Cd", "4913", ".story.md.swp", "story.md~"):
        assert not allowed(Change.added, f"/site/content/articles/{scratch}"), scratch


# Housekeeping: preview folders are the size of the site; those of ports no longer used do not pile up.

def old_preview(cache: Path, port: int, days: float) -> Path:
    """A preview folder as a finished preview on `port` left it `days` ago, with its build record."""
    from digest.incremental import lastbuild

    folder = cache / f"preview-{port}"
    (folder / "2025").mkdir(parents=True)
    (folder / "index.html").write_text("<html></html>")
    (folder / ".digest").write_text("marker")
    record = lastbuild.record_file(cache.parent, folder)
    record.write_bytes(b"record")
    record.with_suffix(".made.pickle").write_bytes(b"made")
    then = time.time() - days * 86400
    for path in (folder / "index.html", folder / ".digest", folder / "2025", folder, record):
        os.utime(path, (then, then))
    return folder


def test_a_preview_folder_unused_for_two_weeks_is_removed_with_its_record(tmp_path):
    from digest.incremental import lastbuild
    from digest.serve import remove_previews, stale_previews

    cache = tmp_path / ".digest-cache"
    old, recent = old_preview(cache, 8001, days=15), old_preview(cache, 8002, days=3)
    (cache / "parsed").mkdir()
    remove_previews(stale_previews(cache, time.time(), in_use=lambda port: False))
    assert not old.exists() and not lastbuild.record_file(tmp_path, old).exists()
    assert not lastbuild.record_file(tmp_path, old).with_suffix(".made.pickle").exists()
    assert recent.exists() and lastbuild.record_file(tmp_path, recent).exists()
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        ["parsed", "preview-8002", lastbuild.record_file(tmp_path, recent).name,
         lastbuild.record_file(tmp_path, recent).with_suffix(".made.pickle").name])


def test_an_old_preview_folder_whose_port_is_served_now_is_kept(tmp_path):
    from digest.serve import stale_previews

    cache = tmp_path / ".digest-cache"
    old_preview(cache, 8001, days=30)
    assert stale_previews(cache, time.time(), in_use=lambda port: port == 8001) == []


def test_a_removal_cut_short_is_finished_next_time_whatever_its_age(tmp_path):
    from digest.serve import remove_previews, stale_previews

    cache = tmp_path / ".digest-cache"
    leftover = cache / "preview-8001.removing-1234"
    (leftover / "2025").mkdir(parents=True)
    remove_previews(stale_previews(cache, time.time(), in_use=lambda port: False))
    assert not leftover.exists()


def test_starting_a_preview_removes_the_folders_of_ports_unused_for_two_weeks(fixture_site):
    old = old_preview(fixture_site / ".digest-cache", 1, days=20)  # port 1: never the one a preview gets
    with preview_on(fixture_site, free_port()) as (_, address):
        assert fetch(address)[0] == 200
        deadline = time.monotonic() + 10
        while old.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not old.exists()
    assert not list((fixture_site / ".digest-cache").glob("*.removing-*"))
