"""Plugins: found by name in site.yaml (a site's plugins/ folder or an installed module) or through the
`digest.plugins` entry point group; what they add; their errors as located config messages; their code
in the incremental build key."""

import shutil
import textwrap

import lxml.html

from sitetools import FIXTURES, MINIMAL_CONFIG, article, build_errors, build_site_at

PLUGIN = FIXTURES / "plugins" / "sample_digest_plugin.py"
PLUGIN_CONFIG = MINIMAL_CONFIG + "plugins: [sample_digest_plugin]\n"
ARTICLE_TEMPLATE = """{% extends "base.html" %}{% block main %}
<p id="plugin">{{ article.title | shout }}|{{ plugin_motto }}</p>{{ article.html | safe }}
{% endblock %}"""
MOTTO_TEMPLATE = """{% extends "base.html" %}{% block main %}<p id="motto">{{ plugin_motto }}</p>{% endblock %}"""


def plugin_site(site, config=PLUGIN_CONFIG, plugin=None, **files):
    root = site({"templates/article.html": ARTICLE_TEMPLATE, "templates/motto.html": MOTTO_TEMPLATE,
                 "content/articles/a.md": article(title="Cuts", body="It was **final**."), **files}, config=config)
    (root / "plugins").mkdir()
    (root / "plugins" / "sample_digest_plugin.py").write_text(plugin or PLUGIN.read_text())
    return root


def page(root, path):
    return lxml.html.fromstring((root / "public" / path).read_bytes())


def test_a_plugin_in_the_site_folder_adds_a_filter_and_a_global(site):
    root = plugin_site(site)
    build_site_at(root)
    assert page(root, "2025/03/a/index.html").xpath("string(//p[@id='plugin'])") == "CUTS!|Made for Test Digest"


def test_a_plugin_adds_a_markdown_extension(site):
    root = plugin_site(site)
    build_site_at(root)
    assert page(root, "2025/03/a/index.html").xpath("//strong/@class") == ["cut"]


def test_a_plugin_adds_output_files_and_template_pages(site):
    root = plugin_site(site)
    build_site_at(root)
    assert (root / "public/titles.txt").read_text() == "Cuts\n"
    assert page(root, "motto/index.html").xpath("string(//p[@id='motto'])") == "Made for Test Digest"


def test_a_plugin_that_cannot_be_imported_is_a_located_config_error(site):
    root = site({"content/articles/a.md": article()}, config=MINIMAL_CONFIG + "plugins:\n  - no_such_plugin_here\n")
    [problem] = build_errors(root)
    assert problem.startswith("site.yaml:4:5: plugins[0]: 'no_such_plugin_here' cannot be imported: "
                              "ModuleNotFoundError")


def test_a_module_with_no_hooks_is_not_a_plugin(site):
    import json
    import sys

    root = site({"content/articles/a.md": article()}, config=MINIMAL_CONFIG + "plugins: [json]\n")
    errors = build_errors(root)
    assert sys.modules["json"] is json  # a module imported before is used as it is, never imported again
    assert errors == ["site.yaml:3:11: plugins[0]: 'json' is not a digest plugin (it defines none of "
                                  "jinja_filters, jinja_globals, markdown_extensions, output_units)"]


def test_a_hook_that_raises_is_a_located_config_error(site):
    broken = "def jinja_filters(config):\n    raise ValueError('no filters today')\n"
    root = plugin_site(site, plugin=broken)
    assert build_errors(root) == ["site.yaml:3:11: plugins[0]: 'sample_digest_plugin' failed in jinja_filters(): "
                                  "ValueError: no filters today"]


def test_output_units_that_raise_are_a_located_config_error(site):
    broken = "def output_units(site, config):\n    return 1 / 0\n"
    root = plugin_site(site, plugin=broken)
    assert build_errors(root) == ["site.yaml:3:11: plugins[0]: 'sample_digest_plugin' failed in output_units(): "
                                  "ZeroDivisionError: division by zero"]


def errors_with_edited_plugin(site, old: str, new: str) -> list[str]:
    """The build errors of the plugin site when the sample plugin has `old` replaced with `new`."""
    return build_errors(plugin_site(site, plugin=PLUGIN.read_text().replace(old, new)))


def test_a_plugin_file_that_clashes_with_a_page_is_a_located_config_error(site):
    assert errors_with_edited_plugin(site, '"titles.txt"', '"2025/03/a/index.html"') == ["site.yaml:3:11: plugins[0]: 'sample_digest_plugin' output_units() writes "
                                  "2025/03/a/index.html, which content/articles/a.md writes too"]


