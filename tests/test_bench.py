"""The benchmark's tools: the Hugo converter (a small generated corpus becomes the peer Hugo site) and how the
preview benchmark tells a server is busy; nothing is timed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
from generate import generate  # noqa: E402
from hugo_site import PEER, convert, first_paragraph, hugo_article  # noqa: E402
from preview import tree_cpu_seconds  # noqa: E402
from run import tree_pids  # noqa: E402

needs_peer = pytest.mark.skipif(not (PEER / "hugo.yaml").is_file(), reason=f"no Hugo peer site at {PEER}")


def _front_of(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def _front(path: Path) -> dict:
    return _front_of(path.read_text(encoding="utf-8"))


@pytest.fixture
def corpus(tmp_path) -> Path:
    generate(5, tmp_path / "corpus")
    return tmp_path / "corpus"


@needs_peer
def test_every_article_becomes_a_post_named_after_its_slug(corpus, tmp_path):
    convert(corpus, tmp_path / "hugo")
    sources = sorted(p.stem for p in (corpus / "content" / "articles").rglob("*.md"))
    assert sorted(p.stem for p in (tmp_path / "hugo" / "content" / "posts").glob("*.md")) == sources
    assert (tmp_path / "hugo" / "hugo.yaml").read_bytes() == (PEER / "hugo.yaml").read_bytes()
    assert (tmp_path / "hugo" / "layouts" / "_default" / "single.html").is_file()


@needs_peer
def test_posts_carry_the_peer_front_matter_and_the_same_body(corpus, tmp_path):
    convert(corpus, tmp_path / "hugo")
    source = sorted((corpus / "content" / "articles").rglob("*.md"))[2]
    post = tmp_path / "hugo" / "content" / "posts" / f"{source.stem}.md"
    original = _front(source)
    front = _front(post)
    assert list(front) == ["title", "date", "slug", "summary", "tags", "companies"]
    assert front["title"] == original["title"] and front["slug"] == source.stem
    assert front["date"] == original["date"].isoformat()
    assert front["tags"] == original["tags"] and front["companies"] == original["companies"]
    assert post.read_text(encoding="utf-8").split("---\n", 2)[2] == source.read_text(encoding="utf-8").split("---\n", 2)[2]


def test_the_summary_is_the_first_paragraph_as_plain_text():
    text = "---\ntitle: T\ndate: 2025-01-02\n---\n\nFirst [line](/x/)\ngoes on.\n\nSecond paragraph.\n"
    assert first_paragraph(text.split("---\n", 2)[2]) == "First line goes on."
    assert _front_of(hugo_article(text, "t"))["summary"] == "First line goes on."


def test_a_missing_peer_site_is_a_clear_error(corpus, tmp_path):
    with pytest.raises(SystemExit, match="Hugo peer site .* is missing"):
        convert(corpus, tmp_path / "hugo", peer=tmp_path / "no-peer")


BURN_IN_A_WORKER = """
import multiprocessing, sys, time
def burn():
    started = time.process_time()
    while time.process_time() - started < 0.4:
        pass
worker = multiprocessing.get_context("fork").Process(target=burn)
worker.start()
worker.join()
print("joined", flush=True)
time.sleep(30)
"""


def test_a_servers_cpu_time_keeps_what_its_ended_workers_used():
    server = subprocess.Popen([sys.executable, "-c", BURN_IN_A_WORKER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().strip() == "joined"
        assert tree_pids(server.pid) == [server.pid]  # the worker is gone
        assert tree_cpu_seconds(server.pid) >= 0.3
    finally:
        server.kill()
        server.wait()
