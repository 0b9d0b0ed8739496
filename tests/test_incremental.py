"""Incremental builds: whatever changed, a build that reuses .digest-cache/ gives exactly the bytes of a
cold build, and files whose bytes did not change keep their mtime."""

import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.errors import BuildFailed
from sitetools import FIXTURES, MINIMAL_CONFIG, article, build_errors, build_site_at, keys_made, write
from test_resident import BASE, SAVES, cold, independent, snapshot


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_as_cold(root, tmp_path):
    """Build incrementally into public/, cold (no cache) elsewhere, and compare every byte."""
    warm = build_site_at(root)
    cold_out = tmp_path / "cold"
    shutil.rmtree(cold_out, ignore_errors=True)
    build_site_at(root, output_dir=cold_out, cache=False)
    assert tree(root / "public") == tree(cold_out)
    return warm


def test_unchanged_site_reuses_every_source(fixture_site, tmp_path):
    build_site_at(fixture_site)
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.reused == 6  # 5 articles (one a draft) and 1 page


def test_edited_article_is_parsed_again_and_output_matches_cold(fixture_site, tmp_path):
    build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.reused == 5
    assert b"The Lyon plant closes in June." in (fixture_site / "public/2025/02/acme-closure/index.html").read_bytes()


def test_an_edited_articles_new_record_is_kept_for_the_builds_after(fixture_site):
    build_site_at(fixture_site)
    edited = fixture_site / "content/articles/2025/02/acme-closure.md"
    edited.write_text(edited.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    assert build_site_at(fixture_site).reused == 5
    other = fixture_site / "content/articles/2025/01/socgen-cuts.md"
    other.write_text(other.read_text() + "\nOne more line.\n")
    assert build_site_at(fixture_site).reused == 5  # the first edit's record was saved: only the second is parsed


def test_deleted_article_disappears_everywhere(fixture_site, tmp_path):
    build_site_at(fixture_site)
    (fixture_site / "content/articles/2025/02/data-labeling-roundup.md").unlink()
    assert_same_as_cold(fixture_site, tmp_path)
    assert not (fixture_site / "public/2025/02/data-labeling-roundup").exists()


def test_renamed_article_moves_and_links_to_it_follow(fixture_site, tmp_path):
    build_site_at(fixture_site)
    articles = fixture_site / "content/articles/2025/02"
    (articles / "acme-closure.md").rename(articles / "acme-lyon.md")
    socgen = fixture_site / "content/articles/2025/01/socgen-cuts.md"
    socgen.write_text(socgen.read_text().replace("../02/acme-closure.md", "../02/acme-lyon.md"))
    assert_same_as_cold(fixture_site, tmp_path)
    assert (fixture_site / "public/2025/02/acme-lyon/index.html").is_file()


def test_a_cached_article_is_checked_again_when_its_link_target_goes(site):
    root = site({"content/articles/a.md": article("A", body="[c](c.md)"), "content/articles/c.md": article("C")})
    build_site_at(root)  # a.md is cached, with "c.md exists" among what it depends on
    (root / "content/articles/c.md").unlink()
    assert build_errors(root) == ["content/articles/a.md:6: link to 'c.md': no such file"]


def test_template_edit_changes_exactly_like_a_cold_build(fixture_site, tmp_path):
    build_site_at(fixture_site)
    write(fixture_site, {"templates/tag.html": '{% extends "base.html" %}{% block main %}<h1>Topic: {{ tag.ref.name }}'
                                               '</h1>{% endblock %}'})
    assert_same_as_cold(fixture_site, tmp_path)
    assert b"<h1>Topic: Closures</h1>" in (fixture_site / "public/tags/closures/index.html").read_bytes()


def test_a_template_edited_between_two_processes_builds_is_compiled_again(fixture_site, tmp_path):
    from digest import theme
    tag_page = '{% extends "base.html" %}{% block main %}<h1>WORD: {{ tag.ref.name }}</h1>{% endblock %}'
    write(fixture_site, {"templates/tag.html": tag_page.replace("WORD", "First")})
    build_site_at(fixture_site)
    assert list((fixture_site / ".digest-cache").glob("templates-*/*.cache"))  # compiled templates kept
    theme._envs.clear()  # as in a new process: only the compiled templates in .digest-cache/ remain
    write(fixture_site, {"templates/tag.html": tag_page.replace("WORD", "Other")})  # same size, maybe same mtime
    assert_same_as_cold(fixture_site, tmp_path)
    assert b"<h1>Other: Closures</h1>" in (fixture_site / "public/tags/closures/index.html").read_bytes()


def test_a_body_edit_renders_only_the_listing_pages_that_show_the_story(site, tmp_path, monkeypatch):
    from digest import render
    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-03-{i + 1:02d}", tags="t") for i in range(6)}
    root = site(files, config="title: T\nbase_url: https://t.example/\nper_page: 2\n")
    build_site_at(root)
    rendered = []
    original = render.PageUnit.render
    monkeypatch.setattr(render.PageUnit, "render", lambda unit, ctx: rendered.append(unit.path) or original(unit, ctx))
    path = root / "content/articles/a5.md"  # the newest: the first page of its tag and of its month
    path.write_text(path.read_text().replace("Body text.", "Body text, edited."))
    build_site_at(root)
    tag_pages = [p for p in rendered if p.startswith("tags/t/")]
    assert tag_pages == ["tags/t/index.html"]  # pages 2 and 3 do not show it
    assert "2025/03/index.html" in rendered
    assert_same_as_cold(root, tmp_path)


def rendered_pages(monkeypatch):
    """The paths of the pages each following build renders (not the ones it keeps)."""
    from digest import render
    rendered = []
    original = render.PageUnit.render
    monkeypatch.setattr(render.PageUnit, "render", lambda unit, ctx: rendered.append(unit.path) or original(unit, ctx))
    return rendered


EVENT = "\n  - company: Scale AI\n    date: 2025-07-16\n    kind: layoff\n    affected: 200"


def paragraph_added(root, monkeypatch):
    """Build, add a paragraph at the end of a1's body, build again: the pages that second build rendered."""
    build_site_at(root)
    rendered = rendered_pages(monkeypatch)
    path = root / "content/articles/a1.md"
    path.write_text(path.read_text() + "\nA paragraph added at the end.\n")
    build_site_at(root)
    return rendered


def test_a_new_paragraph_leaves_the_tracker_company_and_tag_pages_alone(site, tmp_path, monkeypatch):
    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-07-{i + 10}", summary=f"Summary {i}.",
                                                  companies="[Scale AI]", tags="[t]", events=EVENT) for i in range(3)}
    root = site(files)
    rendered = paragraph_added(root, monkeypatch)
    assert rendered == ["2025/07/a1/index.html"]  # not tracker/, companies/scale-ai/, tags/t/, 2025/07/, the home page
    assert "A paragraph added at the end." in (root / "public/2025/07/a1/index.html").read_text()
    assert_same_as_cold(root, tmp_path)  # the feeds that carry it among them


