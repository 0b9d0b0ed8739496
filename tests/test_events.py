"""Events: merged across articles, totalled per company, drawn, exported and shown in the tracker."""

import csv
import io
import json

import lxml.etree
import lxml.html

from sitetools import article, build_errors, build_site_at
from digest.charts import company_chart, monthly_chart
from digest.figures import Figure

SVG = "{http://www.w3.org/2000/svg}"
PROFILE = "name: Scale AI\naliases: [Scale]\nsector: AI data\n"


def event(company="Scale AI", date="2025-07-16", kind="layoff", **fields) -> str:
    lines = [f"  - company: {company}", f"    date: {date}", f"    kind: {kind}"]
    return "\n" + "\n".join(lines + [f"    {k}: {v}" for k, v in fields.items()])


def sample(site, extra=None):
    return site({
        "content/companies/scale-ai.yaml": PROFILE,
        "content/articles/first.md": article("First report", "2025-07-16", companies="[Scale AI]",
                                             events=event(affected=180, percent=14) + event(kind="contractor-cut")),
        "content/articles/second.md": article("Second report", "2025-07-20", companies="[Scale]",
                                              events=event(company="Scale", affected=200)),
        "content/articles/other.md": article("Other", "2025-10-10", companies="[Acme]",
                                             events=event(company="Acme", date="2025-10-08", kind="closure", affected=12)),
        "content/companies/acme.yaml": "name: Acme\n",
        **(extra or {}),
    })


def test_same_event_in_two_articles_is_counted_once_with_both_articles(site):
    report = build_site_at(sample(site))
    layoffs = [e for e in report.site.events if e.kind == "layoff"]
    assert len(layoffs) == 1
    assert [a.title for a in layoffs[0].articles] == ["Second report", "First report"]


def test_newer_figure_wins_and_older_report_gets_a_warning(site):
    report = build_site_at(sample(site))
    (layoff,) = [e for e in report.site.events if e.kind == "layoff"]
    assert (layoff.affected, layoff.percent) == (Figure(200), 14)  # the older report alone gives a percent
    assert [str(w) for w in report.warnings] == [
        "content/articles/first.md:6: warning: events[0].affected: 180 differs from 200 in the newer "
        "content/articles/second.md; the newer figure is shown"
    ]


def test_disagreement_fails_a_strict_build(site):
    problems = build_errors(sample(site), strict=True)
    assert any("differs from 200" in p for p in problems)


def test_aliases_resolve_event_companies_to_one_company(site):
    report = build_site_at(sample(site))
    scale = next(c for c in report.site.companies if c.ref.slug == "scale-ai")
    assert len(scale.events) == 2 and scale.affected.figure == Figure(200)
    assert scale.latest_event.kind in ("layoff", "contractor-cut")


def test_company_without_profile_gets_a_page_and_a_warning(site):
    root = site({"content/articles/a.md": article(companies="[Globex]")})
    report = build_site_at(root)
    assert [c.ref.name for c in report.site.companies] == ["Globex"]
    assert (root / "public/companies/globex/index.html").is_file()
    assert [str(w) for w in report.warnings] == [
        "content/articles/a.md:4: warning: company 'Globex' has no profile; add content/companies/globex.yaml "
        "with 'name: Globex' (or an alias to an existing profile)"]


def test_event_date_and_figures_are_validated_with_lines(site):
    root = site({"content/articles/a.md": article(events=event(date="July 2025", affected="many", percent=-1))})
    assert build_errors(root) == [
        "content/articles/a.md:6:11: events[0].date: 'July 2025' is not a date (use YYYY-MM-DD)",
        "content/articles/a.md:8:15: events[0].affected: 'many' is not a whole number; write words such as "
        "'hundreds' in affected_note, and 'about 200' as {value: 200, qualifier: about}",
        "content/articles/a.md:9:14: events[0].percent: -1 must be between 0 and 100",
    ]


def test_unknown_event_field_suggests_the_right_one(site):
    root = site({"content/articles/a.md": article(events=event(afected=3))})
    assert build_errors(root) == [
        "content/articles/a.md:8:5: events[0]: unknown field 'afected' (did you mean 'affected'?)"]


def test_tracker_rows_equal_the_events(site):
    root = sample(site)
    report = build_site_at(root)
    page = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    rows = page.xpath('//table[@id="tracker-table"]/tbody/tr')
    assert [(r.get("data-company"), r.get("data-kind"), r.xpath("string(td[1]/@data-value)")) for r in rows] == [
        (e.company.slug, e.kind, e.date.isoformat()) for e in report.site.events]
    figures = dict(zip(page.xpath('//dl[@class="headline-figures"]//dt/text()'),
                       page.xpath('//dl[@class="headline-figures"]//dd/text()')))
    assert figures == {"Events": "3", "Companies involved": "2", "People affected": "212"}
    assert page.xpath('string(//p[@class="total-scope"])') == \
        "212 people in 2 of 3 events with a reported headcount."


def test_tracker_links_the_open_data(site):
    root = sample(site)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    links = page.xpath("//a/@href")
    for path in ("/data/events.csv", "/data/events.json", "/data/companies.json"):
        assert path in links and (root / "public" / path.lstrip("/")).is_file()


