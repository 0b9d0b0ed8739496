"""Author pages: who wrote what, from `site.yaml`'s `authors:` and each article's `authors:` field.

Every author under `authors:` has a page at `/authors/<id>/` (paginated) with RSS and Atom feeds, and
`/authors/` lists them all; a name written on an article but not in `site.yaml` has no page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import urls
from .config import Author, SiteConfig
from .content import Article


@dataclass(frozen=True, slots=True)
class AuthorListing:
    ref: urls.Ref  # slug, name and page path, as a company's or a tag's
    author: Author
    articles: tuple[Article, ...]  # newest first


def author_listings(articles: tuple[Article, ...], config: SiteConfig) -> tuple[AuthorListing, ...]:
    """Every configured author with the published articles that name their id, in site.yaml's order."""
    return tuple(
        AuthorListing(urls.Ref(urls.slugify(author_id), author.name, urls.author_path(author_id)), author,
                      tuple(a for a in articles if author_id in a.authors))
        for author_id, author in config.authors.items())