def test_a_headcount_edit_renders_the_tracker_and_the_company_page_again(site, tmp_path, monkeypatch):
    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-07-{i + 10}", summary=f"Summary {i}.",
                                                  companies="[Scale AI]", events=EVENT) for i in range(3)}
    root = site(files)
    build_site_at(root)
    rendered = rendered_pages(monkeypatch)
    path = root / "content/articles/a1.md"
    path.write_text(path.read_text().replace("affected: 200", "affected: 250"))
    build_site_at(root)
    assert {"tracker/index.html", "companies/scale-ai/index.html", "2025/07/a1/index.html"} <= set(rendered)
    assert_same_as_cold(root, tmp_path)


def test_a_custom_listing_that_shows_bodies_is_rendered_again_when_a_body_changes(site, tmp_path, monkeypatch):
    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-07-{i + 10}", summary=f"Summary {i}.",
                                                  tags="[t]") for i in range(3)}
    files["templates/tag.html"] = ('{% extends "base.html" %}{% block main %}{% for a in tag.articles %}'
                                   '<section>{{ a.html | safe }} ({{ a.words }} words)</section>{% endfor %}{% endblock %}')
    root = site(files)
    rendered = paragraph_added(root, monkeypatch)
    assert "tags/t/index.html" in rendered
    assert "A paragraph added at the end." in (root / "public/tags/t/index.html").read_text()
    assert_same_as_cold(root, tmp_path)


