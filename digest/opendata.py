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
from .units import SiteFileUnit

EVENT_COLUMNS = ("date", "company_slug", "company_name", "kind", "affected", "percent", "location", "unit",
                 "note", "article_url", "article_title", "other_article_urls")


def _event_record(event, config: SiteConfig) -> dict:
    link = lambda path: urls.absolute_url(config.base_url, path)  # noqa: E731
    return {
        "date": event.date.isoformat(),
        "company_slug": event.company.slug,
        "company_name": event.company.name,
        "kind": event.kind,
        "affected": event.affected,
        "percent": event.percent,
        "location": event.location,
        "unit": event.unit,
        "note": event.note,
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
                         "affected": "" if record["affected"] is None else record["affected"],
                         "percent": "" if record["percent"] is None else f"{record['percent']:g}",
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
            "affected": c.affected,
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
