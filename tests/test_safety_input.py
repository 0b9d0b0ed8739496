"""Hostile or careless input: every problem is one located line, never a traceback, a hang or unsafe output."""

import re
import time

import pytest
from feedgen.entry import FeedEntry

from digest.config import load_config
from digest.errors import BuildFailed
from sitetools import MINIMAL_CONFIG, article, build_errors, build_site_at, image_bytes

# Nine lines that expand to 9**9 strings when every alias is followed.
YAML_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi")
)


def test_yaml_bomb_in_front_matter_is_refused_at_its_first_anchor_at_once(site):
    root = site({"content/articles/a.md": "---\ntitle: T\ndate: 2025-01-01\n" + YAML_BOMB + "---\nBody\n"})
    started = time.perf_counter()
    errors = build_errors(root)
    assert time.perf_counter() - started < 5
    assert errors == ["content/articles/a.md:4:4: YAML anchor '&a' is not allowed: write the value out "
                      "(or put text that starts with '&' in quotes)"]


def test_yaml_bomb_in_site_yaml_is_refused(tmp_path):
    (tmp_path / "site.yaml").write_text(MINIMAL_CONFIG + YAML_BOMB)
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path / "site.yaml")
    assert [str(p) for p in failure.value.problems][0].endswith("site.yaml:3:4: YAML anchor '&a' is not allowed: "
                                                                "write the value out (or put text that starts with "
                                                                "'&' in quotes)")


def test_alias_in_company_profile_is_refused_where_it_is_written(site):
    root = site({"content/companies/acme.yaml": "name: &n Acme\naliases: [*n]\n"})
    assert build_errors(root) == ["content/companies/acme.yaml:1:7: YAML anchor '&n' is not allowed: write the value "
                                  "out (or put text that starts with '&' in quotes)"]


def test_ampersand_and_star_inside_text_are_not_aliases(site):
    root = site({"content/articles/a.md": article(title="AT&T cuts *10%* of staff", tags="['*ai']")})
    (only,) = build_site_at(root).site.articles
    assert (only.title, only.tags) == ("AT&T cuts *10%* of staff", ("*ai",))


def test_date_that_overflows_in_utc_is_a_located_error_not_a_traceback(site):
    root = site({"content/articles/a.md": article(date="9999-12-31T23:00-05:00")})
    assert build_errors(root) == ["content/articles/a.md:3:7: date: '9999-12-31T23:00-05:00': the year must be "
                                  "between 1000 and 9999 once converted to UTC and to the site's timezone too"]


def test_latest_four_digit_date_builds(site):
    root = site({"content/articles/a.md": article(date="9999-12-31")})
    (only,) = build_site_at(root, future=True).site.articles
    assert only.path == "9999/12/a/"


@pytest.mark.parametrize("field", ["date", "updated"])
def test_year_below_1000_is_an_error(site, field):
    fields = {"date": "0005-06-01"} if field == "date" else {"updated": "0999-01-01T10:00Z"}
    root = site({"content/articles/a.md": article(**fields)})
    value = fields[field]
    assert f"{field}: '{value}': the year must be between 1000 and 9999" in build_errors(root)[-1]


def test_event_date_year_below_1000_is_an_error(site):
    root = site({"content/articles/a.md": article(events="[{company: Acme, date: 0999-01-01, kind: layoff}]")})
    assert build_errors(root) == ["content/articles/a.md:4:32: events[0].date: '0999-01-01': the year must be "
                                  "between 1000 and 9999"]


def test_local_time_in_a_dst_gap_is_an_error_naming_the_zone(site):
    root = site({"content/articles/a.md": article(date="2025-03-30T02:30")},
                config=MINIMAL_CONFIG + "timezone: Europe/Paris\n")
    assert build_errors(root) == ["content/articles/a.md:3:7: date: '2025-03-30T02:30' does not exist in "
                                  "Europe/Paris: the clocks skipped that hour; give the time with its offset "
                                  "(e.g. +02:00) or a time outside the gap"]


def test_local_time_shown_twice_is_read_as_the_first_with_a_warning(site):
    root = site({"content/articles/a.md": article(date="2025-10-26T02:30")},
                config=MINIMAL_CONFIG + "timezone: Europe/Paris\n")
    report = build_site_at(root)
    assert report.site.articles[0].date.utcoffset().total_seconds() == 7200
    assert [str(w) for w in report.warnings] == [
        "content/articles/a.md:3:7: warning: date: '2025-10-26T02:30' happens twice in Europe/Paris (the clocks "
        "went back); read as the first, 02:30+0200; give the offset to choose"]