def related_sections(root):
    import lxml.html
    pages = sorted((root / "public").glob("2025/*/*/index.html"))
    return {p.parent.name: lxml.html.fromstring(p.read_bytes()).xpath('//*[contains(@class, "related")]//a/@href')
            for p in pages}


def test_related_stories_are_ranked_again_only_when_companies_tags_or_dates_change(site, tmp_path, monkeypatch):
    from digest import related
    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-03-{i + 1:02d}", tags=f"[t{i % 2}, all]",
                                                  companies=f"[C{i % 3}]") for i in range(6)}
    root = site(files)
    build_site_at(root)
    ranked = []
    original = related.related_articles
    monkeypatch.setattr(related, "related_articles", lambda *a: ranked.append(1) or original(*a))
    path = root / "content/articles/a2.md"
    path.write_text(path.read_text().replace("Body text.", "Body text, edited.").replace("Story 2", "Story two"))
    assert_same_as_cold(root, tmp_path)
    assert len(ranked) == 1  # the cold build only: the warm one reused the last ranking
    before = related_sections(root)
    path.write_text(path.read_text().replace("tags: [t0, all]", "tags: [t1]"))
    assert_same_as_cold(root, tmp_path)
    assert len(ranked) == 3  # ranked again, and the cold build agrees
    assert any(before.values()) and related_sections(root) != before


def test_config_edit_changes_exactly_like_a_cold_build(fixture_site, tmp_path):
    build_site_at(fixture_site)
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text().replace("Europe/Paris", "America/New_York").replace("per_page: 2",
                                                                                             "per_page: 3"))
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.reused == 0  # the timezone shapes every date: nothing parsed before is reused


def test_untouched_files_keep_their_mtime(fixture_site):
    build_site_at(fixture_site)
    public = fixture_site / "public"
    before = {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()}
    time.sleep(0.05)
    path = fixture_site / "content/articles/2025/02/data-labeling-roundup.md"
    path.write_text(path.read_text().replace("A roundup with no company.", "A roundup, revised."))
    build_site_at(fixture_site)
    after = {p: p.stat().st_mtime_ns for p in public.rglob("*") if p.is_file()}
    changed = {p.relative_to(public).as_posix() for p in after if after[p] != before.get(p)}
    assert "2025/02/data-labeling-roundup/index.html" in changed
    assert "2025/01/socgen-cuts/index.html" not in changed and "css/digest.css" not in changed
    assert len(changed) < len(after) / 2


def test_one_edit_rewrites_only_the_parse_cache_file_that_holds_its_record(fixture_site, tmp_path):
    build_site_at(fixture_site)
    shards = lambda: {p.name: p.stat().st_mtime_ns for p in (fixture_site / ".digest-cache/parsed").glob("*.pickle")}  # noqa: E731
    before = shards()
    assert len(before) > 2  # the fixture's sources are spread over several files
    source = "content/articles/2025/02/acme-closure.md"
    edited = fixture_site / source
    time.sleep(0.01)
    edited.write_text(edited.read_text() + "\nOne more line.\n")
    assert_same_as_cold(fixture_site, tmp_path)
    after = shards()
    assert {name for name in after if after[name] != before.get(name)} == {shard_holding(fixture_site, source).name}


def test_a_deleted_source_leaves_the_parse_cache(fixture_site, tmp_path):
    from digest.incremental import sealed

    (fixture_site / ".digest-cache").mkdir()
    (fixture_site / ".digest-cache/parsed.pickle").write_bytes(b"a cache of an earlier version")
    write(fixture_site, {"content/articles/2025/03/passing.md": article("A passing story", "2025-03-02")})
    build_site_at(fixture_site)
    assert not (fixture_site / ".digest-cache/parsed.pickle").exists()  # replaced by the shards
    cached = lambda: {key for shard in (fixture_site / ".digest-cache/parsed").glob("*.pickle")  # noqa: E731
                      for key in sealed.load(shard)[1]}
    assert "content/articles/2025/03/passing.md" in cached()
    (fixture_site / "content/articles/2025/03/passing.md").unlink()
    assert_same_as_cold(fixture_site, tmp_path)
    assert "content/articles/2025/03/passing.md" not in cached()
    assert "content/articles/2025/01/socgen-cuts.md" in cached()


