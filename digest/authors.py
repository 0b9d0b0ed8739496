"""Author pages: who wrote what, from `site.yaml`'s `authors:` and each article's `authors:` field.

Every author under `authors:` has a page at `/authors/<id>/` (paginated) with RSS and Atom feeds, and
`/authors/` lists them all; a name written on an article but not in `site.yaml` has no page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import urls
from .config import Author, SiteConfig
from .content import Article
from .errors import SourceError, quote


@dataclass(frozen=True, slots=True)
class AuthorListing:
    ref: urls.Ref  # slug, name and page path, as a company's or a tag's
    author: Author
    articles: tuple[Article, ...]  # newest first


def _with_pages(config: SiteConfig):
    """Each configured author with its page's slug and the id that has that page: the first id, in
    site.yaml's order, of those that slugify alike."""
    first: dict[str, str] = {}
    for author_id, author in config.authors.items():
        slug = urls.slugify(author_id)
        yield author_id, author, slug, first.setdefault(slug, author_id)


def author_listings(articles: tuple[Article, ...], config: SiteConfig) -> tuple[AuthorListing, ...]:
    """Every configured author with the published articles that name their id, in site.yaml's order; an id
    whose page an earlier id already has is left out (`clashing_authors` reports it)."""
    return tuple(AuthorListing(urls.Ref(slug, author.name, urls.author_path(author_id)), author,
                               tuple(a for a in articles if author_id in a.authors))
                 for author_id, author, slug, owner in _with_pages(config) if owner == author_id)


def clashing_authors(config: SiteConfig) -> list[SourceError]:
    """Two author ids that would have one page (`Jane_Doe` and `jane-doe`): an error at the second."""
    return [SourceError(config.display(config.config_file), author.line, None,
                        f"authors: {quote(author_id)} would have the page {urls.author_path(author_id)}, "
                        f"which {quote(owner)} has; give one of them another id")
            for author_id, author, _, owner in _with_pages(config) if owner != author_id]