def test_csv_cells_that_spreadsheets_would_run_as_formulas_start_with_a_quote_and_json_stays_raw(site):
    note = '"=HYPERLINK(""https://evil.example/"", ""click"")"'
    root = site({"content/articles/a.md": article(
        events=f"[{{company: Acme, date: 2025-02-01, kind: layoff, note: '=HYPERLINK(\"https://evil.example/\")', "
               "location: '@Dallas', unit: '+ops'}]")})
    build_site_at(root)
    table = (root / "public" / "data" / "events.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in table and ",'@Dallas,'+ops," in table
    assert '"=HYPERLINK' not in table and note not in table
    json_text = (root / "public" / "data" / "events.json").read_text()
    assert '"note": "=HYPERLINK(\\"https://evil.example/\\")"' in json_text


@pytest.mark.parametrize("field, value, where", [
    ("title", "'Acme \u202ecuts'", "2:8: title"),
    ("tags", "['lay\u2066offs']", "4:8: tags[0]"),
    ("companies", "[Acme, 'Glo\u202abex']", "4:19: companies[1]"),
    ("authors", "['Ann \u2067Lee']", "4:11: authors[0]"),
])
def test_bidi_controls_in_names_are_errors(site, field, value, where):
    fields = {"title": value} if field == "title" else {field: value}
    text = article(**fields) if field != "title" else article(title=value)
    root = site({"content/articles/a.md": text})
    (error,) = build_errors(root)
    assert error.startswith(f"content/articles/a.md:{where}: contains the invisible direction control U+")


def test_bidi_control_in_a_company_profile_name_is_an_error(site):
    root = site({"content/companies/acme.yaml": "name: \"Acme \\u202e\"\n"})
    assert build_errors(root) == ["content/companies/acme.yaml:1:7: name: contains the invisible direction control "
                                  "U+202E, which can make text show as something else; delete it"]


def test_zero_width_characters_in_names_are_removed_with_a_warning(site):
    root = site({"content/articles/a.md": article(tags="['lay\u200boffs']", companies="['Ac\ufeffme']")})
    report = build_site_at(root)
    (only,) = report.site.articles
    assert (only.tags, only.companies) == (("layoffs",), ("Acme",))
    assert sorted(str(w) for w in report.warnings if "zero-width" in str(w)) == [
        "content/articles/a.md:4:8: warning: tags[0]: invisible zero-width characters removed; read as 'layoffs'",
        "content/articles/a.md:5:13: warning: companies[0]: invisible zero-width characters removed; read as 'Acme'",
    ]


@pytest.mark.parametrize("title", ["می\u200cخواهم بدانم", "\u0915\u094d\u200d\u0937 cuts", "Coders 👩\u200d💻 cut"])
def test_joiners_a_script_spells_with_are_kept_without_a_warning(site, title):
    root = site({"content/articles/a.md": article(title=f'"{title}"')})
    report = build_site_at(root)
    assert report.site.articles[0].title == title
    assert not [w for w in report.warnings if "zero-width" in str(w)]


def test_a_joiner_inside_a_latin_name_is_removed_with_a_warning(site):
    root = site({"content/articles/a.md": article(companies="['Sca\u200dle AI', 'Soci\u00e9t\u00e9\u200c\u00c9']")})
    assert [c for c in build_site_at(root).site.articles[0].companies] == ["Scale AI", "Soci\u00e9t\u00e9\u00c9"]


@pytest.mark.parametrize("blank", ["'  '", "'\t'", "\"\\u00a0\"", "\"\\u3000\""])
def test_a_title_of_blanks_is_a_located_error(site, blank):
    root = site({"content/articles/a.md": article(title=blank)})
    assert build_errors(root) == ["content/articles/a.md:2:8: title: must not be empty"]


def test_a_title_of_zero_width_characters_alone_is_an_error_not_a_lost_article(site):
    root = site({"content/articles/a.md": article(title='"\\u200b"')})
    assert "content/articles/a.md:2:8: title: must not be empty (it held only invisible characters)" in build_errors(root)


def test_a_tag_of_zero_width_characters_alone_is_an_error(site):
    root = site({"content/articles/a.md": article(tags='["\\u200b", layoffs]')})
    assert "content/articles/a.md:4:8: tags[0]: empty item (it held only invisible characters); remove it" \
        in build_errors(root)


@pytest.mark.parametrize("name", ["🔥", "#", "&", "+", "…"])
def test_tag_with_nothing_to_slugify_gets_its_own_page_and_a_warning(site, name):
    root = site({"content/articles/a.md": article(tags=f"['{name}', layoffs]")})
    report = build_site_at(root)
    (tag,) = [t for t in report.site.tags if t.ref.name == name]
    assert tag.ref.slug.startswith("x-") and len(tag.ref.slug) == 8
    assert (root / "public" / "tags" / tag.ref.slug / "index.html").is_file()
    index = (root / "public" / "tags" / "index.html").read_text()
    assert f'href="/tags/{tag.ref.slug}/"' in index and 'href="/tags/layoffs/"' in index
    assert [str(w) for w in report.warnings] == [
        f"content/articles/a.md:4:8: warning: tags[0]: '{name}' has no letters or digits for a URL; "
        f"its page is /tags/{tag.ref.slug}/"]


def test_company_with_nothing_to_slugify_does_not_replace_the_companies_index(site):
    root = site({"content/articles/a.md": article(companies="['🔥']")})
    report = build_site_at(root)
    (company,) = report.site.companies
    assert company.ref.path != "companies//"
    assert "🔥" in (root / "public" / "companies" / company.ref.slug / "index.html").read_text()
    assert f'href="/companies/{company.ref.slug}/"' in (root / "public" / "companies" / "index.html").read_text()


def test_long_tag_is_cut_to_80_characters_with_a_hash_and_a_warning(site):
    long_name = "restructuring " * 30
    other = "restructuring " * 29 + "plans"
    root = site({"content/articles/a.md": article(tags=f"['{long_name.strip()}', '{other}']")})
    report = build_site_at(root)
    slugs = sorted(t.ref.slug for t in report.site.tags)
    assert len(slugs) == 2 and all(len(s) <= 80 for s in slugs)
    assert slugs[0].startswith("restructuring-restructuring-") and slugs[0][:-7] == slugs[1][:-7]
    assert sum("is too long for a URL" in str(w) for w in report.warnings) == 2


def test_file_name_with_nothing_to_slugify_still_publishes_with_a_warning(site):
    root = site({"content/articles/🔥.md": article()})
    report = build_site_at(root)
    (only,) = report.site.articles
    assert only.slug.startswith("x-")
    assert [str(w) for w in report.warnings] == [
        f"content/articles/🔥.md:2:1: warning: the file name '🔥.md' makes no usable slug, so the URL uses "
        f"'{only.slug}'; add a 'slug:' field to choose one"]


def test_written_slug_longer_than_80_characters_is_an_error(site):
    root = site({"content/articles/a.md": article(slug="a" * 81)})
    assert build_errors(root) == [f"content/articles/a.md:4:7: slug: '{'a' * 59}…' is longer than 80 characters; "
                                  "shorten it"]


def test_two_images_with_one_name_from_different_folders_are_both_published(site):
    root = site({
        "content/articles/2025/a.md": article(body="![one](../../media1/chart.png) ![two](../../media2/chart.png)"),
    })
    for folder in ("media1", "media2"):
        (root / "content" / folder).mkdir()
    (root / "content/media1/chart.png").write_bytes(image_bytes(500, 250, color="#111111"))
    (root / "content/media2/chart.png").write_bytes(image_bytes(500, 250, color="#eeeeee"))
    build_site_at(root)
    page = root / "public" / "2025" / "03" / "a"
    published = sorted(p.name for p in (page / "assets").iterdir() if p.name.endswith("-500.jpg"))
    assert len(published) == 2 and "chart-500.jpg" in published
    assert len({(page / "assets" / n).read_bytes() for n in published}) == 2
    html = (page / "index.html").read_text()
    assert all(f'src="/2025/03/a/assets/{n}"' in html for n in published)


def test_article_over_the_size_limit_is_refused_before_it_is_read(site):
    root = site({"content/articles/a.md": article()})
    with (root / "content/articles/big.md").open("w") as big:
        big.write(article())
        big.truncate(50 * 1024 * 1024)  # 50 MB, mostly a sparse hole
    started = time.perf_counter()
    errors = build_errors(root)
    assert time.perf_counter() - started < 5
    assert errors == ["content/articles/big.md: the file has 51,200 KB; at most 5,120 KB "
                      "(limits.file_size_kb in site.yaml)"]


def test_front_matter_over_its_limit_is_refused_before_yaml_reads_it(site):
    root = site({"content/articles/a.md": article(summary="x" * 70_000)})
    assert build_errors(root) == ["content/articles/a.md:1: front matter has 68 KB; at most 64 KB "
                                  "(limits.front_matter_kb in site.yaml)"]


def test_limits_are_set_in_site_yaml(site):
    root = site({"content/articles/a.md": article(tags="[a, b, c]")},
                config=MINIMAL_CONFIG + "limits:\n  tags_per_article: 2\n  file_size_kb: 1\n")
    assert build_errors(root) == ["content/articles/a.md:4:7: tags: 3 tags; at most 2 "
                                  "(limits.tags_per_article in site.yaml)"]


def test_unknown_or_bad_limit_is_a_config_error(tmp_path):
    (tmp_path / "site.yaml").write_text(MINIMAL_CONFIG + "limits:\n  tags_per_artcle: 2\n  nesting_depth: 0\n")
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path / "site.yaml")
    assert [f"{p.line}:{p.col}: {p.message}" for p in failure.value.problems] == [
        "4:3: limits: unknown key 'tags_per_artcle' (did you mean 'tags_per_article'?)",
        "5:18: limits.nesting_depth: 0 must be at least 1",
    ]


