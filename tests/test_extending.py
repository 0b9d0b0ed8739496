"""Escape hatches that stay strict: `extra:` for templates, `markdown:` for more Python-Markdown extensions,
and a warning for every Markdown file the build does not read."""

import lxml.html
import pytest

from sitetools import MINIMAL_CONFIG, article, build_errors, build_site_at

PAGE_TEMPLATE = """{% extends "base.html" %}{% block main %}
<p id="extra">{{ config.extra.newsletter }}|{{ page.extra.banner }}|{{ page.extra.links | join(",") }}</p>
{% endblock %}"""
ARTICLE_TEMPLATE = """{% extends "base.html" %}{% block main %}
<p id="extra">{{ article.extra.kicker }}|{{ config.extra.newsletter }}</p>{{ article.html | safe }}
{% endblock %}"""
EXTRA_CONFIG = MINIMAL_CONFIG + "extra:\n  newsletter: Every Friday\n"


def text(root, path: str, xpath: str) -> str:
    return lxml.html.fromstring((root / "public" / path).read_bytes()).xpath(f"string({xpath})")


def test_extra_in_site_yaml_and_front_matter_reaches_templates(site):
    root = site({
        "templates/page.html": PAGE_TEMPLATE,
        "templates/article.html": ARTICLE_TEMPLATE,
        "content/pages/about.md": "---\ntitle: About\nextra:\n  banner: Hiring\n  links: [a, b]\n---\nText.\n",
        "content/articles/a.md": article(extra="{kicker: Exclusive}"),
    }, config=EXTRA_CONFIG)
    build_site_at(root)
    assert text(root, "about/index.html", "//p[@id='extra']") == "Every Friday|Hiring|a,b"
    assert text(root, "2025/03/a/index.html", "//p[@id='extra']") == "Exclusive|Every Friday"


def test_extra_that_is_not_a_mapping_is_a_located_error(site):
    root = site({"content/articles/a.md": article(extra="[kicker]")}, config=MINIMAL_CONFIG + "extra: soon\n")
    assert build_errors(root) == ["site.yaml:3:8: extra: 'soon' must be a mapping of 'key: value' lines"]
    (root / "site.yaml").write_text(MINIMAL_CONFIG)
    assert build_errors(root) == ["content/articles/a.md:4:8: extra: ['kicker'] must be a mapping of 'key: value' lines"]


def test_known_fields_stay_validated_beside_extra(site):
    root = site({"content/articles/a.md": article(extra="{anything: [goes, here]}", compnay="Acme")})
    assert build_errors(root) == ["content/articles/a.md:5:1: unknown field 'compnay' (did you mean 'companies'?)"]


def test_a_configured_markdown_extension_renders_bodies_and_takeaways(site):
    pytest.importorskip("pymdownx")
    config = MINIMAL_CONFIG + "markdown:\n  extensions: [pymdownx.tilde]\n"
    root = site({"content/articles/a.md": article(body="It was ~~final~~ revised.", takeaways="['~~old~~ new']")},
                config=config)
    build_site_at(root)
    page = lxml.html.fromstring((root / "public/2025/03/a/index.html").read_bytes())
    assert page.xpath("//div[@class='body']//del/text()") == ["final"]
    assert page.xpath("//aside[@class='takeaways']//del/text()") == ["old"]


def test_extension_configs_set_an_extensions_options(site):
    pytest.importorskip("pymdownx")
    config = MINIMAL_CONFIG + ("markdown:\n  extensions: [pymdownx.tilde]\n  extension_configs:\n"
                               "    pymdownx.tilde: {subscript: false}\n    toc: {permalink: true}\n")
    root = site({"content/articles/a.md": article(body="## Cuts\n\nIt was ~~final~~ for H~2~O.")}, config=config)
    build_site_at(root)
    html = (root / "public/2025/03/a/index.html").read_text()
    assert "<del>final</del> for H~2~O" in html
    assert 'class="headerlink"' in html  # toc is one of digest's own extensions, configured the same way


