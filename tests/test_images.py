"""Images: the `image:` lead image and body pictures, resized into widths, WebP plus a fallback, cached."""

import io
import json
import os

import lxml.html
from urllib.parse import unquote
from PIL import Image

from digest import images
from digest.cards import Background, CardText, draw_card, font_dir
from sitetools import build_errors, build_site_at, image_bytes

LEAD = "\nimage:\n  src: lead.jpg\n  alt: A bar chart of job cuts\n  caption: Cuts by quarter\n  credit: Digest desk"
PAGE = "public/2025/03/a-story/"


def lead_site(site, lead: str = LEAD, body: str = "Body text.", files: dict | None = None):
    root = site({"content/articles/a-story.md": "---\ntitle: A story\ndate: 2025-03-01" + lead + "\n---\n\n"
                 + body + "\n"})
    (root / "content/articles/lead.jpg").write_bytes(image_bytes(2000, 1000, "JPEG"))
    for name, data in (files or {}).items():
        (root / "content/articles" / name).write_bytes(data)
    return root


def page_of(root):
    return lxml.html.fromstring((root / PAGE / "index.html").read_bytes())


def test_lead_image_is_made_in_every_width_up_to_1600_as_webp_and_jpeg(site):
    root = lead_site(site)
    build_site_at(root)
    made = sorted(p.name for p in (root / PAGE).glob("lead-*"))
    assert made == sorted(f"lead-{w}.{ext}" for w in (480, 800, 1200, 1600) for ext in ("jpg", "webp"))
    with Image.open(root / PAGE / "lead-800.webp") as small:
        assert (small.format, small.size) == ("WEBP", (800, 400))


def test_a_body_image_is_never_upscaled(site):
    root = lead_site(site, body="![A chart](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    assert sorted(p.name for p in (root / PAGE).glob("chart-*.jpg")) == ["chart-1000.jpg", "chart-480.jpg",
                                                                         "chart-800.jpg"]