def test_more_companies_than_the_limit_is_an_error(site):
    names = ", ".join(f"Company {i}" for i in range(51))
    root = site({"content/articles/a.md": article(companies=f"[{names}]")})
    assert build_errors(root) == ["content/articles/a.md:4:12: companies: 51 companies; at most 50 "
                                  "(limits.companies_per_article in site.yaml)"]


def test_an_entry_gets_all_its_categories_at_once_so_many_tags_stay_quadratic(site, monkeypatch):
    """feedgen rebuilds every category of an entry on each call: one call per category made an article
    with n tags cost n feeds x n**2 (1,000 tags: minutes). The entry is also built once per article, not
    once per feed that carries it."""
    calls = []
    original = FeedEntry.category
    monkeypatch.setattr(FeedEntry, "category", lambda self, *a, **k: calls.append(1) or original(self, *a, **k))
    tags = ", ".join(f"topic {i}" for i in range(120))
    root = site({"content/articles/a.md": article(tags=f"[{tags}]")},
                config=MINIMAL_CONFIG + "limits:\n  tags_per_article: 1000\n")
    started = time.process_time()
    report = build_site_at(root, jobs=1)
    assert len(report.site.tags) == 120
    assert len(calls) == 1  # for the site's feeds, planned first, and reused by all 120 tags' feeds
    assert time.process_time() - started < 10