def test_a_corrupt_cache_is_ignored(fixture_site, tmp_path):
    build_site_at(fixture_site)
    stored = sorted((fixture_site / ".digest-cache").glob("*.pickle"))
    # the model's kept work, one output record and how its outputs were made; the parse cache's shards
    assert [p.name for p in stored][0] == "model.pickle" and len(stored) == 3
    stored += sorted((fixture_site / ".digest-cache/parsed").glob("*.pickle"))
    for path in stored:
        path.write_bytes(b"not a pickle")
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.reused == 0 and report.site is not None


def test_how_outputs_were_made_is_used_only_with_the_record_of_the_same_build(fixture_site, tmp_path):
    first = build_site_at(fixture_site)
    made = next((fixture_site / ".digest-cache").glob("outputs-*.made.pickle"))
    of_the_first = made.read_bytes()
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    build_site_at(fixture_site)
    made.write_bytes(of_the_first)  # sealed by this machine, but another build's
    path.write_text(path.read_text().replace("The Lyon plant closes in June.", "Lyon closes in June."))
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.rendered == first.rendered


def test_a_build_after_a_body_edit_leaves_the_bodies_it_does_not_show_compressed(site, tmp_path):
    from digest.bodyreads import Packed, stored_getter
    from digest.content import Article

    root = site({"content/articles/2025/01/old.md": article("Old", "2025-01-06", "The old story.", companies="[Acme]"),
                 "content/articles/2025/03/new.md": article("New", "2025-03-03", "The new story.", companies="[Zeta]")},
                config=MINIMAL_CONFIG + "feed_items: 1\n")  # the site's feed shows the new story's body only
    build_site_at(root)
    write(root, {"content/articles/2025/01/old.md": article("Old", "2025-01-06", "Edited.", companies="[Acme]")})
    report = assert_same_as_cold(root, tmp_path)
    old, new = sorted(report.site.articles, key=lambda a: a.date)
    assert isinstance(stored_getter(Article, "html")(old), str)  # shown again, so read
    assert type(stored_getter(Article, "html")(new)) is Packed  # as the parse cache keeps it
    assert new.html == "<p>The new story.</p>"  # made text when read


