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