def test_an_extension_that_cannot_be_imported_is_an_error_on_its_line(site):
    config = MINIMAL_CONFIG + "markdown:\n  extensions:\n    - tables\n    - pymdownx.no_such_thing\n"
    root = site({"content/articles/a.md": article()}, config=config)
    [problem] = build_errors(root)
    assert problem.startswith("site.yaml:6:7: markdown.extensions[1]: 'pymdownx.no_such_thing' cannot be imported")


def test_a_module_that_is_not_an_extension_is_an_error_on_its_line(site):
    root = site({"content/articles/a.md": article()}, config=MINIMAL_CONFIG + "markdown:\n  extensions: [json]\n")
    assert build_errors(root) == ["site.yaml:4:16: markdown.extensions[0]: 'json' is not a Python-Markdown "
                                  "extension (the module has no makeExtension)"]


def test_settings_an_extension_does_not_have_are_an_error_on_their_line(site):
    config = MINIMAL_CONFIG + "markdown:\n  extension_configs:\n    toc: {no_such_option: 1}\n"
    root = site({"content/articles/a.md": article()}, config=config)
    assert build_errors(root) == ["site.yaml:5:5: markdown.extension_configs.toc: 'toc' has no setting 'no_such_option'"]


def test_settings_for_an_extension_that_is_not_listed_are_an_error(site):
    config = MINIMAL_CONFIG + "markdown:\n  extension_configs:\n    smarty: {}\n  extentions: [smarty]\n"
    root = site({"content/articles/a.md": article()}, config=config)
    assert build_errors(root) == [
        "site.yaml:5:5: markdown.extension_configs.smarty: configures 'smarty', which is not in markdown.extensions",
        "site.yaml:6:3: markdown: unknown key 'extentions' (did you mean 'extensions'?)",
    ]


def test_adding_an_extension_parses_cached_articles_again(site):
    pytest.importorskip("pymdownx")
    root = site({"content/articles/a.md": article(body="It was ~~final~~.")})
    build_site_at(root)
    (root / "site.yaml").write_text(MINIMAL_CONFIG + "markdown:\n  extensions: [pymdownx.tilde]\n")
    build_site_at(root)
    assert "<del>final</del>" in (root / "public/2025/03/a/index.html").read_text()


def test_markdown_files_the_build_does_not_read_are_warned_about_with_where_they_belong(site):
    root = site({
        "content/articles/a.md": article(),
        "content/x.md": article(),
        "content/posts/y.md": article(),
        "content/pages/old/z.md": article(),
        "content/pages/about.md": "---\ntitle: About\n---\nText.\n",
        "content/_notes.md": "kept out on purpose",
        "content/media/readme.md": "published as it is",
    })
    warnings = [str(w) for w in build_site_at(root).warnings]
    assert warnings == [
        "content/pages/old/z.md: warning: not read: pages are read only directly in content/pages/ "
        "(content/pages/z.md)",
        "content/posts/y.md: warning: not read: an article goes anywhere under content/articles/ "
        "(content/articles/posts/y.md), a page in content/pages/ (content/pages/y.md)",
        "content/x.md: warning: not read: an article goes anywhere under content/articles/ "
        "(content/articles/x.md), a page in content/pages/ (content/pages/x.md)",
    ]


def test_a_markdown_file_not_named_dot_md_is_warned_about_with_its_name_to_be(site):
    root = site({
        "content/articles/a.md": article(),
        "content/articles/b.markdown": article(),
        "content/articles/2025/c.MD": article(),
        "content/articles/d.md.txt": article(),
        "content/articles/chart.png": "not markdown",
        "content/media/notes.txt": "published as it is",
    })
    assert sorted(str(w) for w in build_site_at(root).warnings) == [
        "content/articles/2025/c.MD: warning: not read: only files ending in '.md' are read; rename it c.md",
        "content/articles/b.markdown: warning: not read: only files ending in '.md' are read; rename it b.md",
        "content/articles/d.md.txt: warning: not read: only files ending in '.md' are read; rename it d.md",
    ]


def test_unread_markdown_fails_a_strict_build(site):
    root = site({"content/articles/a.md": article(), "content/posts/y.md": article()})
    assert build_errors(root, strict=True) == [
        "content/posts/y.md: warning: not read: an article goes anywhere under content/articles/ "
        "(content/articles/posts/y.md), a page in content/pages/ (content/pages/y.md)"]