def files_with_mtimes(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_a_build_with_nothing_changed_leaves_the_output_alone(fixture_site):
    first = build_site_at(fixture_site)
    before = files_with_mtimes(fixture_site / "public")
    second = build_site_at(fixture_site)
    assert second.site is None and second.rendered == 0
    assert (second.counts, second.warnings) == (first.counts, first.warnings)
    assert [a.source for a in second.drafts] == [a.source for a in first.drafts]
    assert files_with_mtimes(fixture_site / "public") == before


# What makes pages, and what reads the site's catalogs: a build that finds nothing changed has no use for
# them, and importing them took longer than the check itself at 10,000 articles.
PAGE_MAKING_MODULES = ("jinja2", "feedgen", "PIL", "lxml", "css_inline", "slugify", "digest.content", "digest.site",
                       "digest.planning", "digest.render", "digest.feeds", "digest.cards", "multiprocessing",
                       "babel.messages.pofile", "markdown")


def test_a_build_that_finds_nothing_changed_imports_nothing_that_makes_pages(fixture_site):
    script = ("import sys\nfrom digest.cli import main\ncode = main(['build', '--no-search'])\n"
              f"print(code, sorted(m for m in {PAGE_MAKING_MODULES!r} if m in sys.modules))")

    def build_in_new_process():
        result = subprocess.run([sys.executable, "-c", script], cwd=fixture_site, capture_output=True, text=True)
        return result.stdout.splitlines()[-1]

    assert build_in_new_process() != "0 []"  # the first build makes every page
    assert build_in_new_process() == "0 []"


def test_an_edit_renders_only_the_outputs_that_show_the_article(fixture_site, tmp_path):
    first = build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert 0 < report.rendered < first.rendered / 2


def test_a_custom_template_reading_any_part_of_the_site_is_rendered_again_when_it_changes(fixture_site, tmp_path):
    write(fixture_site, {"templates/page.html": '{% extends "base.html" %}{% block main %}<p>{{ site.tags | length }} '
                                                'topics, newest: {{ site.articles[0].title }}</p>{% endblock %}'})
    build_site_at(fixture_site)
    write(fixture_site, {"content/articles/2025/03/new.md": article("Brand new", "2025-03-20", tags="[Brand-new topic]")})
    assert_same_as_cold(fixture_site, tmp_path)
    about = (fixture_site / "public/about/index.html").read_text()
    assert "newest: Brand new" in about


def test_a_page_not_rendered_again_still_fails_on_a_link_to_a_removed_file(fixture_site):
    write(fixture_site, {"static/extra.css": "p {}", "templates/page.html": '{% extends "base.html" %}{% block main %}'
                         '<link rel="stylesheet" href="{{ url(\'extra.css\') }}">{% endblock %}'})
    build_site_at(fixture_site)
    (fixture_site / "static/extra.css").unlink()
    errors = build_errors(fixture_site)
    assert errors == ["content/pages/about.md: link '/news/extra.css' leads nowhere (on about/index.html)"]


def test_a_scheduled_article_is_published_when_its_time_comes_with_no_edit(site):
    root = site({"content/articles/later.md": article("Later", "2030-06-01")})
    before = build_site_at(root, now=datetime(2030, 5, 1, tzinfo=timezone.utc))
    after = build_site_at(root, now=datetime(2030, 6, 2, tzinfo=timezone.utc))
    assert (before.counts.articles, after.counts.articles) == (0, 1)
    assert (root / "public/2030/06/later/index.html").is_file()


def test_an_output_file_deleted_by_hand_is_written_again(fixture_site):
    build_site_at(fixture_site)
    page = fixture_site / "public/2025/01/socgen-cuts/index.html"
    page.unlink()
    build_site_at(fixture_site)
    assert page.is_file()


def test_an_output_file_deleted_by_hand_beside_an_edit_is_written_again(fixture_site, tmp_path):
    build_site_at(fixture_site)
    (fixture_site / "public/2025/01/socgen-cuts/index.html").unlink()
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    assert_same_as_cold(fixture_site, tmp_path)


def test_an_output_folder_deleted_by_hand_is_written_again(fixture_site):
    build_site_at(fixture_site)
    shutil.rmtree(fixture_site / "public/2025/01")
    build_site_at(fixture_site)
    assert (fixture_site / "public/2025/01/socgen-cuts/index.html").is_file()


def test_an_output_file_renamed_by_hand_is_written_again(fixture_site):
    build_site_at(fixture_site)
    page = fixture_site / "public/2025/01/socgen-cuts/index.html"
    page.rename(page.with_name("index.htm"))
    build_site_at(fixture_site)
    assert page.is_file()


def test_an_interrupted_update_makes_the_next_build_a_full_one(fixture_site, tmp_path):
    first = build_site_at(fixture_site)
    # An update in place replaces the marker before it moves files: this is what an interruption leaves.
    marker = fixture_site / "public/.digest"
    data = marker.read_bytes()
    marker.unlink()
    marker.write_bytes(data)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.rendered == first.rendered


def shard_holding(site: Path, source: str) -> Path:
    """The parse cache's file that holds the record of `source` (a path relative to the site)."""
    from digest.incremental.parsecache import shard_of

    return site / ".digest-cache/parsed" / f"{shard_of(source):02d}.pickle"


PLANTED = b"cos\nsystem\n(S'touch planted-code-ran'\ntR."  # a pickle that runs a shell command when loaded


def test_a_planted_cache_never_runs_and_is_ignored_with_a_note(fixture_site, tmp_path):
    build_site_at(fixture_site)
    for path in (fixture_site / ".digest-cache").glob("**/*.pickle"):
        path.write_bytes(PLANTED)  # the output record too: the build cannot stop at "nothing changed"
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert not (fixture_site / "planted-code-ran").exists()
    assert report.reused == 0
    assert any(re.match(r"ignored \.digest-cache/parsed/\d\d\.pickle: not sealed .*\(and \d+ more\); the sources", note)
               for note in report.notes), report.notes


def planted_template_cache(cache_file, seal=False) -> None:
    """Replace a compiled template's code with code that leaves a file when run, its source checksum kept
    (so Jinja would use it), unsealed unless `seal`."""
    import io
    import marshal
    import pickle

    import jinja2.bccache

    from digest.incremental import sealed

    data = io.BytesIO(sealed.load(cache_file))
    data.read(len(jinja2.bccache.bc_magic))
    pickle.load(data)  # the template source's checksum
    code = compile("import pathlib; pathlib.Path('planted-code-ran').touch()", "planted", "exec")
    planted = data.getvalue()[:data.tell()] + marshal.dumps(code)
    sealed.save(cache_file, planted) if seal else cache_file.write_bytes(planted)


def test_a_planted_compiled_template_never_runs(fixture_site, tmp_path, monkeypatch):
    from digest import theme
    monkeypatch.chdir(fixture_site)
    build_site_at(fixture_site)
    for path in (fixture_site / ".digest-cache").glob("templates-*/*.cache"):
        planted_template_cache(path)
    theme._envs.clear()  # as in a new process
    path = fixture_site / "content/articles/2025/02/acme-closure.md"  # pages to render, templates to load
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.", "The Lyon plant closes in June."))
    assert build_site_at(fixture_site).rendered
    assert not (fixture_site / "planted-code-ran").exists()
    assert_same_as_cold(fixture_site, tmp_path)


def test_digest_check_does_not_run_a_planted_cache(fixture_site):
    from digest.incremental.parsecache import SHARDS

    (fixture_site / ".digest-cache/parsed").mkdir(parents=True)
    for shard in range(SHARDS):
        (fixture_site / f".digest-cache/parsed/{shard:02d}.pickle").write_bytes(PLANTED)
    build_site_at(fixture_site, write=False)
    assert not (fixture_site / "planted-code-ran").exists()


def test_a_cache_altered_by_one_byte_is_ignored(fixture_site, tmp_path):
    build_site_at(fixture_site)
    cache = shard_holding(fixture_site, "content/articles/2025/02/acme-closure.md")
    data = bytearray(cache.read_bytes())
    at = data.index(b"Acme closes its Lyon plant")
    data[at] = ord("X")  # same length: a published title would change if it were trusted
    cache.write_bytes(bytes(data))
    other = fixture_site / "content/articles/2025/01/socgen-cuts.md"
    other.write_text(other.read_text() + "\nOne more line.\n")  # so the build reads the cache at all
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert b"Xcme" not in (fixture_site / "public/index.html").read_bytes()
    assert report.reused < len(list((fixture_site / "content").glob("**/*.md")))  # the altered shard's were not


def test_a_cache_of_classes_that_are_gone_is_ignored(fixture_site, tmp_path):
    import hashlib
    import hmac

    from digest.incremental import sealed

    build_site_at(fixture_site)
    # Sealed by this machine, but naming a module an upgrade removed: ignored with a note, never a traceback.
    data = b"cdigest.gone\nRecord\n."
    seal = hmac.new(sealed._key(), data, hashlib.sha256).digest()
    for shard in (fixture_site / ".digest-cache/parsed").glob("*.pickle"):
        shard.write_bytes(sealed._MAGIC + seal + data)
    other = fixture_site / "content/articles/2025/01/socgen-cuts.md"
    other.write_text(other.read_text() + "\nOne more line.\n")  # so the build reads the cache at all
    report = assert_same_as_cold(fixture_site, tmp_path)
    assert report.reused == 0 and any("another version of digest" in note for note in report.notes)


def test_an_edited_title_is_shown_in_every_listing_card_of_it(fixture_site, tmp_path):
    build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("title: Acme closes its Lyon plant", "title: Lyon plant to close"))
    assert_same_as_cold(fixture_site, tmp_path)
    for page in ("index.html", "tags/closures/index.html", "companies/acme/index.html", "2025/02/index.html"):
        assert b">Lyon plant to close</a></h2>" in (fixture_site / "public" / page).read_bytes(), page