def test_nesting_deeper_than_the_limit_is_an_error_at_its_line(site):
    body = "Intro.\n\n" + ">" * 500 + " deep\n"
    root = site({"content/articles/a.md": article(body=body)})
    assert build_errors(root) == ["content/articles/a.md:8: lists and quotes nested 500 deep; at most 50 "
                                  "(limits.nesting_depth in site.yaml)"]


def test_nested_lists_count_towards_the_nesting_limit(site):
    body = "\n".join("    " * i + "- item" for i in range(60))
    root = site({"content/articles/a.md": article(body=body)})
    assert build_errors(root) == ["content/articles/a.md:65: lists and quotes nested 60 deep; at most 50 "
                                  "(limits.nesting_depth in site.yaml)"]


@pytest.mark.parametrize("body", ["[" * 20_000, "[a](" * 5_000, "![a](" * 4_000])
def test_runs_of_link_brackets_convert_quickly(site, body):
    root = site({"content/articles/a.md": article(body=body)})
    started = time.perf_counter()
    build_site_at(root)
    assert time.perf_counter() - started < 5


def test_markdown_over_its_time_budget_is_an_error_not_a_hang(site):
    root = site({"content/articles/a.md": article(body="<a " * 20_000)},
                config=MINIMAL_CONFIG + "limits:\n  markdown_seconds: 1\n")
    started = time.perf_counter()
    errors = build_errors(root)
    assert time.perf_counter() - started < 10
    assert errors == ["content/articles/a.md:5: the body takes over 1 s to convert to HTML; look for long runs of "
                      "'[', '<' or nesting (limits.markdown_seconds in site.yaml)"]


def _html_of(root, path="2025/03/a/index.html"):
    return (root / "public" / path).read_text()


