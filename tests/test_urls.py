from digest import urls


def test_slugify_transliterates_unicode():
    assert urls.slugify("Société Générale") == "societe-generale"


def test_slugify_turns_spaces_into_hyphens():
    assert urls.slugify("Data Labeling") == "data-labeling"


def test_slugify_drops_punctuation():
    assert urls.slugify("AT&T's cuts!") == "at-t-s-cuts"


def test_written_slugs_must_already_be_slugs():
    assert urls.is_slug("scale-ai-cuts")
    assert not urls.is_slug("../x")
    assert not urls.is_slug("Scale-AI")
    assert not urls.is_slug("a--b")


def test_pages_of_a_listing_after_the_first_live_under_page():
    assert urls.listing_page_path("", 1) == ""
    assert urls.listing_page_path("", 2) == "page/2/"
    assert urls.listing_page_path("tags/x/", 3) == "tags/x/page/3/"


def test_every_page_is_an_index_file_in_its_folder():
    assert urls.output_file("") == "index.html"
    assert urls.output_file("2025/10/x/") == "2025/10/x/index.html"
    assert urls.output_file("feed.xml") == "feed.xml"


def test_links_are_made_absolute_against_their_page():
    html = '<a href="../x/">x</a> <img src="chart.png"> <a href="https://o.example/">o</a> <a href="#fn:1">1</a>'
    assert urls.absolutize_links(html, "https://d.example/2025/10/a/") == (
        '<a href="https://d.example/2025/10/x/">x</a> <img src="https://d.example/2025/10/a/chart.png"> '
        '<a href="https://o.example/">o</a> <a href="https://d.example/2025/10/a/#fn:1">1</a>'
    )