def test_a_renamed_company_is_renamed_in_every_listing_card_that_names_it(fixture_site, tmp_path):
    """A listing card is made once per build and reused by every page that shows it (render.shown_once); each
    of those pages must still record what the card read, or the pages that reused it would keep the old name."""
    build_site_at(fixture_site)
    (fixture_site / "content/companies/acme.yaml").write_text("name: Acme Group\naliases: [Acme, Acme Corp]\n")
    assert_same_as_cold(fixture_site, tmp_path)
    for page in ("index.html", "tags/closures/index.html", "2025/02/index.html"):
        assert b">Acme Group</a></li>" in (fixture_site / "public" / page).read_bytes(), page


# After an edit to a body alone, the outputs that did not read that body are kept without being keyed again.

TAKEAWAY = ("    - 120 people work there.", "    - 130 people work there.")


def test_a_body_edit_keys_only_the_outputs_that_read_that_body(fixture_site, tmp_path, monkeypatch):
    first = build_site_at(fixture_site)
    keys = keys_made(monkeypatch)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace(*TAKEAWAY))
    report = build_site_at(fixture_site)
    assert 0 < report.rendered < first.rendered / 4
    assert len(keys) == report.rendered + 1  # what it rendered, and chart.png's sizes (planned from a body)
    assert "130 people work there." in (fixture_site / "public/2025/02/acme-closure/index.html").read_text()
    keys.clear()
    assert_same_as_cold(fixture_site, tmp_path)


