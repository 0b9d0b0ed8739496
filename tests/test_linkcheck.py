"""The build's own link check: a link that leads nowhere is an error naming the page and the link."""

from sitetools import article, build_errors


def test_broken_internal_link_is_an_error_naming_page_and_link(site):
    root = site({"content/articles/a.md": article(body="See [the tracker](/trackr/) and ![x](/media/none.png).")})
    assert build_errors(root) == [
        "content/articles/a.md: link '/media/none.png' leads nowhere (on 2025/03/a/index.html)",
        "content/articles/a.md: link '/trackr/' leads nowhere (on 2025/03/a/index.html)",
    ]

def test_links_above_the_site_folder_are_broken(site):
    config = "title: T\nbase_url: https://t.example/news/\n"
    root = site({"content/articles/a.md": article(body="[up](/elsewhere/)")}, config=config)
    assert build_errors(root) == ["content/articles/a.md: link '/elsewhere/' leads nowhere (on 2025/03/a/index.html)"]
