from sitetools import article, build_site_at


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def test_articles_are_newest_first_with_ties_broken_by_slug(site):
    root = site({
        "content/articles/b.md": article("B", "2025-03-01"),
        "content/articles/a.md": article("A", "2025-03-01"),
        "content/articles/c.md": article("C", "2025-03-02"),
    })
    assert titles(build_site_at(root).site.articles) == ["C", "A", "B"]


def test_drafts_are_left_out_unless_asked_for(site):
    root = site({"content/articles/a.md": article("A"), "content/articles/d.md": article("D", draft="true")})
    assert titles(build_site_at(root).site.articles) == ["A"]
    assert titles(build_site_at(root, drafts=True).site.articles) == ["A", "D"]


def test_draft_companies_and_tags_do_not_appear(site):
    root = site({"content/articles/d.md": article("D", draft="true", companies="Secret Co", tags="secret")})
    report = build_site_at(root)
    assert report.site.companies == () and report.site.tags == ()


def test_profile_binds_by_name_alias_or_slug(site):
    root = site({
        "content/companies/scale-ai.yaml": "name: Scale AI\naliases: [Scale]\n",
        "content/articles/a.md": article("A", companies="[Scale]"),
        "content/articles/b.md": article("B", companies="[scale ai]"),
        "content/articles/c.md": article("C", companies="[scale-ai]"),
    })
    (company,) = build_site_at(root).site.companies
    assert company.ref.slug == "scale-ai" and company.ref.name == "Scale AI"
    assert sorted(titles(company.articles)) == ["A", "B", "C"]


def test_company_without_profile_is_named_as_the_newest_article_writes_it(site):
    root = site({
        "content/articles/a.md": article("A", "2025-01-01", companies="[Acme corp]"),
        "content/articles/b.md": article("B", "2025-02-01", companies="[Acme Corp]"),
    })
    (company,) = build_site_at(root).site.companies
    assert (company.ref.slug, company.ref.name) == ("acme-corp", "Acme Corp")


def test_tags_group_spellings_with_one_slug(site):
    root = site({
        "content/articles/a.md": article("A", tags="[Data Labeling]"),
        "content/articles/b.md": article("B", tags="[data labeling]"),
    })
    (tag,) = build_site_at(root).site.tags
    assert tag.ref.slug == "data-labeling" and len(tag.articles) == 2


def test_an_event_company_gets_the_article_on_its_page(site):
    events = "\n  - company: Acme\n    date: 2025-01-01\n    kind: layoff\n    affected: 10"
    root = site({"content/articles/a.md": article("A", events=events)})
    (company,) = build_site_at(root).site.companies
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
