"""Related stories: for each article, the ones sharing the most companies, then tags, then the newest."""

from __future__ import annotations

import hashlib
import heapq

from .content import Article

RELATED_COUNT = 3
RELATED_WINDOW = 12  # neighbours on each side in each shared list: keeps the work linear in articles


def related_articles(articles, company_articles, tag_articles, article_companies, article_tags) -> dict:
    """Per article: those sharing the most companies, then the most tags, then the newest.

    Candidates are an article's neighbours in time within each of its companies' and tags'
    lists (newest first), so a tag on thousands of articles costs a constant per article.
    """
    # Companies and tags as bits of an int: counting shared ones is then one `&` and a bit count.
    bit: dict[str, int] = {}
    mask = lambda refs: sum({bit.setdefault(r.slug, 1 << len(bit)) for r in refs})  # noqa: E731
    companies_of = {a.slug: mask(article_companies[a.slug]) for a in articles}
    bit.clear()
    tags_of = {a.slug: mask(article_tags[a.slug]) for a in articles}
    companies_in = {a.slug: frozenset(r.slug for r in article_companies[a.slug]) for a in articles}
    tags_in = {a.slug: frozenset(r.slug for r in article_tags[a.slug]) for a in articles}
    position: dict[tuple[str, str], dict[int, int]] = {}
    for kind, lists in (("c", company_articles), ("t", tag_articles)):
        for slug, items in lists.items():
            position[(kind, slug)] = {id(a): i for i, a in enumerate(items)}
    # Each candidate's rank is computed once per article it is a candidate for: keep it to set lookups.
    newest = {a.slug: -a.date.timestamp() for a in articles}
    related = {}
    for article in articles:
        mine_c, mine_t = companies_of[article.slug], tags_of[article.slug]
        candidates: dict[str, Article] = {}
        for kind, slugs, lists in (("c", companies_in[article.slug], company_articles),
                                   ("t", tags_in[article.slug], tag_articles)):
            for slug in slugs:
                items = lists[slug]
                at = position[(kind, slug)][id(article)]
                for other in items[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1]:
                    candidates[other.slug] = other
        candidates.pop(article.slug, None)
        # Rank tuples built in one comprehension and compared without a key function: a key call per
        # candidate (about 110 an article) was most of the site model's time at 10,000 articles.
        ranked = heapq.nsmallest(RELATED_COUNT, [
            (-(mine_c & companies_of[o]).bit_count(), -(mine_t & tags_of[o]).bit_count(), newest[o], o)
            for o in candidates])
        related[article.slug] = tuple(candidates[rank[-1]] for rank in ranked)
    return related


def ranking_key(articles, article_companies, article_tags) -> str:
    """All that the ranking depends on: each article's slug, date, companies and tags, in the order of
    `articles` (newest first; the company and tag lists follow it). A body or title edit keeps the key."""
    digest = hashlib.blake2b(f"{RELATED_COUNT} {RELATED_WINDOW}".encode(), digest_size=16)
    for a in articles:
        line = "\0".join((a.slug, repr(a.date.timestamp()), *sorted(r.slug for r in article_companies[a.slug]),
                           "\1", *sorted(r.slug for r in article_tags[a.slug])))
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def remembered_related(remembered: dict | None, articles, company_articles, tag_articles, article_companies,
                       article_tags) -> dict:
    """`related_articles`, reusing the slugs `remembered` holds for the same ranking key (what the last
    build ranked, kept in .digest-cache/ by the tracker) and leaving this build's there. Ranking is half of
    the site model at 10,000 articles, and most edits (a body, a title, a summary) do not change it."""
    if remembered is None:
        return related_articles(articles, company_articles, tag_articles, article_companies, article_tags)
    key = ranking_key(articles, article_companies, article_tags)
    by_slug = {a.slug: a for a in articles}
    slugs = remembered.get(key)
    if slugs is not None:
        find = by_slug.__getitem__
        return {slug: tuple(map(find, related)) for slug, related in slugs.items()}
    related = related_articles(articles, company_articles, tag_articles, article_companies, article_tags)
    remembered.clear()  # only the newest ranking is worth keeping
    remembered[key] = {slug: tuple(a.slug for a in others) for slug, others in related.items()}
    return related
