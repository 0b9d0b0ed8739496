"""Open data: every tracked event as CSV and JSON, and every company as JSON, under /data/.

Columns and keys are documented in the README; they are a public interface,
so a change to them is a change to the contract.
"""

from __future__ import annotations

import csv
import io

from . import urls
from .config import SiteConfig
from .files import RenderedFile, json_bytes
from .i18n import N_
from .units import SiteFileUnit

# Every column of events.csv (and key of events.json) with what it holds: the /data/ page lists them.
EVENT_COLUMN_MEANINGS = {
    "date": N_("when the event happened (announced), YYYY-MM-DD"),
    "company_slug": N_("the company it happened to, as in its page /companies/<slug>/"),
    "company_name": N_("that company's name"),
    "kind": N_("layoff, contractor-cut, closure, hiring-freeze, reorganization, leadership-change, investment "
               "or acquisition"),
    "affected": N_("people affected in all: the reported figure, or employees and contractors added up; "
                   "empty (null) when not reported, never 0 for unknown"),
    "affected_qualifier": N_("how precise affected is: exactly, about, at-least or up-to; empty when not reported"),
    "affected_note": N_("people no figure counts, in words (\"hundreds of contractors\")"),
    "employees": N_("employees affected, where reported separately"),
    "employees_qualifier": N_("how precise employees is"),
    "contractors": N_("contractors affected, where reported separately"),
    "contractors_qualifier": N_("how precise contractors is"),
    "percent": N_("share of the workforce, 0-100"),
    "location": N_("office, city or country"),
    "unit": N_("team or division"),
    "note": N_("one line of context"),
    "companies": N_("every company involved, the first being company_slug, with its role (investor, target, "
                    "acquirer, acquired, client, supplier, agency, partner) where given: slug:role separated by "
                    "spaces in CSV, a list of {slug, name, role} in JSON"),
    "source_title": N_("the primary source the event rests on"),
    "source_url": N_("its address"),
    "source_kind": N_("warn-notice, filing, company-statement or press-report"),
    "article_url": N_("the newest article reporting the event (its figures are the ones shown)"),
    "article_title": N_("that article's title"),
    "other_article_urls": N_("the other articles reporting it: separated by spaces in CSV, a list in JSON"),
}
EVENT_COLUMNS = tuple(EVENT_COLUMN_MEANINGS)


def _figure(name: str, figure) -> dict:
    """A figure as two columns: its number and its qualifier (exactly, about, at-least, up-to), or both empty."""
    return {name: figure.value if figure else None, f"{name}_qualifier": figure.qualifier if figure else None}


def _event_record(event, config: SiteConfig) -> dict:
    link = lambda path: urls.absolute_url(config.base_url, path)  # noqa: E731
    return {
        "date": event.date.isoformat(),
        "company_slug": event.company.slug,
        "company_name": event.company.name,
        "kind": event.kind,
        **_figure("affected", event.headcount),
        "affected_note": event.affected_note,
        **_figure("employees", event.employees),
        **_figure("contractors", event.contractors),
        "percent": event.percent,
        "location": event.location,
        "unit": event.unit,
        "note": event.note,
        "companies": [{"slug": i.company.slug, "name": i.company.name, "role": i.role} for i in event.involved],
        "source_title": event.source.title if event.source else None,
        "source_url": event.source.url if event.source else None,
        "source_kind": event.source.kind if event.source else None,
        "article_url": link(event.article.path),
        "article_title": event.article.title,
        "other_article_urls": [link(a.path) for a in event.articles[1:]],
    }


DATA_FILES = ("data/events.csv", "data/events.json", "data/companies.json")

# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(...)`): OWASP's advice is
# to make it text with a leading single quote. Only the CSV is for spreadsheets; the JSON stays as written.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value



def open_data_unit() -> SiteFileUnit:
    """The files under /data/: made from the site's events and companies, read whole."""
    return SiteFileUnit("data", DATA_FILES, "the open data files", None,
                        lambda _, ctx, reads: render_data(ctx.recording_site(reads), ctx.config))


def render_data(site, config: SiteConfig) -> list[RenderedFile]:
    """The events as CSV and JSON and the companies as JSON."""
    events_csv, events_json, companies_json = DATA_FILES
    records = [_event_record(e, config) for e in site.events]
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=EVENT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**{key: _csv_cell(value) for key, value in record.items()},
                         "percent": "" if record["percent"] is None else f"{record['percent']:g}",
                         "companies": _csv_cell(" ".join(c["slug"] + (f":{c['role']}" if c["role"] else "")
                                                         for c in record["companies"])),
                         "other_article_urls": " ".join(record["other_article_urls"])})
    companies = [
        {
            "slug": c.ref.slug,
            "name": c.ref.name,
            "url": urls.absolute_url(config.base_url, c.ref.path),
            "aliases": list(c.profile.aliases) if c.profile else [],
            "sector": c.profile.sector if c.profile else None,
            "headquarters": c.profile.headquarters if c.profile else None,
            "website": c.profile.website if c.profile else None,
            "founded": c.profile.founded if c.profile else None,
            "articles": len(c.articles),
            "events": len(c.events),
            "affected": c.affected.figure.value if c.affected.figure else None,
            "affected_qualifier": c.affected.figure.qualifier if c.affected.figure else None,
            "events_with_headcount": c.affected.counted,
            "latest_event": c.latest_event.date.isoformat() if c.latest_event else None,
        }
        for c in site.companies
    ]
    return [
        # A byte-order mark so that spreadsheet programs read the UTF-8 names right.
        RenderedFile(events_csv, ("\ufeff" + table.getvalue()).encode("utf-8")),
        RenderedFile(events_json, json_bytes({"events": records})),
        RenderedFile(companies_json, json_bytes({"companies": companies})),
    ]
