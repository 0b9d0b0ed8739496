"""Languages: dates and numbers written for the site's locale, interface strings from the theme's catalogs."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.html
import pytest
from babel.messages import pofile

from digest import i18n
from digest.config import load_config
from digest.errors import BuildFailed
from sitetools import build_site_at

FRENCH_CATALOG = i18n.default_theme() / "locale" / "fr" / "LC_MESSAGES" / "digest.po"
NOW = datetime(2025, 3, 12, 12, tzinfo=timezone.utc)  # a Wednesday: week 11 is running, week 10 has ended

FRENCH_CONFIG = """\
title: La Lettre des restructurations
base_url: https://lettre.example.fr/
description: Suppressions de postes et fermetures, chiffres sourcés.
language: fr
timezone: Europe/Paris
per_page: 1
authors:
  ana:
    name: Ana Ruiz
    bio: Journaliste économique.
"""

FRENCH_FILES = {
    "content/articles/acme-ferme-lyon.md": """\
---
title: Acme ferme son usine de Lyon
date: 2025-03-10T09:30:00+01:00
updated: 2025-03-11
companies: [Acme]
tags: [Fermetures]
authors: [ana]
summary: L'usine lyonnaise d'Acme fermera en juin.
takeaways:
  - L'usine ferme en juin.
  - Cent vingt salariés y travaillent.
sources:
  - title: Communiqué d'Acme
    url: https://acme.example.fr/communique
    publisher: Acme
