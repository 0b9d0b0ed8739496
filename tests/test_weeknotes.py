"""The weekly digest's editor's notes (content/weekly/<yyyy>-w<ww>.md): validation, where they are shown,
incremental builds, and `digest new --weekly`."""

import json
import shutil
from datetime import datetime, timezone

import feedparser
import lxml.html
import pytest

from sitetools import article, build_errors, build_site_at
from test_incremental import assert_same_as_cold

NOW = datetime(2025, 10, 22, 12, tzinfo=timezone.utc)  # a Wednesday of 2025-W43: W42 has ended


def note(body="The week belonged to **Acme**.", **fields: str) -> str:
    lines = [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\n" + body + "\n"


def weekly_site(site, notes: dict[str, str]):
    return site({
        "content/companies/acme.yaml": "name: Acme\n",
        "content/articles/a.md": article("Acme cuts 40", "2025-10-14", companies="[Acme]",
                                         takeaways='["Forty engineers go"]'),
        "content/articles/b.md": article("Acme again", "2025-10-21", companies="[Acme]"),
        **{f"content/weekly/{name}": text for name, text in notes.items()},
    })


def issue(root, week="2025-w42"):
    return lxml.html.parse(str(root / "public/weekly" / week / "index.html")).getroot()


def test_note_body_is_shown_at_the_top_of_its_issue(site):
    root = weekly_site(site, {"2025-w42.md": note()})
    build_site_at(root, now=NOW)
    page = issue(root)
    (section,) = page.xpath('//section[@class="week-note"]')
    assert section.xpath(".//strong")[0].text == "Acme"
    first_section = page.xpath("//main//section")[0] if page.xpath("//main") else page.xpath("//section")[0]
    assert first_section is section
    assert not issue(root, "2025-w43").xpath('//section[@class="week-note"]')


def test_note_title_replaces_the_default_title_which_stays_as_the_dates(site):
    root = weekly_site(site, {"2025-w42.md": note(title="Acme's hard week")})
    build_site_at(root, now=NOW)
    page = issue(root)
    assert page.findtext(".//h1") == "Acme's hard week"
    assert page.xpath('//p[contains(@class, "week-dates")]')[0].text == "Week 42 · 13–19 October 2025"
    listed = lxml.html.parse(str(root / "public/weekly/index.html")).getroot()
    assert "Acme's hard week" in [a.text for a in listed.xpath('//ul[@class="week-list"]//a')]
    text = (root / "public/weekly/2025-w42/email.txt").read_text()
    assert text.startswith("TEST DIGEST\nAcme's hard week\nWeek 42 · 13–19 October 2025\n\nView this issue")
    assert "\n\nFROM THE EDITOR\n\nThe week belonged to Acme.\n\nTHE WEEK IN FIGURES\n" in text


def test_note_summary_is_the_page_description_and_the_feed_summary(site):
    root = weekly_site(site, {"2025-w42.md": note(summary="Acme, again and again.")})
    build_site_at(root, now=NOW)
    assert issue(root).xpath('//meta[@name="description"]/@content') == ["Acme, again and again."]
    item = json.loads((root / "public/weekly/feed.json").read_text())["items"][0]
    assert item["summary"] == "Acme, again and again."


def test_note_is_in_the_weekly_feeds_content_with_absolute_links(site):
    root = weekly_site(site, {"2025-w42.md": note(body="See [the cuts](../articles/a.md).")})
    build_site_at(root, now=NOW)
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((root / "public/weekly" / name).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        content = parsed.entries[0].content[0].value
        assert 'See <a href="https://test.example.org/2025/10/a/">the cuts</a>' in content


def test_note_is_in_the_email_html_styled_inline_and_in_the_text_with_links_written_out(site):
    body = "See [the cuts](../articles/a.md).\n\n- one point\n- another"
    root = weekly_site(site, {"2025-w42.md": note(body=body, summary="Acme, again.")})
    build_site_at(root, now=NOW)
    email = lxml.html.parse(str(root / "public/weekly/2025-w42/email.html")).getroot()
    (cell,) = email.xpath('//td[contains(@class, "note")]')
    assert cell.xpath(".//a/@href") == ["https://test.example.org/2025/10/a/"]
    assert all(e.get("style") for e in cell.xpath(".//*[@class]"))
    assert email.xpath("//div[contains(@class, 'preheader')]")[0].text_content() == "Acme, again."
    text = (root / "public/weekly/2025-w42/email.txt").read_text()
    assert "See the cuts (https://test.example.org/2025/10/a/).\n\n* one point\n* another" in text


def test_draft_note_is_not_shown_unless_building_drafts(site):
    root = weekly_site(site, {"2025-w42.md": note(draft="true", title="Not yet")})
    build_site_at(root, now=NOW)
    assert not issue(root).xpath('//section[@class="week-note"]')
    assert issue(root).findtext(".//h1") == "Week 42 · 13–19 October 2025"
    build_site_at(root, now=NOW, drafts=True)
    assert issue(root).findtext(".//h1") == "Not yet"


def test_a_draft_note_is_counted_among_the_drafts_left_out(site):
    root = weekly_site(site, {"2025-w42.md": note(draft="true")})
    assert [d.source for d in build_site_at(root, now=NOW).drafts] == ["content/weekly/2025-w42.md"]
    assert build_site_at(root, now=NOW, drafts=True).drafts == ()


def test_unknown_field_is_a_located_error_with_a_suggestion(site):
    root = weekly_site(site, {"2025-w42.md": note(summary="x", titel="Oops")})
    assert build_errors(root, now=NOW) == [
        "content/weekly/2025-w42.md:3:1: unknown field 'titel' (did you mean 'title'?)"]


def test_a_field_of_the_wrong_type_is_a_located_error(site):
    root = weekly_site(site, {"2025-w42.md": note(draft="maybe")})
    assert build_errors(root, now=NOW) == ["content/weekly/2025-w42.md:2:8: draft: 'maybe' must be true or false"]


@pytest.mark.parametrize("name, message", [
    ("2025-w54.md", "the file name '2025-w54.md' names no week: 2025 has no week 54 (it has 52)"),
    ("2025-w53.md", "the file name '2025-w53.md' names no week: 2025 has no week 53 (it has 52)"),
    ("2025-42.md", "the file name '2025-42.md' is not a week: name a note <yyyy>-w<ww>.md, e.g. 2025-w42.md "
                   "(did you mean '2025-w42.md'?)"),
    ("week42.md", "the file name 'week42.md' is not a week: name a note <yyyy>-w<ww>.md, e.g. 2025-w42.md"),
    ("2025-W42.md", "the file name '2025-W42.md' must be lower case: rename it '2025-w42.md'"),
])
def test_a_file_name_that_is_no_week_is_a_located_error(site, name, message):
    root = weekly_site(site, {name: note()})
    assert build_errors(root, now=NOW) == [f"content/weekly/{name}:1: {message}"]


def test_a_note_for_a_week_without_published_stories_is_a_warning_and_shown_nowhere(site):
    root = weekly_site(site, {"2025-w30.md": note()})
    report = build_site_at(root, now=NOW)
    assert [str(w) for w in report.warnings] == [
        "content/weekly/2025-w30.md:1: warning: 2025-w30 has no published story, so it has no issue and this note is not "
        "shown (yet: the week's stories may be drafts or scheduled)"]
    assert not (root / "public/weekly/2025-w30").exists()
    assert "2025-w30" in "".join(build_errors(root, now=NOW, strict=True))


def test_a_broken_link_in_a_note_is_a_located_error(site):
    root = weekly_site(site, {"2025-w42.md": note(body="First line.\n\nSee [gone](../articles/gone.md).")})
    assert build_errors(root, now=NOW) == ["content/weekly/2025-w42.md:6: link to '../articles/gone.md': no such file"]


def test_markdown_in_a_subfolder_of_weekly_is_not_read_and_says_so(site):
    root = weekly_site(site, {"old/2025-w42.md": note()})
    report = build_site_at(root, now=NOW)
    assert [str(w) for w in report.warnings] == [
        "content/weekly/old/2025-w42.md: warning: not read: weekly notes are read only directly in content/weekly/ "
        "(content/weekly/2025-w42.md)"]


def test_raw_html_in_a_note_is_sanitised_like_an_article(site):
    root = weekly_site(site, {"2025-w42.md": note(body='Hi <script>alert(1)</script><b onclick="x()">there</b>')})
    build_site_at(root, now=NOW)
    (section,) = issue(root).xpath('//section[@class="week-note"]')
    assert not section.xpath(".//script") and not section.xpath(".//@onclick")


@pytest.mark.parametrize("change", ["add", "edit", "remove", "draft"])
def test_a_warm_build_after_a_note_changes_equals_a_cold_one(site, tmp_path, change):
    root = weekly_site(site, {} if change == "add" else {"2025-w42.md": note(title="Before")})
    build_site_at(root, now=NOW)
    path = root / "content/weekly/2025-w42.md"
    if change == "remove":
        path.unlink()
    elif change == "draft":
        path.write_text(note(title="Before", draft="true"))
    else:
        path.parent.mkdir(exist_ok=True)
        path.write_text(note(title="After", body="Now with *more*."))
    warm = build_site_at(root, now=NOW)
    cold_out = tmp_path / "cold"
    shutil.rmtree(cold_out, ignore_errors=True)
    build_site_at(root, now=NOW, output_dir=cold_out, cache=False)
    from test_incremental import tree

    assert tree(root / "public") == tree(cold_out)
    assert (issue(root).findtext(".//h1") == "After") == (change in ("add", "edit"))
    assert warm.rendered > 0


def test_an_unchanged_note_is_reused_from_the_parse_cache(site, tmp_path):
    root = weekly_site(site, {"2025-w42.md": note()})
    build_site_at(root, now=NOW)
    (root / "content/articles/b.md").write_text(article("Acme again, edited", "2025-10-21", companies="[Acme]"))
    assert build_site_at(root, now=NOW).reused == 2  # a.md and the note


def test_resident_preview_picks_up_a_note_edit(site, tmp_path):
    from digest.pipeline import BuildOptions
    from digest.resident import ResidentBuild
    from test_incremental import tree

    root = weekly_site(site, {"2025-w42.md": note(title="Before")})
    base = "https://test.example.org/"
    resident = ResidentBuild((root / "site.yaml").resolve(), root / "public", base, BuildOptions(now=NOW, search=False))
    assert not resident.rebuild().failed
    path = root / "content/weekly/2025-w42.md"
    path.write_text(note(title="After"))
    assert resident.quick_page([path]) is None  # a note is on several outputs: only a rebuild can tell
    assert not resident.rebuild([path]).failed
    assert issue(root).findtext(".//h1") == "After"
    build_site_at(root, now=NOW, output_dir=tmp_path / "cold", cache=False)
    assert tree(root / "public") == tree(tmp_path / "cold")


def new(*args):
    from digest.cli import main

    return main(["new", *args])


def test_new_weekly_writes_a_draft_note_for_the_week_given_and_refuses_to_overwrite(site, capsys):
    root = weekly_site(site, {})
    assert new("--weekly", "2025-W42") == 0
    path = capsys.readouterr().out.strip()
    assert path == "content/weekly/2025-w42.md"
    text = (root / path).read_text()
    assert "draft: true" in text and "Week 42 · 13–19 October 2025" in text
    build_site_at(root, now=NOW)  # a valid note, held back as a draft
    assert not issue(root).xpath('//section[@class="week-note"]')
    assert new("--weekly", "2025-w42") == 1
    assert "content/weekly/2025-w42.md: already exists; digest new never overwrites a file" in capsys.readouterr().err
    assert (root / path).read_text() == text


def test_new_weekly_without_a_week_starts_the_current_week_in_the_site_time_zone(site, capsys):
    from zoneinfo import ZoneInfo

    from digest.weekly import week_of

    root = weekly_site(site, {})
    (root / "site.yaml").write_text("title: T\nbase_url: https://t.example.org/\ntimezone: Pacific/Kiritimati\n")
    zone = ZoneInfo("Pacific/Kiritimati")  # UTC+14: on Sunday afternoon in UTC it is already next week there
    assert new("--weekly") == 0
    assert capsys.readouterr().out.strip() == f"content/weekly/{week_of(datetime.now(zone), zone).name}.md"


@pytest.mark.parametrize("args, code, message", [
    (["--weekly", "2025-W54"], 1, "--weekly: '2025-W54' is not a week such as 2025-W42"),
    (["--weekly", "2025-W42", "A title"], 2, "digest new --weekly takes a week (e.g. 2025-W42), not the title"),
    ([], 2, "give the title in quotes, or --weekly"),
])
def test_new_weekly_refuses_what_is_no_week(site, capsys, args, code, message):
    root = weekly_site(site, {})
    assert new(*args) == code
    assert message in capsys.readouterr().err
    assert not (root / "content/weekly").exists()
