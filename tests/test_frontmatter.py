from pathlib import Path

import pytest

from digest.frontmatter import YamlProblem, decode, load_yaml, split_front_matter


def split(text: str):
    return split_front_matter(text, Path("a.md"), "a.md")


def test_body_line_is_the_line_after_the_closing_dashes():
    doc = split("---\ntitle: T\ndate: 2025-01-01\n---\nBody\n")
    assert doc.body_line == 5
    assert doc.body == "Body\n"


def test_every_key_keeps_its_file_line_and_column():
    doc = split("---\ntitle: T\ntags:\n  - a\n  - b\n---\n")
    assert doc.meta.keys[("tags",)] == (3, 1)
    assert doc.meta.values[("tags", 1)] == (5, 5)


def test_dates_stay_text_for_the_validators():
    assert split("---\ndate: 2025-01-01\n---\n").meta.data == {"date": "2025-01-01"}


def test_windows_newlines_and_bom_are_accepted():
    doc = split(decode("\ufeff---\r\ntitle: T\r\n---\r\nBody\r\n".encode(), "a.md"))
    assert doc.meta.data == {"title": "T"}
    assert doc.body == "Body\n"


def test_empty_front_matter_is_an_empty_mapping():
    assert split("---\n---\nBody").meta.data == {}


def test_dangerous_yaml_tags_are_refused():
    with pytest.raises(YamlProblem) as problem:
        load_yaml("x: !!python/object/apply:os.system ['true']", "a.md")
    assert "invalid YAML" in str(problem.value)


def test_closing_dots_also_end_front_matter():
    assert split("---\ntitle: T\n...\nBody").body == "Body"


@pytest.mark.parametrize("written, read", [("0120", 120), ("012", 12), ("1_000", 1000), ("-5", -5), ("12.5", 12.5),
                                           ("1:30", "1:30"), ("1:30.5", "1:30.5"), ("0x10", "0x10"), ("0b101", "0b101")])
def test_numbers_are_read_as_a_writer_means_them(written, read):
    """YAML 1.1 read 0120 as octal (80), 1:30 as base 60 (90) and 0x10 as 16: a headcount silently changed.
    Numbers are decimal; the rest stays text, which a figure's own check reports."""
    assert load_yaml(f"affected: {written}", "a.md").data["affected"] == read


@pytest.mark.parametrize("yaml_text, hint", [
    ("takeaways:\n  - **Four weeks** of severance.\n",
     "(a value that starts with '*' is read as YAML, not text: put the whole value in quotes, e.g. "
     "'**Four weeks** of severance.')"),
    ("summary: `code` here\n", "e.g. '`code` here')"),
    ("takeaways:\n  - [Link](https://x.example/) first.\n", "e.g. '[Link](https://x.example/) first.')"),
    ('takeaways:\n  - "Quoted" said the CEO.\n', "put the whole value in the other kind of quotes, e.g. "
                                                "'\"Quoted\" said the CEO.')"),
    ('title: "Scale says "no""\n', "e.g. 'Scale says \"no\"')"),
    ("title: 'It's fine'\n", "e.g. \"It's fine\")"),
    ("tags:\n\t- layoffs\n", "(indent with spaces, not tabs)"),
])
def test_a_yaml_mistake_is_explained_from_the_line_that_made_it(yaml_text, hint):
    with pytest.raises(YamlProblem) as failure:
        load_yaml(yaml_text, "a.md")
    assert str(failure.value.problem).endswith(hint)


@pytest.mark.parametrize("prose", ["Acme said on Monday that it would cut jobs.", "Acme said: it would cut 200 jobs."])
def test_front_matter_left_open_above_a_body_with_a_rule_names_the_bodys_first_line(prose):
    text = f"---\ntitle: T\ndate: 2025-10-14\n\n{prose}\n\n---\n\nMore.\n"
    with pytest.raises(YamlProblem) as failure:
        split_front_matter(text, Path("a.md"), "a.md")
    assert str(failure.value.problem) == ("a.md:5:1: this reads as the body, but the front matter is not closed above "
                                          "it: add a '---' line after the last field")


def test_blank_lines_and_comments_between_fields_are_still_front_matter():
    text = "---\ntitle: T\n\ndate: 2025-10-14\n\n# a comment\n'quoted': x\n---\n\nBody.\n"
    assert split_front_matter(text, Path("a.md"), "a.md").meta.data == {"title": "T", "date": "2025-10-14",
                                                                          "quoted": "x"}
