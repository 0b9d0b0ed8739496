"""Events: merged across articles, totalled per company, drawn, exported and shown in the tracker."""

import csv
import dataclasses
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


def test_a_company_spelled_close_to_a_profiles_name_is_asked_about(site):
    root = site({"content/companies/scale-ai.yaml": "name: Scale AI\n",
                 "content/articles/a.md": article(companies="[Scale A.I.]")})
    assert [str(w) for w in build_site_at(root).warnings] == [
        "content/articles/a.md:4: warning: company 'Scale A.I.' has no profile; did you mean 'Scale AI' "
        "(content/companies/scale-ai.yaml)? If not, add content/companies/scale-a-i.yaml with 'name: Scale A.I.' "
        "(or an alias to an existing profile)"]


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


# Figures with their precision, events on several companies, primary sources (issue 14).

PRECISE = {
    "content/companies/scale-ai.yaml": PROFILE,
    "content/companies/meta.yaml": "name: Meta Platforms\naliases: [Meta]\n",
    "content/articles/dallas.md": article(
        "Dallas", "2025-10-10", companies="[Scale AI]", events=event(
            date="2025-10-08", kind="closure", contractors="{value: 12, qualifier: at-least}")),
    "content/articles/july.md": article(
        "July", "2025-07-16", companies="[Scale AI]", events=event(
            employees="{value: 200, qualifier: about}", affected_note="hundreds of contractors",
            source="{title: Memo, url: 'https://example.com/memo', kind: company-statement}")),
    "content/articles/meta.md": article(
        "Meta", "2025-06-13", companies="[Meta, Scale AI]", events=event(
            date="2025-06-12", kind="investment",
            companies="[{name: Scale AI, role: target}, {name: Meta, role: investor}]")),
}


def test_precision_round_trips_from_front_matter_to_page_csv_and_json(site):
    root = site(PRECISE)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    people = {r.xpath("string(td[1]/@data-value)"): r.xpath('string(td[contains(@class, "people")])').strip()
              for r in page.xpath('//table[@id="tracker-table"]/tbody/tr')}
    assert people == {"2025-10-08": "12+ contractors",
                      "2025-07-16": "about 200 employees + hundreds of contractors",
                      "2025-06-12": "not reported"}
    text = (root / "public/data/events.csv").read_bytes().decode("utf-8-sig")
    rows = {r["date"]: r for r in csv.DictReader(io.StringIO(text))}
    assert [(rows[d]["affected"], rows[d]["affected_qualifier"]) for d in sorted(rows)] == [
        ("", ""), ("200", "about"), ("12", "at-least")]
    assert (rows["2025-07-16"]["employees"], rows["2025-07-16"]["employees_qualifier"],
            rows["2025-07-16"]["contractors"], rows["2025-07-16"]["affected_note"]) == (
        "200", "about", "", "hundreds of contractors")
    events = {e["date"]: e for e in json.loads((root / "public/data/events.json").read_text())["events"]}
    assert events["2025-06-12"]["affected"] is None and events["2025-06-12"]["affected_qualifier"] is None
    assert (events["2025-10-08"]["contractors"], events["2025-10-08"]["contractors_qualifier"]) == (12, "at-least")
    assert events["2025-07-16"]["employees"] == 200 and events["2025-07-16"]["contractors"] is None


def test_primary_source_is_shown_and_exported(site):
    root = site(PRECISE)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    (cell,) = page.xpath('//tr[@data-year="2025"][td[1]/@data-value="2025-07-16"]/td[contains(@class, "source")]')
    assert cell.xpath("a/@href") == ["https://example.com/memo"]
    assert " ".join(cell.text_content().split()) == "Memo (company statement)"
    (row,) = [r for r in json.loads((root / "public/data/events.json").read_text())["events"]
              if r["date"] == "2025-07-16"]
    assert (row["source_title"], row["source_url"], row["source_kind"]) == (
        "Memo", "https://example.com/memo", "company-statement")


def test_event_on_two_companies_shows_on_both_pages_and_counts_once(site):
    root = site(PRECISE)
    report = build_site_at(root)
    assert len(report.site.events) == 3
    for slug, role in (("meta", "investor"), ("scale-ai", "target")):
        page = lxml.html.fromstring((root / f"public/companies/{slug}/index.html").read_bytes())
        (row,) = page.xpath('//table[@class="events"]/tbody/tr[@data-kind="investment"]')
        assert row.xpath('string(.//span[@class="role"])').strip() == f"({role})"
    tracker = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    assert len(tracker.xpath('//tr[@data-kind="investment"]')) == 1
    assert tracker.xpath('string(//dd[@data-total="events"])') == "3"
    assert tracker.xpath('string(//dd[@data-total="companies"])') == "2"
    (row,) = [r for r in json.loads((root / "public/data/events.json").read_text())["events"]
              if r["kind"] == "investment"]
    assert row["company_slug"] == "scale-ai" and row["companies"] == [
        {"slug": "scale-ai", "name": "Scale AI", "role": "target"},
        {"slug": "meta", "name": "Meta Platforms", "role": "investor"}]
    companies = {c["slug"]: c for c in json.loads((root / "public/data/companies.json").read_text())["companies"]}
    assert companies["meta"]["events"] == 1 and companies["meta"]["affected"] is None


