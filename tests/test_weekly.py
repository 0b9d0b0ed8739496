"""The weekly digest: issues per ISO week in the site's time zone, their pages, and the weekly feeds."""

import json
from datetime import date, datetime, timezone

import feedparser
import lxml.html

from sitetools import article, build_site_at, site_model
from digest.weekly import WeekId, issues_due_at, parse_week, week_of

PARIS = "title: Test Digest\nbase_url: https://test.example.org/\ntimezone: Europe/Paris\n"
NOW = datetime(2025, 10, 22, 12, tzinfo=timezone.utc)  # a Wednesday of 2025-W43


def event(company="Acme", day="2025-10-14", kind="layoff", affected=None) -> str:
    lines = [f"  - company: {company}", f"    date: {day}", f"    kind: {kind}"]
    return "\n" + "\n".join(lines + ([f"    affected: {affected}"] if affected is not None else []))


def names(site) -> list[str]:
    return [w.id.name for w in site.weeks]


def test_sunday_night_local_time_is_that_week_though_monday_in_utc(tmp_path):
    # 23:30 on Sunday 19 October in Paris is 21:30 UTC: still Sunday. 00:30 Monday in Paris is Sunday in UTC.
    site, _ = site_model(tmp_path, {
        "content/articles/late.md": article("Late", "2025-10-19T23:30:00+02:00"),
        "content/articles/early.md": article("Early", "2025-10-20T00:30:00+02:00"),
    }, PARIS)
    assert names(site) == ["2025-w43", "2025-w42"]
    assert [a.title for a in site.weeks[1].articles] == ["Late"]


def test_week_of_reads_the_moment_in_the_site_time_zone():
    from zoneinfo import ZoneInfo

    monday_in_tokyo = datetime(2025, 10, 19, 16, 30, tzinfo=timezone.utc)  # 01:30 Monday in Tokyo
    assert week_of(monday_in_tokyo, timezone.utc) == WeekId(2025, 42)
    assert week_of(monday_in_tokyo, ZoneInfo("Asia/Tokyo")) == WeekId(2025, 43)


def test_first_iso_week_of_2025_begins_on_30_december_2024(tmp_path):
    site, _ = site_model(tmp_path, {"content/articles/a.md": article("New year's eve", "2024-12-31")})
    assert names(site) == ["2025-w01"]
    assert site.weeks[0].id.monday == date(2024, 12, 30)
    assert site.weeks[0].title == "Week 1 · 30 December 2024 – 5 January 2025"


def test_week_53_exists_in_long_years_only():
    assert parse_week("2020-w53") == WeekId(2020, 53)
    assert WeekId(2020, 53).monday == date(2020, 12, 28)
    assert parse_week("2025-w53") is None
    assert parse_week("2025-w54") is None
    assert parse_week("2025-42") is None


def test_title_follows_the_site_conventions():
    assert WeekId(2025, 42).title == "Week 42 · 13–19 October 2025"
    assert WeekId(2025, 44).title == "Week 44 · 27 October – 2 November 2025"


def test_weeks_without_articles_have_no_issue(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", "2025-10-01"),
        "content/articles/b.md": article("B", "2025-10-22"),
    })
    assert names(site) == ["2025-w43", "2025-w40"]
    assert site.weeks[0].previous == WeekId(2025, 40) and site.weeks[1].next == WeekId(2025, 43)


def test_event_reported_twice_in_one_week_is_counted_once(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("First", "2025-10-14", companies="[Acme]", events=event(affected=40)),
        "content/articles/b.md": article("Second", "2025-10-16", companies="[Acme]", events=event(affected=40)),
        "content/companies/acme.yaml": "name: Acme\n",
    })
    (week,) = site.weeks
    assert len(week.articles) == 2 and len(week.events) == 1
    assert week.affected.figure.value == 40


