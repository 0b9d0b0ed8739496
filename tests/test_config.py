from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import BuildFailed


def errors_for(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "site.yaml").write_text(text)
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path / "site.yaml")
    return sorted(f"{p.line}:{p.col}: {p.message}" for p in failure.value.problems)


def test_defaults_fill_what_site_yaml_leaves_out(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.example/\n")
    config = load_config(tmp_path / "site.yaml")
    assert (config.language, config.theme, config.per_page, config.feed_items) == ("en", "default", 20, 50)
    assert str(config.timezone) == "UTC"
    assert config.content_dir == tmp_path / "content"
    assert config.output_dir == tmp_path / "public"


def test_unknown_key_suggests_closest(tmp_path):
    assert errors_for(tmp_path, "title: T\nbase_url: https://x.example/\nper_pgae: 3\n") == [
        "3:1: unknown key 'per_pgae' (did you mean 'per_page'?)"
    ]


def test_missing_title_and_base_url_are_both_reported(tmp_path):
    assert errors_for(tmp_path, "description: d\n") == ["1:1: base_url: is required", "1:1: title: is required"]


def test_relative_base_url_is_rejected(tmp_path):
    (problem,) = errors_for(tmp_path, "title: T\nbase_url: /news/\n")
    assert problem.startswith("2:11: base_url: '/news/' must be an absolute http(s) URL")


def test_base_url_gains_a_trailing_slash(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.example/news\n")
    config = load_config(tmp_path / "site.yaml")
    assert config.base_url == "https://x.example/news/"
    assert config.base_path == "/news/"


def test_unknown_timezone_is_named(tmp_path):
    (problem,) = errors_for(tmp_path, "title: T\nbase_url: https://x.example/\ntimezone: Europe/Pariss\n")
    assert problem == "3:11: timezone: 'Europe/Pariss' is not an IANA time zone name such as Europe/Paris"


def test_per_page_must_be_a_positive_whole_number(tmp_path):
    assert errors_for(tmp_path, "title: T\nbase_url: https://x.example/\nper_page: ten\nfeed_items: 0\n") == [
        "3:11: per_page: 'ten' is not a whole number",
        "4:13: feed_items: 0 must be at least 1",
    ]


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    (problem,) = errors_for(tmp_path, "title: T\nbase_url: [https://x.example/\n")
    assert problem.startswith("3:1: invalid YAML")


def test_authors_take_a_name_and_an_absolute_url(tmp_path):
    assert errors_for(tmp_path, "title: T\nbase_url: https://x.example/\nauthors:\n  ana:\n    nmae: Ana\n") == [
        "5:5: authors.ana.name: is required",
        "5:5: authors.ana: unknown key 'nmae' (did you mean 'name'?)",
    ]


def test_base_url_from_the_command_line_wins(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.example/\n")
    assert load_config(tmp_path / "site.yaml", base_url="http://localhost:8000").base_url == "http://localhost:8000/"


def test_author_kind_must_be_person_or_organization(tmp_path):
    assert errors_for(tmp_path, "title: T\nbase_url: https://x.example/\nauthors:\n  ana:\n    name: Ana\n"
                                "    kind: robot\n") == [
        "6:11: authors.ana.kind: 'robot' is not an author kind; use one of person, organization"]


def test_author_avatar_must_be_an_absolute_url(tmp_path):
    assert errors_for(tmp_path, "title: T\nbase_url: https://x.example/\nauthors:\n  ana:\n    name: Ana\n"
                                "    avatar: ana.png\n") == [
        "6:13: authors.ana.avatar: 'ana.png' is not an absolute URL (start it with https://)"]


def test_a_base_url_with_a_space_in_it_is_a_located_error(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://digest example.org/\n")
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path / "site.yaml")
    assert str(failure.value.problems[0]).endswith("2:11: base_url: 'https://digest example.org/' must be an "
                                                   "absolute http(s) URL such as https://digest.example.org/")