def test_raw_script_and_event_handlers_are_removed_from_pages_and_feeds(site):
    body = ('Text <script>alert(1)</script> <img src="https://example.org/x.png" onerror="alert(2)"> '
            '<span onclick="alert(3)">s</span>\n\n<iframe src="https://evil.example/"></iframe>\n\nAfter\n{: onmouseover="alert(4)" }\n')
    root = site({"content/articles/a.md": article(body=body)})
    build_site_at(root)
    for path in ("2025/03/a/index.html", "feed.xml", "atom.xml", "feed.json"):
        text = _html_of(root, path)
        assert "alert(" not in text and "iframe" not in text, path
    assert "<span>s</span>" in _html_of(root)


def test_html_writers_use_on_purpose_is_kept(site):
    body = ("| a | b |\n|:--|--:|\n| 1 | 2 |\n\nH<sub>2</sub>O x<sup>2</sup> <abbr title=\"Hypertext\">HTML</abbr>\n\n"
            "<details><summary>More</summary>Hidden</details>\n\n"
            "<figure><img src=\"https://example.org/a.png\" alt=\"A\"><figcaption>Cap</figcaption></figure>\n\n"
            "Note[^1].\n\n[^1]: The note.\n")
    root = site({"content/articles/a.md": article(body=body)})
    build_site_at(root)
    html = _html_of(root)
    for kept in ('<th align="left">a</th>', '<td align="right">2</td>', "H<sub>2</sub>O", '<abbr title="Hypertext">HTML</abbr>',
                 "<details><summary>More</summary>Hidden</details>", "<figcaption>Cap</figcaption>",
                 '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>', '<li id="fn:1">', "&#8617;"):
        assert kept in html, kept


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                 "vbscript:msgbox(1)"])
def test_dangerous_link_in_markdown_is_a_located_error(site, url):
    root = site({"content/articles/a.md": article(body=f"First line.\n\nSee [this]({url}).\n")})
    assert build_errors(root) == [f"content/articles/a.md:8: link to '{url}': {url.split(':')[0].lower()}: addresses "
                                  "can run code or hide content; use http, https, mailto, tel, relative or "
                                  "#fragment addresses"]


def test_dangerous_image_and_raw_html_link_are_errors_too(site):
    root = site({"content/articles/a.md": article(body='![x](data:image/svg+xml,<svg>)\n\n<a href="java&#x09;script:x">y</a>\n')})
    errors = build_errors(root)
    assert len(errors) == 2 and all("addresses can run code or hide content" in e for e in errors)


@pytest.mark.parametrize("written", ["[y](&#106;avascript:alert(1))", '<a href="java&#x09;script:x">y</a>'])
def test_a_dangerous_link_written_with_character_references_is_located_at_its_line(site, written):
    root = site({"content/articles/a.md": article(body=f"First line.\n\nSecond paragraph.\n\nSee {written}.\n")})
    errors = build_errors(root)
    assert len(errors) == 1 and errors[0].startswith("content/articles/a.md:10: link to ")


@pytest.mark.parametrize("url, why", [
    ("file:///Users/me/chart.png", "this is a file on your computer, which readers cannot open; put the file beside "
                                   "the article and link to it by its name"),
    ("C:\\Users\\me\\memo.pdf", "this is a file on your computer, which readers cannot open; put the file beside "
                               "the article and link to it by its name"),
    ("ftp://files.example.org/memo.pdf", "ftp: addresses are not published; use http, https, mailto, tel, relative "
                                         "or #fragment addresses"),
])
def test_a_link_the_page_could_not_keep_is_a_located_error_not_an_empty_link(site, url, why):
    root = site({"content/articles/a.md": article(body=f"First line.\n\nSee [this](<{url}>).\n")})
    assert build_errors(root) == [f"content/articles/a.md:8: link to '{url}': {why}"]


def test_safe_links_are_kept(site):
    root = site({"content/articles/a.md": article(
        body="[web](https://example.org/) [mail](mailto:desk@example.org) [here](#section) [feed](../../../feed.xml) "
             "[call](tel:+33123456789)\n")})
    build_site_at(root)
    html = _html_of(root)
    for href in ("https://example.org/", "mailto:desk@example.org", "#section", "../../../feed.xml", "tel:+33123456789"):
        assert f'href="{href}"' in html


def test_takeaways_are_cleaned_and_a_dangerous_link_in_one_is_located(site):
    root = site({"content/articles/a.md": article(takeaways="['<b onclick=\"alert(1)\">bold</b> point', "
                                                             "'[x](javascript:alert(2))']")})
    assert build_errors(root) == ["content/articles/a.md:4:53: takeaways[1]: link to 'javascript:alert(2)': "
                                  "javascript: addresses can run code or hide content; use http, https, mailto, "
                                  "tel, relative or #fragment addresses"]
    (root / "content/articles/a.md").write_text(article(takeaways="['<b onclick=\"alert(1)\">bold</b> point']"))
    build_site_at(root)
    assert "<li><b>bold</b> point</li>" in _html_of(root) and "onclick" not in _html_of(root)