def test_change_is_against_the_four_previous_weeks_average(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", "2025-09-16"),  # W38; W39–W41 have none
        "content/articles/b.md": article("B", "2025-10-14"),  # W42: average of W38..W41 = 0.25
        "content/articles/c.md": article("C", "2025-10-15"),
    })
    articles = site.weeks[0].changes[0]
    assert (articles.value, articles.average) == (2, 0.25)
    assert articles.words == "700% more than the average"
    assert site.weeks[1].changes[0].average is None  # the first week has nothing to compare with


def test_the_running_week_ending_is_when_the_site_next_changes(tmp_path):
    files = {"content/articles/b.md": article("B", "2025-10-21")}
    site, _ = site_model(tmp_path, files, PARIS, now=NOW)
    assert issues_due_at(site) == datetime(2025, 10, 26, 23, tzinfo=timezone.utc)  # midnight in Paris
    site, _ = site_model(tmp_path, files, PARIS, now=datetime(2025, 10, 27, tzinfo=timezone.utc))
    assert issues_due_at(site) is None


def test_running_week_is_marked_and_future_finishes_it(tmp_path):
    files = {"content/articles/a.md": article("A", "2025-10-14"), "content/articles/b.md": article("B", "2025-10-21")}
    site, _ = site_model(tmp_path, files, now=NOW)
    assert [w.finished for w in site.weeks] == [False, True]
    site, _ = site_model(tmp_path, files, now=NOW, future=True)
    assert [w.finished for w in site.weeks] == [True, True]


def weekly_site(site):
    return site({
        "content/companies/acme.yaml": "name: Acme\n",
        "content/articles/a.md": article("Acme cuts 40", "2025-10-14", companies="[Acme]", summary="Forty jobs.",
                                         takeaways='["Forty <em>engineers</em> go"]', events=event(affected=40)),
        "content/articles/b.md": article("Acme again", "2025-10-21", companies="[Acme]"),
    })