def test_a_plugin_file_inside_a_folder_that_is_another_outputs_file_is_an_error(site):
    assert errors_with_edited_plugin(site, '"titles.txt"', '"feed.xml/titles.txt"') == [
        "site.yaml:3:11: plugins[0]: 'sample_digest_plugin' output_units() writes feed.xml/titles.txt, inside "
        "feed.xml, which the feeds of https://test.example.org/ writes as a file"]


def test_a_plugin_file_where_the_site_has_a_folder_is_an_error(site):
    assert errors_with_edited_plugin(site, '"titles.txt"', '"tags"') == [
        "the tags index: writes tags/index.html, inside tags, which the plugin 'sample_digest_plugin' writes as a "
        "file; rename one"]


def test_a_plugin_file_outside_the_output_folder_is_refused(site):
    [problem] = errors_with_edited_plugin(site, '"titles.txt"', '"../titles.txt"')
    assert problem.startswith("site.yaml:3:11: plugins[0]: 'sample_digest_plugin' output_units(): '../titles.txt' "
                              "must be a path inside the output folder")


def test_a_plugin_file_whose_function_raises_is_an_error_naming_the_plugin(site):
    assert errors_with_edited_plugin(site, 'return "".join(', 'return 1 / 0 or "".join(') == ["site.yaml: plugins: the plugin 'sample_digest_plugin' failed: "
                                  "ZeroDivisionError: division by zero"]


def test_editing_a_plugin_renders_its_pages_again(site):
    root = plugin_site(site)
    build_site_at(root)
    assert build_site_at(root).rendered == 0  # nothing changed: nothing rendered
    plugin = root / "plugins" / "sample_digest_plugin.py"
    plugin.write_text(plugin.read_text().replace('+ "!"', '+ "!!!"'))
    report = build_site_at(root)
    assert report.rendered > 0
    assert page(root, "2025/03/a/index.html").xpath("string(//p[@id='plugin'])").startswith("CUTS!!!|")


def install_fake_distribution(tmp_path, monkeypatch, name: str, entry_point: str):
    """A folder on sys.path holding an installed distribution's metadata (a dist-info folder, as pip leaves
    it) with one entry point in the group digest.plugins; returns the folder, for the plugin's module."""
    installed = tmp_path / "installed"
    info = installed / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[digest.plugins]\n{entry_point}\n")
    monkeypatch.syspath_prepend(str(installed))
    return installed


def test_an_installed_plugin_is_found_through_its_entry_point(site, tmp_path, monkeypatch):
    installed = install_fake_distribution(tmp_path, monkeypatch, "fake-digest-plugin", "fake = fake_digest_plugin")
    (installed / "fake_digest_plugin.py").write_text(textwrap.dedent("""
        def jinja_filters(config):
            return {"shout": lambda text: "installed " + str(text)}
    """))
    root = site({"templates/article.html": ARTICLE_TEMPLATE.replace("|{{ plugin_motto }}", ""),
                 "content/articles/a.md": article(title="Cuts")})
    build_site_at(root)
    assert page(root, "2025/03/a/index.html").xpath("string(//p[@id='plugin'])") == "installed Cuts"


def test_an_installed_plugin_that_fails_to_import_names_its_distribution(site, tmp_path, monkeypatch):
    install_fake_distribution(tmp_path, monkeypatch, "broken-plugin", "broken = broken_digest_plugin_gone")
    root = site({"content/articles/a.md": article()})
    [problem] = build_errors(root)
    assert problem.startswith("site.yaml: plugins (entry point 'broken' of broken-plugin 1.0): "
                              "'broken_digest_plugin_gone' cannot be imported: ModuleNotFoundError")


def test_the_preview_watches_the_plugins_folder_and_builds_with_the_edited_plugin(site, tmp_path):
    from digest.pipeline import BuildOptions
    from digest.resident import ResidentBuild
    from digest.serve import watched_paths

    root = plugin_site(site)
    assert root / "plugins" in watched_paths(root / "site.yaml")
    resident = ResidentBuild((root / "site.yaml").resolve(), tmp_path / "preview", "http://127.0.0.1:9/",
                             BuildOptions(search=False))
    assert not resident.rebuild().failed
    plugin = root / "plugins" / "sample_digest_plugin.py"
    plugin.write_text(plugin.read_text().replace('+ "!"', '+ "?!"'))
    assert not resident.rebuild([plugin.resolve()]).failed
    shown = lxml.html.fromstring((tmp_path / "preview/2025/03/a/index.html").read_bytes())
    assert shown.xpath("string(//p[@id='plugin'])").startswith("CUTS?!|")