def test_an_edit_beside_a_body_edit_keys_every_output(fixture_site, tmp_path, monkeypatch):
    first = build_site_at(fixture_site)
    keys = keys_made(monkeypatch)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace(*TAKEAWAY).replace("title: Acme closes", "title: Acme shuts"))
    report = build_site_at(fixture_site)
    assert len(keys) >= first.rendered  # the title shows on listings: every output compared
    assert report.rendered < first.rendered
    keys.clear()
    assert_same_as_cold(fixture_site, tmp_path)


def test_a_record_cached_by_another_command_does_not_hide_a_title_edit(fixture_site, tmp_path):
    build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace("title: Acme closes", "title: Acme shuts"))
    build_site_at(fixture_site, write=False)  # `digest check`: the new record is cached, public/ is not updated
    path.write_text(path.read_text().replace(*TAKEAWAY))
    build_site_at(fixture_site)
    assert "Acme shuts its Lyon plant" in (fixture_site / "public/index.html").read_text()
    assert_same_as_cold(fixture_site, tmp_path)


def test_a_site_model_that_reads_bodies_keys_every_output_after_a_body_edit(fixture_site, tmp_path, monkeypatch):
    from digest import site as site_module
    original = site_module.build_site

    def reading_bodies(content, *args):
        found = original(content, *args)
        sum(a.words for a in found[0].articles)  # a plugin's model hook might, say, total the words
        return found

    monkeypatch.setattr(site_module, "build_site", reading_bodies)
    first = build_site_at(fixture_site)
    keys = keys_made(monkeypatch)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    path.write_text(path.read_text().replace(*TAKEAWAY))
    build_site_at(fixture_site)
    assert len(keys) >= first.rendered
    keys.clear()
    assert_same_as_cold(fixture_site, tmp_path)


def test_a_new_picture_in_a_body_is_published_after_a_body_edit(fixture_site, tmp_path):
    build_site_at(fixture_site)
    path = fixture_site / "content/articles/2025/02/acme-closure.md"
    shutil.copy(fixture_site / "content/articles/2025/01/chart.png", path.parent / "plant.png")
    path.write_text(path.read_text().replace("Acme's Lyon plant will close.",
                                             "Acme's Lyon plant will close.\n\n![The plant](plant.png)"))
    assert_same_as_cold(fixture_site, tmp_path)
    assert list((fixture_site / "public/2025/02/acme-closure").glob("plant-*.jpg"))


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(sorted(SAVES)), min_size=1, max_size=5))
def test_after_any_sequence_of_edits_a_build_has_the_bytes_of_a_cold_build(tmp_path_factory, saves):
    tmp_path = tmp_path_factory.mktemp("edits")
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    independent(root)
    build_site_at(root, output_dir=tmp_path / "warm", base_url=BASE)
    for save in saves:
        SAVES[save](root)
        expected = cold(root, tmp_path / "cold")
        try:
            build_site_at(root, output_dir=tmp_path / "warm", base_url=BASE)
        except BuildFailed:
            assert expected is None, save
            continue
        assert snapshot(tmp_path / "warm") == expected, save
