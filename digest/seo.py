"""What search engines read: the sitemap, the Google News sitemap and an article's NewsArticle JSON-LD."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape
from typing import Callable, Sequence

from . import urls
from .config import Author, SiteConfig
from .content import Article
from .render import Output, RenderedFile
from .site import Site

NOT_IN_SITEMAP = ("404.html", "search/index.html")
SITEMAPS = ("sitemap.xml", "news-sitemap.xml")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def news_article_json_ld(config: SiteConfig) -> Callable[..., dict]:
    """A template function: the schema.org NewsArticle of one article, as a dict for `tojson`."""
    publisher = {"@type": "Organization", "name": config.title, "url": config.base_url}

    def json_ld(article: Article, companies: Sequence[urls.Ref], authors: Sequence[Author]) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.summary,
            "url": urls.absolute_url(config.base_url, article.path),
            "mainEntityOfPage": urls.absolute_url(config.base_url, article.path),
            "datePublished": article.date.isoformat(),
            "dateModified": (article.updated or article.date).isoformat(),
            "inLanguage": config.language,
            "publisher": publisher,
            "author": [{"@type": "Person", "name": a.name, **({"url": a.url} if a.url else {})} for a in authors]
            or [publisher],
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


def sitemap(outputs: Sequence[Output], config: SiteConfig) -> RenderedFile:
    """Every public page, with the date it last changed where that is known."""
    rows = [
        f"<url><loc>{escape(urls.absolute_url(config.base_url, o.context['page_path']))}</loc>{_lastmod(o.lastmod)}</url>"
        for o in outputs
        if o.path.endswith(".html") and o.path not in NOT_IN_SITEMAP
    ]
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(rows) + "\n</urlset>\n"
    return RenderedFile("sitemap.xml", text.encode("utf-8"))


def news_sitemap(site: Site, config: SiteConfig) -> RenderedFile:
    """Google News: the articles of the last two days, counted back from the newest article."""
    rows = []
    if site.articles:
        since = site.articles[0].date - timedelta(days=2)
        for article in site.articles:
            if article.date < since:
                break  # newest first: the rest are older
            rows.append(
                f"<url><loc>{escape(urls.absolute_url(config.base_url, article.path))}</loc><news:news>"
                f"<news:publication><news:name>{escape(config.title)}</news:name>"
                f"<news:language>{escape(config.language)}</news:language></news:publication>"
                f"<news:publication_date>{article.date.isoformat()}</news:publication_date>"
                f"<news:title>{escape(article.title)}</news:title></news:news></url>")
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
            + "".join(r + "\n" for r in rows) + "</urlset>\n")
    return RenderedFile("news-sitemap.xml", text.encode("utf-8"))
