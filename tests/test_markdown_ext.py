import re
from pathlib import Path

from digest import markdown_ext
from digest.markdown_ext import DEFAULT_TAKEAWAYS_TITLE, first_paragraph_text, make_markdown, render, render_inline
from digest.themedirs import SHIPPED_THEME_DIRS

import jinja2


def partial_box(points: list[str]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SHIPPED_THEME_DIRS[1] / "default" / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    # The theme's environment gives the partial the same default title the Markdown box uses.
    return env.get_template("_takeaways.html").render(takeaways=points, takeaways_title=DEFAULT_TAKEAWAYS_TITLE)


def test_takeaways_block_renders_to_an_aside_with_heading_and_items():
    html = render('!!! takeaways "What matters"\n    - first point\n    - second *point*\n')
    assert html == (
        '<aside class="takeaways">\n<h2>What matters</h2>\n<ul>\n'
        "<li>first point</li>\n<li>second <em>point</em></li>\n</ul>\n</aside>"
    )


def test_takeaways_block_without_title_uses_key_takeaways():
    assert "<h2>Key takeaways</h2>" in render("!!! takeaways\n    - a\n")


def test_front_matter_box_and_body_box_render_alike():
    body_box = render("!!! takeaways\n    - one **bold**\n    - two\n")
    front_matter_box = partial_box([render_inline("one **bold**"), render_inline("two")])
    assert front_matter_box.strip() == body_box.strip()


def test_text_around_the_box_stays_in_place():
    html = render("Before.\n\n!!! takeaways\n    - a\n\nAfter.\n")
    assert html.index("Before.") < html.index("<aside") < html.index("After.")


def test_other_admonition_markers_are_left_as_text():
    assert "<aside" not in render('!!! note "x"\n    - a\n')


def test_tables_footnotes_and_heading_ids_are_on():
    html = render("## Cuts\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nText[^1].\n\n[^1]: A note.\n")
    assert '<h2 id="cuts">' in html and "<table>" in html and 'class="footnote"' in html


def test_one_converter_gives_the_same_html_twice():
    md = make_markdown()
    text = "Text[^1].\n\n[^1]: note\n"
    first = md.convert(text)
    md.reset()
    assert md.convert(text) == first


def test_inline_markdown_drops_the_paragraph():
    assert render_inline("a *b* [c](/x)") == 'a <em>b</em> <a href="/x">c</a>'


def test_first_paragraph_skips_a_leading_takeaways_box():
    html = render("!!! takeaways\n    - point\n\nThe &amp; first paragraph[^1].\n\n[^1]: n\n")
    assert first_paragraph_text(html) == "The & first paragraph."


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60).map(str.strip))
def test_inline_fast_path_renders_exactly_like_markdown(text):
    from digest import markdown_ext

    md = markdown_ext.render(text)
    match = markdown_ext._SINGLE_PARAGRAPH.match(md)
    slow = match.group(1) if match and "<p>" not in match.group(1) else md
    assert render_inline(text) == slow


def test_a_heading_never_takes_an_id_the_theme_gives_the_page():
    html = markdown_ext.render("## Main\n\nText.\n\n## Main\n\n## Sources\n")
    assert re.findall(r'id="([^"]+)"', html) == ["main_1", "main_2", "sources"]


def test_the_reserved_ids_are_the_ids_of_the_default_themes_templates():
    templates = SHIPPED_THEME_DIRS[1] / "default" / "templates"
    found = {m for t in templates.rglob("*") if t.suffix in (".html", ".xsl")
             for m in re.findall(r'\b(?:id|table_id)="([a-z][a-z0-9-]*)"', t.read_text())}
    assert set(markdown_ext.THEME_IDS) == found
