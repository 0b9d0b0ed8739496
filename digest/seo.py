"""What search engines read: the sitemap, the Google News sitemap and an article's NewsArticle JSON-LD."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from html import escape
from typing import Callable, Sequence

from . import cards, urls
from .config import Author, SiteConfig
from .content import Article
from .files import RenderedFile
from .render import PageUnit
from .site import Site
from .units import RenderContext, SiteFileUnit

NOT_IN_SITEMAP = ("404.html", "search/index.html")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def last_modified(article: Article, zone: tzinfo) -> datetime:
    """When the article last changed: the newest of its publication, `updated` and its corrections (a
    correction's date is a day: the start of that day in the site's zone, never before publication)."""
    corrected = [datetime.combine(c.date, time(0), zone) for c in article.corrections]
    return max([article.date, *([article.updated] if article.updated else []), *corrected])


# schema.org's subtypes of NewsArticle for the kinds of story that are not plain reporting.
KIND_TYPES = {"analysis": "AnalysisNewsArticle", "opinion": "OpinionNewsArticle", "explainer": "BackgroundNewsArticle"}


def _author(author: Author) -> dict:
    kind = "Organization" if author.kind == "organization" else "Person"
    return {"@type": kind, "name": author.name, **({"url": author.url} if author.url else {})}


def news_article_json_ld(config: SiteConfig) -> Callable[..., dict]:
    """A template function: the schema.org NewsArticle of one article, as a dict for `tojson`."""
    publisher = {"@type": "Organization", "name": config.title, "url": config.base_url}

    def json_ld(article: Article, companies: Sequence[urls.Ref], authors: Sequence[Author]) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": KIND_TYPES.get(article.kind, "NewsArticle"),
            "headline": article.title,
            "description": article.summary,
            "url": urls.absolute_url(config.base_url, article.path),
            "mainEntityOfPage": urls.absolute_url(config.base_url, article.path),
            "datePublished": article.date.isoformat(),
            "dateModified": last_modified(article, config.timezone).isoformat(),
            "image": [cards.card_url(config.base_url, article.path)],
            "inLanguage": config.language,
            "publisher": publisher,
            "author": [_author(a) for a in authors] or [publisher],
        }
        if companies:
            data["about"] = [{"@type": "Organization", "name": c.name,
                              "url": urls.absolute_url(config.base_url, c.path)} for c in companies]
        return data

    return json_ld


def _lastmod(value: date | datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return f"<lastmod>{day.isoformat()}</lastmod>"


def sitemap_unit(pages: Sequence[PageUnit]) -> SiteFileUnit:
    """`sitemap.xml`: every public page, with the date it last changed where that is known."""
    entries = tuple((p.page_path, p.lastmod) for p in pages
                    if p.path.endswith(".html") and p.path not in NOT_IN_SITEMAP)
    return SiteFileUnit("sitemap.xml", ("sitemap.xml",), "the sitemap", entries, _sitemap)


def _sitemap(entries, ctx: RenderContext, reads) -> list[RenderedFile]:
    base = ctx.config.base_url
    rows = [f"<url><loc>{escape(urls.absolute_url(base, path))}</loc>{_lastmod(lastmod)}</url>"
            for path, lastmod in entries]
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(rows) \
        + "\n</urlset>\n"
    return [RenderedFile("sitemap.xml", text.encode("utf-8"))]


def news_sitemap_unit(site: Site) -> SiteFileUnit:
    """`news-sitemap.xml` for Google News: the articles of the last two days, counted back from the
    newest article."""
    since = site.articles[0].date - timedelta(days=2) if site.articles else None
    recent = tuple(a for a in site.articles if a.date >= since) if since else ()  # newest first: a prefix
    return SiteFileUnit("news-sitemap.xml", ("news-sitemap.xml",), "the news sitemap", recent, _news_sitemap)


def _news_sitemap(articles: Sequence[Article], ctx: RenderContext, reads) -> list[RenderedFile]:
    config = ctx.config
    rows = [
        f"<url><loc>{escape(urls.absolute_url(config.base_url, article.path))}</loc><news:news>"
        f"<news:publication><news:name>{escape(config.title)}</news:name>"
        f"<news:language>{escape(config.language)}</news:language></news:publication>"
        f"<news:publication_date>{article.date.isoformat()}</news:publication_date>"
        f"<news:title>{escape(article.title)}</news:title></news:news></url>"
        for article in articles]
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
            + "".join(r + "\n" for r in rows) + "</urlset>\n")
    return [RenderedFile("news-sitemap.xml", text.encode("utf-8"))]
