"""Hostile or careless input: every problem is one located line, never a traceback, a hang or unsafe output."""

import time

import pytest

from digest.config import load_config
from digest.errors import BuildFailed
from sitetools import MINIMAL_CONFIG, article, build_errors, build_site_at

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
        "content/media1/chart.png": "first",
        "content/media2/chart.png": "second",
    })
    build_site_at(root)
    page = root / "public" / "2025" / "03" / "a"
    published = sorted(p.name for p in (page / "assets").iterdir())
    assert len(published) == 2 and "chart.png" in published
    assert sorted((page / "assets" / n).read_text() for n in published) == ["first", "second"]
    html = (page / "index.html").read_text()
    assert all(f'src="/2025/03/a/assets/{n}"' in html for n in published)