def test_every_srcset_and_src_url_of_a_picture_exists(site):
    root = lead_site(site, body="![A chart](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    page = page_of(root)
    urls = page.xpath("//picture//img/@src")
    for srcset in page.xpath("//picture//source/@srcset | //picture//img/@srcset"):
        urls += [item.split()[0] for item in srcset.split(",")]
    assert len(urls) == 2 + 2 * 4 + 2 * 3
    for url in urls:
        assert (root / "public" / url.lstrip("/")).is_file(), url


def test_width_and_height_of_a_picture_are_those_of_its_src_file(site):
    root = lead_site(site, body="![A chart](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    for img in page_of(root).xpath("//picture//img"):
        with Image.open(root / "public" / img.get("src").lstrip("/")) as file:
            assert (int(img.get("width")), int(img.get("height"))) == file.size


def test_lead_image_loads_first_and_body_images_lazily(site):
    root = lead_site(site, body="![A chart](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    lead, body = page_of(root).xpath("//picture//img")
    assert lead.get("loading") == "eager"
    assert (body.get("loading"), body.get("decoding")) == ("lazy", "async")


def test_lead_image_is_a_figure_with_its_alt_caption_and_credit(site):
    root = lead_site(site)
    build_site_at(root)
    (figure,) = page_of(root).xpath('//figure[@class="lead-image"]')
    assert figure.xpath(".//img/@alt") == ["A bar chart of job cuts"]
    assert " ".join(figure.xpath("string(figcaption)").split()) == "Cuts by quarter Image: Digest desk"


def test_an_empty_alt_is_allowed_for_a_decorative_image(site):
    root = lead_site(site, lead='\nimage: {src: lead.jpg, alt: ""}')
    build_site_at(root)
    assert page_of(root).xpath("//picture//img/@alt") == [""]


def test_a_lead_image_without_alt_is_a_located_error(site):
    root = lead_site(site, lead="\nimage:\n  src: lead.jpg")
    assert build_errors(root) == ["content/articles/a-story.md:5:3: image.alt: is required: describe the picture "
                                  "for readers who cannot see it (alt: \"\" for a decorative one)"]


def test_an_unknown_image_key_is_a_located_error(site):
    root = lead_site(site, lead="\nimage:\n  src: lead.jpg\n  alt: x\n  title: y")
    assert build_errors(root) == ["content/articles/a-story.md:7:3: image: unknown field 'title'"]


def test_a_missing_lead_image_is_a_located_error(site):
    root = lead_site(site, lead="\nimage: {src: nope.jpg, alt: x}")
    assert build_errors(root) == ["content/articles/a-story.md:4:14: image.src: 'nope.jpg': no such file beside "
                                  "the article or in the content folder"]


def test_a_lead_image_in_the_content_folder_is_found(site):
    root = lead_site(site, lead="\nimage: {src: media/wide.jpg, alt: x}")
    (root / "content/media").mkdir()
    (root / "content/media/wide.jpg").write_bytes(image_bytes(1200, 600, "JPEG"))
    build_site_at(root)
    assert (root / PAGE / "assets/wide-1200.webp").is_file()


def test_a_too_small_lead_image_says_the_minimum(site):
    root = lead_site(site, lead="\nimage: {src: small.jpg, alt: x}", files={"small.jpg": image_bytes(900, 500, "JPEG")})
    assert build_errors(root) == ["content/articles/a-story.md:4:14: image.src: 'small.jpg' is 900×500 px; at least "
                                  "1200 px wide is needed"]


def test_a_too_small_body_image_is_a_located_error_at_its_line(site):
    root = lead_site(site, body="Text.\n\n![tiny](tiny.png)", files={"tiny.png": image_bytes(100, 50)})
    assert build_errors(root) == ["content/articles/a-story.md:13: image 'tiny.png': 'tiny.png' is 100×50 px; at "
                                  "least 480 px wide is needed"]


def test_an_unreadable_image_is_a_located_error(site):
    root = lead_site(site, body="![x](broken.jpg)", files={"broken.jpg": b"not a picture"})
    assert build_errors(root) == ["content/articles/a-story.md:11: image 'broken.jpg': cannot read 'broken.jpg': "
                                  "it is not a readable JPEG, PNG or WebP image"]


def test_an_unsupported_format_is_a_located_error(site):
    root = lead_site(site, body="![x](scan.tiff)", files={"scan.tiff": image_bytes(600, 300, "TIFF")})
    assert build_errors(root) == ["content/articles/a-story.md:11: image 'scan.tiff': TIFF is not supported; use "
                                  "JPEG, PNG or WebP"]


def test_an_unsupported_lead_image_format_is_a_located_error(site):
    root = lead_site(site, lead="\nimage: {src: anim.gif, alt: x}", files={"anim.gif": image_bytes(1300, 700, "GIF")})
    assert build_errors(root) == ["content/articles/a-story.md:4:14: image.src: 'anim.gif': GIF is not supported; "
                                  "use JPEG, PNG or WebP"]


def test_a_missing_body_image_is_a_located_error(site):
    root = lead_site(site, body="Text.\n\n![x](gone.png)")
    assert build_errors(root) == ["content/articles/a-story.md:13: link to 'gone.png': no such file"]


def test_a_rebuild_does_not_encode_unchanged_images_again(site, monkeypatch):
    root = lead_site(site)
    build_site_at(root)
    variants = sorted((root / PAGE).glob("lead-*"))
    before = {p: p.stat().st_mtime_ns for p in variants}
    page = root / "content/articles/a-story.md"
    page.write_text(page.read_text().replace("Body text.", "Body text, edited."))
    os.utime(root / "content/articles/lead.jpg")  # touched, same bytes
    encoded = []
    monkeypatch.setattr(images, "encode", lambda source: encoded.append(source) or [])
    build_site_at(root, jobs=1)
    assert "edited" in (root / PAGE / "index.html").read_text()
    assert encoded == []
    assert {p: p.stat().st_mtime_ns for p in variants} == before


def test_a_new_picture_under_the_same_name_is_encoded_again(site):
    root = lead_site(site)
    build_site_at(root)
    first = (root / PAGE / "lead-480.jpg").read_bytes()
    (root / "content/articles/lead.jpg").write_bytes(image_bytes(2000, 1000, "JPEG", color="#123456"))
    build_site_at(root)
    assert (root / PAGE / "lead-480.jpg").read_bytes() != first


def test_a_changed_image_file_is_checked_again_on_a_rebuild(site):
    root = lead_site(site)
    build_site_at(root)
    (root / "content/articles/lead.jpg").write_bytes(image_bytes(700, 400, "JPEG"))
    assert build_errors(root) == ["content/articles/a-story.md:5:8: image.src: 'lead.jpg' is 700×400 px; at least "
                                  "1200 px wide is needed"]


def test_exif_orientation_is_applied_and_metadata_dropped(site):
    turned = image_bytes(1300, 700, "JPEG", exif_orientation=6)  # stored landscape, shown portrait
    root = lead_site(site, body="![x](turned.jpg)", files={"turned.jpg": turned})
    build_site_at(root)
    with Image.open(root / PAGE / "turned-700.jpg") as out:
        assert out.size == (700, 1300)
        assert not out.getexif() and "icc_profile" not in out.info


def test_an_image_with_transparency_falls_back_to_png(site):
    root = lead_site(site, body="![x](logo.png)", files={"logo.png": image_bytes(600, 300, alpha=True)})
    build_site_at(root)
    (img,) = page_of(root).xpath("//p/picture//img")
    assert img.get("src") == "/2025/03/a-story/logo-600.png"
    with Image.open(root / PAGE / "logo-600.png") as out:
        assert out.mode == "RGBA"


def test_resized_images_are_byte_identical_across_cold_builds(site):
    root = lead_site(site, body="![x](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root, output_dir=root / "one", cache=False)
    build_site_at(root, output_dir=root / "two", cache=False)
    one = {p.name: p.read_bytes() for p in (root / "one/2025/03/a-story").iterdir() if p.suffix != ".html"}
    two = {p.name: p.read_bytes() for p in (root / "two/2025/03/a-story").iterdir() if p.suffix != ".html"}
    assert len(one) == 15 and one == two  # 8 lead, 6 body variants, the card


def test_feeds_carry_a_plain_img_of_the_largest_fallback_with_an_absolute_url(site):
    root = lead_site(site, body="![A chart](chart.png)", files={"chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    item = json.loads((root / "public/feed.json").read_text())["items"][0]
    body = lxml.html.fromstring(item["content_html"])
    assert not body.xpath("//picture | //source | //img/@srcset")
    assert body.xpath("//img/@src") == ["https://test.example.org/2025/03/a-story/chart-1000.jpg"]


def test_the_card_of_an_article_with_a_lead_image_is_drawn_over_it(site):
    root = lead_site(site)
    build_site_at(root)
    with Image.open(root / PAGE / "card.png") as card:
        assert card.size == (1200, 630)
        # the image's accent rectangle shows through, darkened, where a plain card is its light background
        assert max(card.convert("RGB").getpixel((560, 380))) < 120


def test_a_card_background_changes_the_card(tmp_path):
    (tmp_path / "bg.jpg").write_bytes(image_bytes(1600, 800, "JPEG"))
    text = CardText("Site", "A headline", "March 1, 2025", "")
    plain = draw_card(text, font_dir(()))
    over = draw_card(text, font_dir(()), Background(str(tmp_path / "bg.jpg"), "x"))
    assert plain != over
    with Image.open(io.BytesIO(over)) as card:
        assert card.info == {}


def test_image_file_names_with_spaces_are_published_and_linked_percent_encoded(site):
    root = lead_site(site, lead=LEAD.replace("src: lead.jpg", "src: lead photo.jpg"),
                     body="![A chart](<my chart.png>) and ![Another](my%20chart.png)",
                     files={"lead photo.jpg": image_bytes(2000, 1000, "JPEG"), "my chart.png": image_bytes(1000, 500)})
    build_site_at(root)
    page = lxml.html.fromstring((root / PAGE / "index.html").read_bytes())
    urls = [c.split()[0] for s in page.xpath("//picture/source/@srcset | //picture/img/@srcset") for c in s.split(", ")]
    urls += page.xpath("//picture/img/@src")
    assert any("lead%20photo-" in u for u in urls) and any("my%20chart-" in u for u in urls)
    assert all(" " not in u for u in urls)
    for url in urls:
        assert (root / "public" / unquote(url).lstrip("/")).is_file(), url


def test_a_linked_file_with_a_space_in_its_name_is_published_and_linked_percent_encoded(site):
    root = lead_site(site, body="Read [the memo](<memo 2.pdf>).", files={"memo 2.pdf": b"%PDF-1.4 memo"})
    build_site_at(root)
    page = lxml.html.fromstring((root / PAGE / "index.html").read_bytes())
    (href,) = page.xpath('//a[text()="the memo"]/@href')
    assert href.endswith("/memo%202.pdf")
    assert (root / "public" / unquote(href).lstrip("/")).read_bytes() == b"%PDF-1.4 memo"
