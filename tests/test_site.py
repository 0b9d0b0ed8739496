"""The site model (`build_site`), tested on its own: documents parsed in memory, no build."""

from sitetools import article, site_model


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def test_articles_are_newest_first_with_ties_broken_by_slug(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/b.md": article("B", "2025-03-01"),
        "content/articles/a.md": article("A", "2025-03-01"),
        "content/articles/c.md": article("C", "2025-03-02"),
    })
    assert titles(site.articles) == ["C", "A", "B"]


def test_drafts_are_left_out_unless_asked_for(tmp_path):
    files = {"content/articles/a.md": article("A"), "content/articles/d.md": article("D", draft="true")}
    assert titles(site_model(tmp_path, files)[0].articles) == ["A"]
    assert titles(site_model(tmp_path, files, drafts=True)[0].articles) == ["A", "D"]


def test_draft_companies_and_tags_do_not_appear(tmp_path):
    site, _ = site_model(tmp_path, {"content/articles/d.md": article("D", draft="true", companies="Secret Co",
                                                                     tags="secret")})
    assert site.companies == () and site.tags == ()


def test_profile_binds_by_name_alias_or_slug(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/companies/scale-ai.yaml": "name: Scale AI\naliases: [Scale]\n",
        "content/articles/a.md": article("A", companies="[Scale]"),
        "content/articles/b.md": article("B", companies="[scale ai]"),
        "content/articles/c.md": article("C", companies="[scale-ai]"),
    })
    (company,) = site.companies
    assert company.ref.slug == "scale-ai" and company.ref.name == "Scale AI"
    assert sorted(titles(company.articles)) == ["A", "B", "C"]


def test_company_without_profile_is_named_as_the_newest_article_writes_it(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", "2025-01-01", companies="[Acme corp]"),
        "content/articles/b.md": article("B", "2025-02-01", companies="[Acme Corp]"),
    })
    (company,) = site.companies
    assert (company.ref.slug, company.ref.name) == ("acme-corp", "Acme Corp")


def test_tags_group_spellings_with_one_slug(tmp_path):
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", tags="[Data Labeling]"),
        "content/articles/b.md": article("B", tags="[data labeling]"),
    })
    (tag,) = site.tags
    assert tag.ref.slug == "data-labeling" and len(tag.articles) == 2


def test_an_event_company_gets_the_article_on_its_page(tmp_path):
    events = "\n  - company: Acme\n    date: 2025-01-01\n    kind: layoff\n    affected: 10"
    site, _ = site_model(tmp_path, {"content/articles/a.md": article("A", events=events)})
    (company,) = site.companies
    assert titles(company.articles) == ["A"] and company.affected.figure.value == 10


def test_pagination_splits_into_pages_with_links():
    from digest.site import paginate

    pages = paginate(list(range(5)), 2, "tags/x/")
    assert [p.items for p in pages] == [(0, 1), (2, 3), (4,)]
    assert [p.path for p in pages] == ["tags/x/", "tags/x/page/2/", "tags/x/page/3/"]
    assert (pages[0].prev_path, pages[0].next_path) == (None, "tags/x/page/2/")
    assert (pages[2].prev_path, pages[2].next_path) == ("tags/x/page/2/", None)


def test_an_empty_listing_still_has_one_page():
    from digest.site import paginate

    (page,) = paginate([], 20, "")
    assert (page.items, page.count) == ((), 1)


def test_relations_answer_for_each_article(tmp_path):
    events = "\n  - company: Globex\n    date: 2025-01-01\n    kind: layoff"
    site, _ = site_model(tmp_path, {
        "content/articles/a.md": article("A", companies="[Acme]", tags="[cuts]", authors="[Ann]", events=events),
        "content/articles/b.md": article("B", "2025-02-01", companies="[Acme]"),
    })
    a = next(x for x in site.articles if x.title == "A")
    assert [r.name for r in site.companies_of(a)] == ["Acme", "Globex"]  # listed first, then from events
    assert [r.name for r in site.tags_of(a)] == ["cuts"]
    assert [x.name for x in site.authors_of(a)] == ["Ann"]
    assert [e.company.name for e in site.events_of(a)] == ["Globex"]
    assert titles(site.related_to(a)) == ["B"]


def test_an_event_company_not_listed_by_the_article_is_a_warning(tmp_path):
    events = "\n  - company: Globex\n    date: 2025-01-01\n    kind: layoff"
    _, problems = site_model(tmp_path, {"content/articles/a.md": article("A", companies="[Acme]", events=events)})
    assert any("'Globex' is not in this article's companies" in p.message for p in problems)