def test_an_events_companies_written_as_one_name_is_that_company(site):
    root = site({"content/articles/a.md": article(companies="[Acme]", events=event(
        company="Acme", kind="investment", companies="Google"))})
    (only,) = build_site_at(root).site.events
    assert [i.company.name for i in only.involved] == ["Acme", "Google"]


def test_totals_say_what_they_include(site):
    root = site(PRECISE)
    build_site_at(root)
    tracker = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    assert tracker.xpath('string(//dd[@data-total="people"])') == "about 212"
    assert tracker.xpath('string(//p[@data-total="sentence"])') == (
        "About 212 people in 2 of 3 events with a reported headcount, plus hundreds of contractors.")
    meta = lxml.html.fromstring((root / "public/companies/meta/index.html").read_bytes())
    figures = dict(zip(meta.xpath('//dl[@class="headline-figures"]//dt/text()'),
                       meta.xpath('//dl[@class="headline-figures"]//dd/text()')))
    assert figures["People affected"] == "not reported"
    companies = lxml.html.fromstring((root / "public/companies/index.html").read_bytes())
    people = {r.xpath("string(td[1])"): r.xpath("string(td[5])") for r in companies.xpath("//tbody/tr")}
    assert people == {"Meta Platforms": "headcount not reported", "Scale AI": "about 212 in 2 of 3 events"}


def test_figures_and_roles_are_validated_with_lines(site):
    events = (event(affected=-3) + event(kind="closure", affected=12.5)
              + event(kind="investment", affected="{value: 10, qualifier: roughly}",
                      companies="[{name: Meta, role: funder}]", source="{title: T, url: 'https://x.org/', kind: blog}")
              + event(kind="acquisition", employees="{qualifier: about}"))
    root = site({"content/articles/a.md": article(events=events)})
    assert build_errors(root) == [
        "content/articles/a.md:8:15: events[0].affected: -3 must be at least 0",
        "content/articles/a.md:12:15: events[1].affected: 12.5 is not a whole number; write words such as "
        "'hundreds' in affected_note, and 'about 200' as {value: 200, qualifier: about}",
        "content/articles/a.md:16:38: events[2].affected.qualifier: 'roughly' is not a qualifier; "
        "use one of exactly, about, at-least, up-to",
        "content/articles/a.md:17:36: events[2].companies[0].role: 'funder' is not a role; "
        "use one of investor, target, acquirer, acquired, client, supplier, agency, partner",
        "content/articles/a.md:18:53: events[2].source.kind: 'blog' is not a kind of source; "
        "use one of warn-notice, filing, company-statement, press-report",
        "content/articles/a.md:22:16: events[3].employees.value: is required (a whole number; leave the figure "
        "out when it was not reported)",
    ]


def test_affected_fewer_than_its_worker_types_is_an_error(site):
    root = site({"content/articles/a.md": article(events=event(
        affected=150, employees=100, contractors="{value: 60, qualifier: at-least}"))})
    assert build_errors(root) == [
        "content/articles/a.md:8:15: events[0].affected: 150 is fewer than employees and contractors together "
        "(at least 160)"]


def chart_of(root, slug="scale-ai"):
    page = lxml.html.fromstring((root / f"public/companies/{slug}/index.html").read_bytes())
    (figure,) = page.xpath('//figure[@class="chart"]')
    return figure


def test_chart_marks_are_labelled_and_in_the_legend(site):
    root = site(PRECISE)
    build_site_at(root)
    figure = chart_of(root)
    legend = [li.text_content() for li in figure.xpath('ul[@class="legend"]/li')]
    assert legend[:3] == ["Closure", "Investment", "Layoff"] and legend[3].startswith("n/r: headcount not reported")
    for svg in figure.xpath("svg"):
        marks = svg.xpath('.//*[contains(concat(" ", @class, " "), " mark ")]')
        assert len(marks) == 3
        for mark in marks:
            assert mark.findtext("title") and mark.get("data-kind") in ("closure", "investment", "layoff")
        values = svg.xpath('.//text[contains(@class, "value")]/text()')
        assert values == ["about 200", "12+"]
        assert svg.xpath('string(.//text[@class="axis-title"])') == "People affected"
    assert "October 8, 2025, closure, 12+ contractors affected" in figure.findtext("figcaption")