def test_company_description_is_cleaned(site):
    root = site({"content/articles/a.md": article(companies="[Acme]"),
                 "content/companies/acme.yaml": "name: Acme\ndescription: 'Makes <script>alert(1)</script> **tools**'\n"})
    build_site_at(root)
    page = _html_of(root, "companies/acme/index.html")
    assert "<strong>tools</strong>" in page and "alert(1)" not in page


def test_dangerous_link_in_company_description_is_located(site):
    root = site({"content/companies/acme.yaml": "name: Acme\ndescription: '[x](javascript:alert(1))'\n"})
    assert build_errors(root) == ["content/companies/acme.yaml:2:14: description: link to 'javascript:alert(1)': "
                                  "javascript: addresses can run code or hide content; use http, https, mailto, "
                                  "tel, relative or #fragment addresses"]


def test_unsafe_html_keeps_raw_html_for_sites_that_trust_every_writer(site):
    root = site({"content/articles/a.md": article(body='<div onclick="go()">x</div>\n\n<script src="https://example.org/w.js"></script>\n')},
                config=MINIMAL_CONFIG + "unsafe_html: true\n")
    build_site_at(root)
    html = _html_of(root)
    assert '<div onclick="go()">x</div>' in html and '<script src="https://example.org/w.js"></script>' in html


def test_security_headers_file_is_published_at_the_root(fixture_site):
    build_site_at(fixture_site)
    headers = (fixture_site / "public" / "_headers").read_text()
    for line in ("/*", "Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
                 "style-src 'self';", "X-Content-Type-Options: nosniff",
                 "Referrer-Policy: strict-origin-when-cross-origin", "Permissions-Policy: "):
        assert line in headers


def test_built_pages_have_no_inline_style_or_script_the_policy_would_block(fixture_site):
    (fixture_site / "content/articles/table.md").write_text(article(
        title="Aligned", body="| a | b |\n|:-:|--:|\n| 1 | 2 |\n"))
    build_site_at(fixture_site)
    # The weekly emails are email bodies, styled inline as email clients require (test_weekly.py), not pages.
    pages = [p for p in (fixture_site / "public").rglob("*.html") if p.name != "email.html"]
    assert len(pages) > 10
    for path in pages:
        text = path.read_text()
        assert " style=" not in text and "<style" not in text, path
        scripts = re.findall(r"<script([^>]*)>", text)
        assert all("src=" in s or 'type="application/ld+json"' in s for s in scripts), path


def test_indentation_inside_fenced_code_does_not_count_as_nesting(site):
    code = "\n".join(" " * (4 * i) + "{" for i in range(80))
    root = site({"content/articles/a.md": article(body=f"```json\n{code}\n```\n")})
    (only,) = build_site_at(root).site.articles
    assert "<pre><code" in only.html


@pytest.mark.parametrize("opening, says", [
    ('!!! takeaway "Key points"', "'!!! takeaway' is shown as text"),
    ("!!! Takeaways", "'!!! Takeaways' is shown as text"),
    ('!!! takeaways "Key points', "this takeaways box's title is shown as text"),
    ("!!! takeaways Key points", "this takeaways box's title is shown as text"),
])
def test_a_mistyped_takeaways_box_is_a_located_warning(site, opening, says):
    root = site({"content/articles/a.md": article(body=f"Intro.\n\n{opening}\n    - first point\n\n```\n!!! takeaway\n```\n")})
    warnings = [str(w) for w in build_site_at(root).warnings]
    assert len(warnings) == 1 and warnings[0].startswith(f"content/articles/a.md:8: warning: {says}")


def test_a_takeaways_box_and_other_boxes_raise_no_warning(site):
    root = site({"content/articles/a.md": article(body='!!! takeaways "Key points"\n    - first\n\n!!! note\n    x\n')})
    assert build_site_at(root).warnings == ()


def test_tags_written_as_one_comma_separated_line_are_a_warning_with_the_list_to_write(site):
    root = site({"content/articles/a.md": article(tags="layoffs, contractors")})
    report = build_site_at(root)
    assert [str(w) for w in report.warnings] == [
        "content/articles/a.md:4:7: warning: tags: 'layoffs, contractors' is one tag; for several, write a list: "
        "[layoffs, contractors]"]