events:
  - company: Acme
    companies: [{name: Fonds Rhône, role: investor}]
    date: 2025-03-10
    kind: closure
    employees: {value: 1200, qualifier: about}
    contractors: {value: 12, qualifier: at-least}
    percent: 12.5
    location: Lyon
    unit: Usine de Lyon
    source: {title: Communiqué, url: https://acme.example.fr/c, kind: company-statement}
corrections:
  - date: 2025-03-11
    note: Le nombre de salariés était erroné.
---

L'usine lyonnaise d'Acme fermera ses portes.

!!! takeaways
    - Une boîte de points clés dans le corps.
""",
    "content/articles/acme-licencie.md": """\
---
title: Acme supprime des postes à Paris
date: 2025-03-03
companies: [Acme]
tags: [Licenciements]
events:
  - company: Acme
    date: 2025-03-03
    kind: layoff
    affected_note: des centaines d'intérimaires
  - company: Acme
    date: 2025-02-03
    kind: layoff
    affected: 40
---

Acme supprime des postes dans son siège parisien.
""",
    "content/companies/acme.yaml": "name: Acme\nsector: Industrie\nheadquarters: Lyon\nfounded: 1950\n"
                                   "website: https://acme.example.fr/\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\n\nQui nous sommes.\n",
}


def english_msgids() -> list[str]:
    """The theme's English text that French pages must not show: every msgid (each form of a plural) that
    French translates differently, cut into the pieces between its placeholders and HTML tags."""
    with FRENCH_CATALOG.open("rb") as f:
        catalog = [m for m in pofile.read_po(f) if m.id]
    strings = lambda m: m.string if isinstance(m.string, tuple) else (m.string,)  # noqa: E731
    # Words the French translations keep themselves (data values such as `about` or `investor`, names) are not
    # English leaking through.
    french = "\n".join(s for m in catalog for s in strings(m))
    pieces = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            pieces.update(p for p in _pieces(msgid) if not re.search(rf"(?<!\w){re.escape(p)}(?!\w)", french))
    return sorted(pieces)


def _pieces(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", "\0", text)
    text = re.sub(r"%\(\w+\)s", "\0", text)
    return [p for p in (piece.strip(" .,:;()·→←\n") for piece in text.split("\0")) if re.search(r"[A-Za-z]", p)]


def page_texts(output: Path) -> dict[str, str]:
    """Every HTML page's visible text and the texts of its attributes readers meet (title, aria-label, alt,
    placeholder, data-label, data-unit, meta descriptions), one line each."""
    texts = {}
    for path in sorted(output.rglob("*.html")):
        if "pagefind" in path.parts:
            continue
        root = lxml.html.parse(str(path)).getroot()
        for element in root.xpath("//script | //style | //code"):  # code: file names, keys and values in data
            element.drop_tree()
        parts = [" ".join(root.text_content().split())]
        for attribute in ("title", "aria-label", "alt", "placeholder", "data-label", "data-unit", "data-short"):
            parts += root.xpath(f"//@{attribute}")
        parts += root.xpath("//meta[@name='description' or @property='og:description']/@content")
        # "JSON Feed" is the format's name, as "RSS" and "Atom" are, not an English phrase
        texts[path.relative_to(output).as_posix()] = "\n".join(parts).replace("JSON Feed", "")
    return texts


@pytest.fixture
def french_site(site):
    root = site(FRENCH_FILES, FRENCH_CONFIG)
    build_site_at(root, now=NOW)
    return root / "public"


def test_a_french_site_shows_no_english_interface_text(french_site):
    pieces = english_msgids()
    assert len(pieces) > 150  # the catalog was read: a test against an empty list would pass on anything
    found = {}
    for page, text in page_texts(french_site).items():
        hits = [p for p in pieces if re.search(rf"(?<![\w/.-]){re.escape(p)}(?![\w.-])", text)]
        if hits:
            found[page] = hits
    assert found == {}


def test_a_french_site_covers_the_pages_that_hold_interface_strings(french_site):
    pages = set(page_texts(french_site))
    assert {"index.html", "page/2/index.html", "tracker/index.html", "companies/index.html",
            "companies/acme/index.html",
            "tags/index.html", "authors/index.html", "feeds/index.html", "data/index.html", "search/index.html",
            "404.html", "weekly/index.html", "2025/index.html", "2025/03/index.html"} <= pages
    assert any(p.startswith("weekly/2025-w") for p in pages)


def test_a_french_site_writes_dates_numbers_and_weeks_in_french(french_site):
    article = (french_site / "2025/03/acme-ferme-lyon/index.html").read_text("utf-8")
    assert ">10 mars 2025</time>" in article
    assert ", 09:30 CET" in article and "AM" not in article
    assert "min de lecture" in article and "Mis à jour le" in article
    assert "environ 1\u202f200 salariés" in article  # French thousands separator
    assert "12,5\u00a0%" in article
    assert "Points clés" in article  # the default title of a takeaways box in the body, translated at parse
    weekly = (french_site / "weekly/2025-w10/index.html").read_text("utf-8")
    assert "Semaine 10 · 3–9 mars 2025" in weekly
    assert "mars 2025" in (french_site / "2025/03/index.html").read_text("utf-8")
    all_text = "\n".join(page_texts(french_site).values())
    months = "January February March April May June July August September October November December".split()
    assert not [m for m in months if re.search(rf"\b{m}\b", all_text)]


def test_a_french_site_says_fr_in_its_html_and_feeds(french_site):
    assert '<html lang="fr">' in (french_site / "index.html").read_text("utf-8")
    assert "<language>fr</language>" in (french_site / "feed.xml").read_text("utf-8")
    assert json.loads((french_site / "feed.json").read_text("utf-8"))["language"] == "fr"
    weekly = (french_site / "weekly/feed.xml").read_text("utf-8")
    assert "Semaine 10" in weekly and "Week 10" not in weekly


def test_the_corrections_feed_of_a_french_site_is_in_french(french_site):
    feed = feedparser.parse((french_site / "corrections/feed.xml").read_bytes())
    assert feed.feed.title == "Rectificatifs · La Lettre des restructurations" and "Every" not in feed.feed.subtitle
    (entry,) = feed.entries
    assert entry.title == "Rectificatif : Acme ferme son usine de Lyon"
    assert "Dans <a href=" in entry.content[0].value


def test_json_ld_dates_stay_iso_on_a_french_site(french_site):
    page = lxml.html.parse(str(french_site / "2025/03/acme-ferme-lyon/index.html")).getroot()
    (script,) = page.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["inLanguage"] == "fr"
    assert datetime.fromisoformat(data["datePublished"]) == datetime(2025, 3, 10, 8, 30, tzinfo=timezone.utc)
    assert datetime.fromisoformat(data["dateModified"]).date() == date(2025, 3, 11)


def test_the_french_catalog_translates_every_interface_string():
    """Every string extracted from the default theme and digest's code has a French translation: a string
    added without one is listed by `python -m digest.i18n update`, which the lead runs after a merge."""
    assert i18n.main(["check", "fr"]) == 0


def test_an_unknown_language_is_a_located_config_error(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.example/\nlanguage: klingon-XX\n")
    with pytest.raises(BuildFailed) as failure:
        load_config(tmp_path / "site.yaml")
    assert [str(p) for p in failure.value.problems] == [
        f"{tmp_path / 'site.yaml'}:3:11: language: 'klingon-XX' is not a language code such as en, fr, fr-CA or de"
    ] or str(failure.value.problems[0]).endswith(
        "3:11: language: 'klingon-XX' is not a language code such as en, fr, fr-CA or de")


@pytest.mark.parametrize("code", ["fr", "fr-CA", "fr_CA", "de", "en-GB"])
def test_language_codes_with_a_territory_are_accepted(code):
    assert i18n.parse_locale(code) is not None


def test_a_regional_language_falls_back_to_its_base_language_catalog():
    language = i18n.language_for("fr-CA", template_dirs=(i18n.default_theme() / "templates",))
    assert language.gettext("Skip to content") == "Aller au contenu"
    german = i18n.language_for("de", template_dirs=(i18n.default_theme() / "templates",))
    assert german.gettext("Skip to content") == "Skip to content"  # no German catalog: English
    assert german.date(date(2025, 10, 8)) == "8. Oktober 2025"  # but German dates


def test_english_dates_and_numbers_read_as_before_babel():
    english = i18n.language_for("en")
    for day in (date(2025, 1, 1), date(2025, 10, 8), date(2024, 12, 31)):
        assert english.date(day) == f"{day:%B} {day.day}, {day:%Y}"
        assert english.month(day.year, day.month) == f"{day:%B %Y}"
        assert english.month(day.year, day.month, short=True) == f"{day:%b %Y}"
        assert english.skeleton(day, "yMMMd") == f"{day:%b} {day.day}, {day:%Y}"
    assert english.number(1200) == "1,200" and english.percent(12.5) == "12.5%" and english.percent(14) == "14%"
    assert english.day_span(date(2025, 12, 29), date(2026, 1, 4)) == "29 December 2025 – 4 January 2026"


@pytest.mark.parametrize("code", ["en", "fr", "de", "de-CH", "pl", "hi", "en-IN", "ar", "ja"])
def test_whole_numbers_are_written_as_babel_writes_them(code):
    from babel import numbers

    language = i18n.language_for(code)
    for value in (0, 7, 999, 1000, 1234, 12345, 123456, 1234567, 10**9 + 7, -1234, 12.5, 0.125):
        assert language.number(value) == numbers.format_decimal(value, locale=language.locale,
                                                                decimal_quantization=False), value


def test_a_date_with_a_time_is_written_as_its_own_calendar_day():
    english, zone = i18n.language_for("en"), timezone(timedelta(hours=-5))
    assert english.date(datetime(2025, 10, 8, 23, 30, tzinfo=zone)) == "October 8, 2025"
    assert english.date(datetime(2025, 10, 9, 0, 30, tzinfo=zone)) == "October 9, 2025"
    assert english.date(date(2025, 10, 8), "medium") == "Oct 8, 2025"


def test_a_site_catalog_overrides_the_theme_and_an_edit_rebuilds_the_pages(site):
    root = site(FRENCH_FILES, FRENCH_CONFIG)
    catalog = root / "locale" / "fr" / "LC_MESSAGES" / "digest.po"
    catalog.parent.mkdir(parents=True)
    entry = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Skip to content"\nmsgstr "{}"\n'
    catalog.write_text(entry.format("Sauter au contenu"), encoding="utf-8")
    build_site_at(root, now=NOW)
    page = root / "public" / "index.html"
    assert "Sauter au contenu" in page.read_text("utf-8") and "Rubriques" in page.read_text("utf-8")
    catalog.write_text(entry.format("Passer au contenu"), encoding="utf-8")
    build_site_at(root, now=NOW)
    assert "Passer au contenu" in page.read_text("utf-8")


def test_the_update_command_keeps_translations_and_lists_new_strings(tmp_path, capsys):
    theme = tmp_path / "mytheme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text('{{ _("Hello") }} {% trans %}Old friend{% endtrans %}')
    assert i18n.main(["update", "fr", "--theme", str(theme)]) == 0
    catalog_path = theme / "locale" / "fr" / "LC_MESSAGES" / "digest.po"
    with catalog_path.open("rb") as f:
        catalog = pofile.read_po(f)
    catalog["Hello"].string = "Bonjour"
    with catalog_path.open("wb") as f:
        pofile.write_po(f, catalog)
    (theme / "templates" / "base.html").write_text('{{ _("Hello") }} {{ _("New string") }}')
    capsys.readouterr()
    assert i18n.main(["update", "--theme", str(theme)]) == 0
    with catalog_path.open("rb") as f:
        catalog = pofile.read_po(f)
    assert catalog["Hello"].string == "Bonjour"
    assert catalog.get("Old friend") is None and catalog["New string"].string == ""
    assert "fr: 1 untranslated\n  'New string'" in capsys.readouterr().out
    assert i18n.main(["check", "--theme", str(theme)]) == 1


def test_the_scripts_get_their_words_in_french_and_english_pages_carry_none(french_site, site):
    page = lxml.html.parse(str(french_site / "tracker/index.html")).getroot()
    (strings,) = page.xpath("//script[@id='interface-strings']/text()")
    assert json.loads(strings)["Sort by"] == "Trier par"
    assert json.loads(strings)["about %(n)s"] == "environ %(n)s"
    search = lxml.html.parse(str(french_site / "search/index.html")).getroot()
    assert search.get("lang") == "fr"  # Pagefind picks the index of the page's language by <html lang>
    (strings,) = search.xpath("//script[@id='interface-strings']/text()")
    assert json.loads(strings)["Searching…"] == "Recherche…"
    english = site({"content/articles/a.md": "---\ntitle: A\ndate: 2025-03-03\n---\n\nText.\n"})
    build_site_at(english)
    assert 'id="interface-strings"' not in (english / "public" / "tracker" / "index.html").read_text("utf-8")


def test_the_themes_stylesheet_writes_no_words_of_its_own():
    """Labels drawn by CSS (phone tables) come from translated data-* attributes, never from the stylesheet."""
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "themes/default/static/css/digest.css").read_text()
    declarations = re.findall(r"content:([^;}]*)", css)
    strings = [re.sub(r"\\[0-9a-fA-F]+ ?", "", text) for d in declarations for text in re.findall(r'"([^"]*)"', d)]
    assert [text for text in strings if re.search(r"[A-Za-z]", text)] == []