def test_chart_draws_no_mark_at_zero_for_an_unknown_headcount(site):
    root = site(PRECISE)
    build_site_at(root)
    for svg in chart_of(root).xpath("svg"):
        base = float(svg.xpath('.//line[@class="axis"]/@y1')[0])
        (unknown,) = svg.xpath('.//*[@data-kind="investment"]')
        assert unknown.tag == "circle" and float(unknown.get("cy")) > base + 8
        assert all(float(r.get("height")) > 0 for r in svg.xpath(".//rect"))


def test_chart_text_is_at_least_12_px_on_a_phone(site):
    root = site(PRECISE)
    build_site_at(root)
    phone_content_width = 390 - 2 * 16  # the page's side padding
    for figure in (chart_of(root), lxml.html.fromstring(
            (root / "public/tracker/index.html").read_bytes()).xpath('//figure[@class="chart"]')[0]):
        (narrow,) = figure.xpath('svg[@class="chart-narrow"]')
        scale = phone_content_width / float(narrow.get("viewbox").split()[2])
        sizes = [float(t.get("font-size")) * scale for t in narrow.xpath(".//text")]
        assert sizes and min(sizes) >= 12


def test_same_day_marks_do_not_overlap(site):
    root = site(PRECISE)
    report = build_site_at(root)
    scale = next(c for c in report.site.companies if c.ref.slug == "scale-ai")
    same_day = [e for e in scale.events if e.date.isoformat() == "2025-06-12"]
    extra = dataclasses.replace(same_day[0], kind="leadership-change")
    figure = lxml.etree.fromstring(str(company_chart((*scale.events, extra), "Scale AI")))
    for svg in figure.findall(f"{SVG}svg"):
        circles = sorted(float(c.get("cx")) for c in svg.findall(f".//{SVG}circle"))
        assert len(circles) == 2 and circles[1] - circles[0] >= 2 * float(svg.find(f".//{SVG}circle").get("r"))


def test_no_chart_for_a_single_event(site):
    root = site({"content/articles/a.md": article(companies="[Acme]", events=event(company="Acme", affected=3)),
                 "content/companies/acme.yaml": "name: Acme\n"})
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/companies/acme/index.html").read_bytes())
    assert page.xpath('//figure[@class="chart"]') == [] and page.xpath('//table[@class="events"]')


def test_no_chart_when_no_event_has_a_headcount(site):
    root = site({"content/articles/a.md": article(companies="[Acme]", events=event(company="Acme") + event(
        company="Acme", kind="closure")), "content/companies/acme.yaml": "name: Acme\n"})
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/companies/acme/index.html").read_bytes())
    assert page.xpath('//figure[@class="chart"]') == []
    assert page.xpath('string(//p[@class="total-scope"])') == "No headcount reported."


def test_company_and_tag_pages_link_to_their_filtered_tracker(site):
    root = site({**PRECISE, "content/articles/july.md": article(
        "July", "2025-07-16", companies="[Scale AI]", tags="[Layoffs]", events=event(affected=5))})
    build_site_at(root)
    company = lxml.html.fromstring((root / "public/companies/scale-ai/index.html").read_bytes())
    assert "/tracker/?company=scale-ai" in company.xpath("//a/@href")
    tag = lxml.html.fromstring((root / "public/tags/layoffs/index.html").read_bytes())
    assert "/tracker/?tag=layoffs" in tag.xpath("//a/@href")
    tracker = lxml.html.fromstring((root / "public/tracker/index.html").read_bytes())
    assert tracker.xpath('//tr[@data-tag="layoffs"]/td[1]/@data-value') == ["2025-07-16"]
    assert tracker.xpath('//select[@name="tag"]/option/@value') == ["", "layoffs"]


def test_data_page_explains_every_column(site):
    root = site(PRECISE)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/data/index.html").read_bytes())
    from digest.opendata import EVENT_COLUMNS
    assert page.xpath('//table[@class="columns"]//td[1]/code/text()') == list(EVENT_COLUMNS)
    assert "CC BY 4.0" in page.text_content()
    header = (root / "public/data/events.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(EVENT_COLUMNS)


def test_a_headcount_in_base_60_is_a_located_error_not_ninety_people(site):
    root = site({"content/articles/a.md": article(companies="[Acme]", events=event(company="Acme", affected="1:30"))})
    [problem] = build_errors(root)
    assert problem.startswith("content/articles/a.md:9:15: events[0].affected: '1:30'")


def test_two_events_of_one_company_kind_and_day_in_an_article_are_an_error_not_a_merge(site):
    root = site({"content/articles/a.md": article(companies="[Acme]", events=event(
        company="Acme", affected="100", location="Dallas") + event(company="Acme", affected="50", location="Berlin"))})
    assert build_errors(root) == [
        "content/articles/a.md:11:5: events[1]: events[0] already reports a layoff at Acme on 2025-07-16, and the "
        "tracker counts one event per company, kind and day: write them as one event (the total, with both places "
        "in location or note)"]