def test_issue_page_shows_figures_takeaways_events_and_neighbours(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    page = lxml.html.parse(str(root / "public/weekly/2025-w42/index.html")).getroot()
    assert page.findtext(".//h1") == "Week 42 · 13–19 October 2025"
    figures = {div.findtext("dt"): div.findtext("dd") for div in page.xpath('//section[@class="week-figures"]/dl/div')}
    assert figures == {"Stories": "1", "Events reported": "1", "People affected": "40",
                       "Companies involved": "1"}
    assert page.xpath('//article[contains(@class, "week-story")]//aside[@class="takeaways"]//li')[0].text_content() == "Forty engineers go"
    assert len(page.xpath('//table[@class="events"]/tbody/tr')) == 1
    assert page.xpath('//a[@rel="next"]')[0].get("href") == "/weekly/2025-w43/"
    assert not page.xpath('//*[@class="running-week"]')


def test_running_week_page_says_this_week_so_far(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    page = lxml.html.parse(str(root / "public/weekly/2025-w43/index.html")).getroot()
    assert "This week so far" in page.xpath('//*[@class="running-week"]')[0].text_content()
    index = lxml.html.parse(str(root / "public/weekly/index.html")).getroot()
    assert [a.get("href") for a in index.xpath('//ul[@class="week-list"]//a')] == ["/weekly/2025-w43/", "/weekly/2025-w42/"]


def test_running_week_is_kept_out_of_the_feeds_until_it_ends(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    running = json.loads((root / "public/weekly/feed.json").read_text())
    assert [i["title"] for i in running["items"]] == ["Week 42 · 13–19 October 2025"]
    # Nothing changed in the sources: the build must still notice that the week has ended.
    build_site_at(root, now=datetime(2025, 10, 27, tzinfo=timezone.utc))
    ended = json.loads((root / "public/weekly/feed.json").read_text())
    assert [i["title"] for i in ended["items"]] == ["Week 43 · 20–26 October 2025", "Week 42 · 13–19 October 2025"]


def test_weekly_feed_ids_survive_edits_and_a_new_base_url(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    first = json.loads((root / "public/weekly/feed.json").read_text())["items"][0]["id"]
    (root / "content/articles/a.md").write_text(article("Acme cuts 40 jobs", "2025-10-14"))
    build_site_at(root, now=NOW, base_url="https://moved.example.net/")
    item = json.loads((root / "public/weekly/feed.json").read_text())["items"][0]
    assert item["id"] == first and item["url"] == "https://moved.example.net/weekly/2025-w42/"


def test_weekly_feeds_parse_without_warnings_and_carry_the_whole_issue(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert (root / "public/weekly" / name).exists()
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((root / "public/weekly" / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        (entry,) = parsed.entries
        assert "Forty <em>engineers</em> go" in entry.content[0].value
        assert 'href="https://test.example.org/2025/10/a/"' in entry.content[0].value


def test_feeds_page_lists_the_weekly_feeds(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    page = (root / "public/feeds/index.html").read_text()
    assert "https://test.example.org/weekly/feed.xml" in page and "https://test.example.org/weekly/feed.json" in page


def email_of(root, week="2025-w42"):
    path = root / "public/weekly" / week / "email.html"
    return path, lxml.html.parse(str(path)).getroot()


def test_email_has_inline_styles_absolute_urls_no_script_and_fits_600px(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    path, email = email_of(root)
    assert path.stat().st_size < 102 * 1024
    assert not email.xpath("//script") and not email.xpath("//link[@rel='stylesheet']")
    unstyled = [e.tag for e in email.xpath("//body//*[@class]") if not e.get("style")]
    assert not unstyled, f"styled by class only: {unstyled}"
    urls = email.xpath("//@href | //@src")
    assert urls and all(u.startswith("https://test.example.org/") for u in urls)
    widths = [int(w) for w in email.xpath("//table/@width") if w.isdigit()]
    assert max(widths) == 600
    assert "@font-face" not in path.read_text() and "fonts.googleapis" not in path.read_text()


def test_email_preheader_is_the_first_takeaway_and_links_to_the_issue(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    _, email = email_of(root)
    (preheader,) = email.xpath("//div[contains(@class, 'preheader')]")
    assert preheader.text_content() == "Forty engineers go" and "display:none" in preheader.get("style").replace(" ", "")
    assert email.xpath("//a[@href='https://test.example.org/weekly/2025-w42/']")


def test_email_text_writes_links_out(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    text = (root / "public/weekly/2025-w42/email.txt").read_text()
    assert "View this issue in your browser: https://test.example.org/weekly/2025-w42/" in text
    assert "* Forty engineers go" in text and "Read the story: https://test.example.org/2025/10/a/" in text


def test_running_week_has_no_email_yet(site):
    root = weekly_site(site)
    build_site_at(root, now=NOW)
    assert not (root / "public/weekly/2025-w43/email.html").exists()


def test_newsletter_command_prints_the_latest_finished_issue(site, capsys, monkeypatch):
    from digest.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    weekly_site(site)
    assert main(["newsletter", "--text"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Week 42 · 13–19 October 2025"
    assert main(["newsletter", "2025-W43"]) == 1
    assert "2025-w43 has not ended yet" in capsys.readouterr().err
    assert main(["newsletter", "2025-W42"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_event_reported_in_two_weeks_belongs_to_both_and_only_to_them(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("First", "2025-10-14", companies="[Acme]", events=event(affected=40)),
        "content/articles/b.md": article("Follow-up", "2025-10-22", companies="[Acme]", events=event(affected=40)),
        "content/articles/c.md": article("Unrelated", "2025-10-29", companies="[Acme]"),
        "content/companies/acme.yaml": "name: Acme\n",
    })
    assert {w.id.name: len(w.events) for w in site.weeks} == {"2025-w44": 0, "2025-w43": 1, "2025-w42": 1}
    assert site.weeks[1].events == site.weeks[2].events
