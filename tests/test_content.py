"""Front matter validation: each mistake a hurried writer makes gives one located line."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitetools import FIXTURES, article, build_errors, build_site_at


def test_broken_fixture_reports_exactly_the_expected_lines(tmp_path, monkeypatch):
    root = tmp_path / "broken"
    shutil.copytree(FIXTURES / "broken", root)
    monkeypatch.chdir(root)
    expected = (FIXTURES / "broken" / "expected.txt").read_text().splitlines()
    assert build_errors(root) == expected


def test_single_string_is_a_one_item_list(site):
    root = site({"content/articles/a.md": article(tags="layoffs", companies="Acme")})
    report = build_site_at(root)
    (only,) = report.site.articles
    assert (only.tags, only.companies) == (("layoffs",), ("Acme",))


def test_mapping_where_a_list_is_expected_is_an_error(site):
    root = site({"content/articles/a.md": article(tags="{a: 1}")})
    assert build_errors(root) == ["content/articles/a.md:4:7: tags: {'a': 1} must be a list of text, e.g. [first, second]"]


def test_every_error_in_a_file_is_reported_not_only_the_first(site):
    root = site({"content/articles/a.md": "---\ndate: someday\ndraft: perhaps\n---\nBody\n"})
    assert build_errors(root) == [
        "content/articles/a.md:2:1: title: is required",
        "content/articles/a.md:2:7: date: 'someday' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)",
        "content/articles/a.md:3:8: draft: 'perhaps' must be true or false",
    ]


def test_errors_in_several_files_are_all_reported(site):
    root = site({
        "content/articles/a.md": article(date="2025-02-30"),
        "content/articles/b.md": article(colour="red"),
    })
    assert build_errors(root) == [
        "content/articles/a.md:3:7: date: '2025-02-30' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM+02:00)",
        "content/articles/b.md:4:1: unknown field 'colour'",
    ]


def test_slug_defaults_to_the_slugified_file_name(site):
    root = site({"content/articles/2025/Société Générale Cuts.md": article()})
    (only,) = build_site_at(root).site.articles
    assert only.slug == "societe-generale-cuts"
    assert only.path == "2025/03/societe-generale-cuts/"


def test_written_slug_is_never_rewritten(site):
    root = site({"content/articles/a.md": article(slug="Big News")})
    assert build_errors(root) == [
        "content/articles/a.md:4:7: slug: 'Big News' must be lower-case letters, digits and hyphens (did you mean 'big-news'?)"
    ]


def test_duplicate_slugs_name_both_files(site):
    root = site({
        "content/articles/2025/a/story.md": article(),
        "content/articles/2025/b/story.md": article(),
    })
    assert build_errors(root) == [
        "content/articles/2025/b/story.md:1: slug 'story' is already used by content/articles/2025/a/story.md"
    ]


def test_date_without_time_is_midnight_in_the_site_timezone(site):
    root = site({"content/articles/a.md": article(date="2025-03-01")},
                config="title: T\nbase_url: https://t.example/\ntimezone: Asia/Tokyo\n")
    (only,) = build_site_at(root).site.articles
    assert only.date.isoformat() == "2025-03-01T00:00:00+09:00"


def test_datetime_with_offset_is_that_moment_in_the_sites_zone(site):
    root = site({"content/articles/a.md": article(date="2025-10-14T09:30:00+02:00")})  # the site is on UTC
    (only,) = build_site_at(root).site.articles
    assert only.date.isoformat() == "2025-10-14T07:30:00+00:00"


def test_summary_defaults_to_the_first_paragraph_as_text(site):
    root = site({"content/articles/a.md": article(body="First *paragraph* with a [link](https://x.example/).\n\nSecond.")})
    (only,) = build_site_at(root).site.articles
    assert only.summary == "First paragraph with a link."


def test_updated_before_date_is_an_error(site):
    root = site({"content/articles/a.md": article(date="2025-03-02", updated="2025-03-01")})
    assert build_errors(root) == ["content/articles/a.md:4:10: updated: 2025-03-01 is before the publication date 2025-03-02"]


def test_event_needs_company_date_and_kind(site):
    root = site({"content/articles/a.md": article(events="\n  - affected: 3")})
    assert build_errors(root) == [
        "content/articles/a.md:5:5: events[0].company: is required",
        "content/articles/a.md:5:5: events[0].date: is required (YYYY-MM-DD)",
        "content/articles/a.md:5:5: events[0].kind: is required",
    ]


def test_company_profile_without_name_is_an_error(site):
    root = site({"content/companies/acme.yaml": "sector: Widgets\n"})
    assert build_errors(root) == ["content/companies/acme.yaml:1:1: name: is required"]


@pytest.mark.parametrize("text", ["", "# to fill in\n", "\n\n"])
def test_an_empty_company_profile_says_what_to_write(site, text):
    root = site({"content/companies/acme-corp.yaml": text})
    assert build_errors(root) == ["content/companies/acme-corp.yaml:1:1: the profile is empty; a company profile "
                                  "needs at least its name, e.g. 'name: Acme Corp'"]


def test_company_profile_file_name_must_be_a_slug(site):
    root = site({"content/companies/Acme Corp.yaml": "name: Acme Corp\n"})
    assert build_errors(root) == [
        "content/companies/Acme Corp.yaml:1:1: the file name 'Acme Corp' is the company's slug: "
        "rename the file to 'acme-corp.yaml'"
    ]


def test_a_correction_dated_before_the_article_is_a_located_error(site):
    root = site({"content/articles/a.md": article(
        date="2025-10-14", corrections='\n  - {date: 2025-10-01, note: "The figure was 200."}')})
    assert build_errors(root) == ["content/articles/a.md:5:12: corrections[0].date: 2025-10-01 is before the "
                                  "publication date 2025-10-14"]


def test_the_correction_dated_before_the_article_is_named_by_its_own_index(site):
    root = site({"content/articles/a.md": article(date="2025-10-14", corrections=(
        '\n  - {date: 2025-10-20}\n  - {date: 2025-10-01, note: "The figure was 200."}'))})
    assert "content/articles/a.md:6:12: corrections[1].date: 2025-10-01 is before the publication date 2025-10-14" \
        in build_errors(root)


def test_a_title_cut_short_by_a_hashtag_warns_on_its_line(site):
    root = site({"content/articles/a.md": article(title="Team #2 closes its Lyon office")})
    report = build_site_at(root)
    assert report.site.articles[0].title == "Team"  # as YAML reads it
    assert [str(w) for w in report.warnings] == [
        "content/articles/a.md:2:8: warning: title: YAML read '#2 closes its Lyon office' as a comment and left it "
        "out; put the whole value in quotes to keep it"]


def test_a_comment_after_a_field_that_is_not_prose_is_no_warning(site):
    root = site({"content/articles/a.md": article(title='"Team #2 closes"', kind="analysis  # or news")})
    report = build_site_at(root)
    assert report.site.articles[0].title == "Team #2 closes" and report.warnings == ()


def test_two_profiles_of_one_name_are_one_error_at_the_line_of_the_name(site):
    root = site({"content/companies/acme-corp.yaml": "name: Acme\n",
                 "content/companies/acme-inc.yaml": "name: Acme Inc\naliases:\n  - Widgets Co\n  - Acme\n"})
    assert build_errors(root) == [
        "content/companies/acme-inc.yaml:4: 'Acme' already names the company in content/companies/acme-corp.yaml; "
        "one company has one profile: merge the two, or drop the name from one of them"]


def test_a_profile_whose_file_name_is_another_companys_name_is_told_to_rename_the_file(site):
    root = site({"content/companies/acme-corp.yaml": "name: Acme\n", "content/companies/acme.yaml": "name: Widgets\n"})
    assert build_errors(root) == [
        "content/companies/acme.yaml: the file name 'acme' already names the company in "
        "content/companies/acme-corp.yaml; rename this file (its name is the company's slug), or merge the two profiles"]


def test_field_lines_answer_as_a_mapping_and_share_their_names_once_stored(site):
    import pickle

    root = site({"content/articles/a.md": article("A", "2025-03-01", tags="[x]"),
                 "content/articles/b.md": article("B", "2025-03-02", tags="[y]")})
    a, b = sorted(build_site_at(root).site.articles, key=lambda x: x.title)
    assert dict(a.field_lines) == {"title": (2, 8), "date": (3, 7), "tags": (4, 7)}
    assert a.field_lines.get("slug", (None, None)) == (None, None) and "tags" in a.field_lines
    stored_a, stored_b = pickle.loads(pickle.dumps(a.field_lines)), pickle.loads(pickle.dumps(b.field_lines))
    assert stored_a == a.field_lines and stored_a.names is stored_b.names  # one tuple of names per shape