def test_company_page_shows_headline_figures_and_timeline(site):
    root = sample(site)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/companies/scale-ai/index.html").read_bytes())
    figures = dict(zip(page.xpath('//dl[@class="headline-figures"]//dt/text()'),
                       [d.text_content() for d in page.xpath('//dl[@class="headline-figures"]//dd')]))
    assert figures["Events"] == "2" and figures["People affected"] == "200"
    assert page.xpath('string(//p[@class="total-scope"])') == "200 people in 1 of 2 events with a reported headcount."
    rows = page.xpath('//table[@class="events"]/tbody/tr')
    # Same day: the event with the newer report comes first.
    assert [r.get("data-kind") for r in rows] == ["layoff", "contractor-cut"]
    reported_in = [a.text for a in rows[0].xpath("td[last()]/a")]
    assert reported_in == ["Second report", "First report"]


def test_companies_index_has_every_column(site):
    root = sample(site)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/companies/index.html").read_bytes())
    assert [th.text_content() for th in page.xpath("//thead//th")] == [
        "Company", "Sector", "Stories", "Events", "People affected", "Latest event"]
    rows = {r.xpath("string(td[1])"): [td.text_content().strip() for td in r.xpath("td")]
            for r in page.xpath("//tbody/tr")}
    assert rows["Scale AI"] == ["Scale AI", "AI data", "2", "2", "200 in 1 of 2 events", "July 16, 2025"]


def test_events_csv_round_trips(site):
    root = sample(site)
    report = build_site_at(root)
    text = (root / "public/data/events.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(report.site.events)
    for row, ev in zip(rows, report.site.events):
        assert (row["date"], row["company_slug"], row["company_name"], row["kind"]) == (
            ev.date.isoformat(), ev.company.slug, ev.company.name, ev.kind)
        assert row["affected"] == ("" if ev.headcount is None else str(ev.headcount.value))
        assert row["affected_qualifier"] == ("" if ev.headcount is None else ev.headcount.qualifier)
        assert row["article_url"] == "https://test.example.org/" + ev.article.path
        assert row["other_article_urls"].split() == ["https://test.example.org/" + a.path for a in ev.articles[1:]]


def test_events_json_and_companies_json_round_trip(site):
    root = sample(site)
    report = build_site_at(root)
    events = json.loads((root / "public/data/events.json").read_text())["events"]
    assert [(e["company_slug"], e["kind"], e["date"], e["affected"], e["percent"]) for e in events] == [
        (e.company.slug, e.kind, e.date.isoformat(), e.headcount and e.headcount.value, e.percent)
        for e in report.site.events]
    companies = json.loads((root / "public/data/companies.json").read_text())["companies"]
    assert [(c["slug"], c["events"], c["affected"], c["events_with_headcount"]) for c in companies] == [
        ("acme", 1, 12, 1), ("scale-ai", 2, 200, 1)]


def test_company_chart_is_svg_with_one_mark_per_event(site):
    report = build_site_at(sample(site))
    scale = next(c for c in report.site.companies if c.ref.slug == "scale-ai")
    figure = lxml.etree.fromstring(str(company_chart(scale.events, "Scale AI")))
    svg = figure.find("{http://www.w3.org/2000/svg}svg")
    marks = svg.xpath('.//*[contains(@class, "mark")]')
    assert len(marks) == len(scale.events)
    assert svg.findtext("{http://www.w3.org/2000/svg}title") == "Restructuring events at Scale AI over time"
    assert "200 affected" in figure.findtext("figcaption")


def test_monthly_chart_has_one_mark_per_month_and_kind(site):
    report = build_site_at(sample(site))
    figure = lxml.etree.fromstring(str(monthly_chart(report.site.events)))
    wide = figure.find(f"{SVG}svg")
    marks = wide.xpath('.//*[contains(@class, "mark")]')
    # July's contractor cut has no headcount: it is counted in the lane below the axis, not drawn at zero.
    assert sorted(m.get("class") for m in marks) == ["mark k-closure", "mark k-layoff", "mark unknown"]
    assert figure.findtext("figcaption") == (
        "People affected per month, where a headcount was reported: July 2025: 200 (200 layoff); "
        "October 2025: 12 (12 closure). Without a headcount: July 2025: 1 event.")


def test_article_shows_corrections_and_marks_the_timeline(site):
    corrections = "\n  - date: 2025-07-21\n    note: The headcount was revised from 180 to 200."
    root = sample(site, {"content/articles/second.md": article(
        "Second report", "2025-07-20", companies="[Scale]", events=event(company="Scale", affected=200),
        corrections=corrections)})
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/07/second/index.html").read_bytes())
    assert page.xpath('string(//section[@class="corrections"]//li)') == \
        "July 21, 2025: The headcount was revised from 180 to 200."
    timeline = lxml.html.fromstring((root / "public/companies/scale-ai/index.html").read_bytes())
    row = timeline.xpath('//tr[@data-kind="layoff"]')[0]
    assert row.xpath("string(td[3])").split()[0] == "200"
    assert row.xpath('td//a[@class="corrected"]/@href') == ["/2025/07/second/#corrections-title"]


def test_article_events_table_links_company_timelines(site):
    root = sample(site)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/07/first/index.html").read_bytes())
    assert page.xpath('//section[@class="article-events"]//tbody/tr/td[2]/a/@href') == [
        "/companies/scale-ai/", "/companies/scale-ai/"]
