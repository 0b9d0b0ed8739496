"""Images: an article's lead image (`image:` front matter) and the pictures of Markdown bodies.

Each raster image a document shows is probed when the document is parsed (format, size after EXIF
orientation, transparency, hash of its bytes), so a missing, unreadable, unsupported or too small file is a
located error. At build time it is resized into a few widths (never upscaled), each written as WebP plus a
JPEG (photos) or PNG (transparency) fallback, with EXIF orientation applied and no metadata kept. One
`ImageUnit` per image and page writes its variants; its identity is the hash of the source's bytes, so an
unchanged image is never encoded again. Pages show it through `<picture>` with `srcset` and `sizes`.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import quote as quote_url, unquote, urlsplit

from .errors import SourceError, quote
from .files import RenderedFile
from .reader import inside_site, refuse_outside

if TYPE_CHECKING:  # units reaches content through the incremental package, and content reads images
    from .units import RenderContext, Rendered

WIDTHS = (480, 800, 1200, 1600)  # the widths made of each image, up to its own
MIN_LEAD_WIDTH = 1200  # a lead image is also a social card's 1200 px background
MIN_BODY_WIDTH = 480
RESIZED = frozenset({".jpg", ".jpeg", ".png", ".webp"})
AS_IS = frozenset({".svg", ".gif"})  # vector, or possibly animated: published as they are
UNSUPPORTED = frozenset({".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jxl", ".ico", ".psd", ".jp2"})
PILLOW_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})  # MPO: a phone's JPEG with a second frame
IMAGE_FIELDS = ("src", "alt", "caption", "credit")
# The article column (--measure: 42rem) inside the page's 1rem padding.
BODY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
WEBP_QUALITY, JPEG_QUALITY = 80, 82
_ORIENTATION = 0x0112
_SWAPPED = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture a quarter


@dataclass(frozen=True, slots=True)
class SourceImage:
    """A raster image as it was probed, and where its variants are published."""

    file: str  # the source file
    stem: str  # output path of its variants without width and extension: '2025/10/slug/photo'
    sha256: str
    mtime_ns: int
    size: int
    width: int  # as shown, after EXIF orientation
    height: int
    alpha: bool  # has transparency: the fallback is PNG

    @property
    def widths(self) -> tuple[int, ...]:
        widest = min(self.width, WIDTHS[-1])
        return tuple(w for w in WIDTHS if w < widest) + (widest,)

    @property
    def fallback_ext(self) -> str:
        return "png" if self.alpha else "jpg"

    @property
    def fallback_type(self) -> str:
        return "image/png" if self.alpha else "image/jpeg"

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def variant(self, width: int, ext: str) -> str:
        return f"{self.stem}-{width}.{ext}"

    @property
    def largest(self) -> str:
        """The biggest fallback: the `src` of the picture's `<img>`, and what feeds show."""
        return self.variant(self.widths[-1], self.fallback_ext)

    @property
    def paths(self) -> tuple[str, ...]:
        """In the order `encode` makes them: the incremental build compares the two."""
        return tuple(self.variant(w, ext) for w in self.widths for ext in ("webp", self.fallback_ext))

    def unchanged(self) -> bool:
        """The file still has the bytes it was probed with (its date and size first, its hash when they
        differ), for the parse cache."""
        try:
            stat = os.stat(self.file)
            if (stat.st_mtime_ns, stat.st_size) == (self.mtime_ns, self.size):
                return True
            return _sha256(Path(self.file).read_bytes()) == self.sha256
        except OSError:
            return False


@dataclass(frozen=True, slots=True)
class LeadImage:
    """An article's `image:`: shown above its body and behind its social card."""

    image: SourceImage
    alt: str  # "" for a decorative image
    caption: str | None
    credit: str | None


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def probe(file: Path, stem: str, minimum: int) -> SourceImage | str:
    """The image at `file`, or what is wrong with it, as a message."""
    from PIL import Image, UnidentifiedImageError

    try:
        raw = file.read_bytes()
        stat = file.stat()
    except OSError as exc:
        return f"cannot read {quote(file.name)}: {exc.strerror or exc}"
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.verify()  # must come first: it reads the file from its start
        with Image.open(io.BytesIO(raw)) as image:
            kind = image.format
            width, height = image.size
            orientation = image.getexif().get(_ORIENTATION, 1)
            alpha = _has_alpha(image)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        reason = "it is too large to decode safely" if isinstance(exc, Image.DecompressionBombError) \
            else "it is not a readable JPEG, PNG or WebP image"
        return f"cannot read {quote(file.name)}: {reason}"
    if kind not in PILLOW_FORMATS:
        return f"{quote(file.name)} is a {kind} image; use JPEG, PNG or WebP"
    if orientation in _SWAPPED:
        width, height = height, width
    if width < minimum:
        return f"{quote(file.name)} is {width}×{height} px; at least {minimum} px wide is needed"
    return SourceImage(str(file), stem, _sha256(raw), stat.st_mtime_ns, stat.st_size, width, height, alpha)


def variant_stem(page_path: str, target: Path, source: Path, taken: Mapping[str, str]) -> str:
    """Where an image's variants go: beside the page as beside the document, or in its `assets/` (with a
    short hash of its path when another file of that name is there already)."""
    folder = source.parent
    if target.is_relative_to(folder):
        return page_path + target.relative_to(folder).with_suffix("").as_posix()
    stem = page_path + "assets/" + target.stem
    if taken.get(stem, str(target)) != str(target):
        stem += "-" + hashlib.blake2b(target.as_posix().encode(), digest_size=3).hexdigest()
    return stem


# ---- markup -------------------------------------------------------------------------------------------

def image_url(image: SourceImage, width: int, ext: str, prefix: str) -> str:
    """A variant's address, percent-encoded: 'lead photo.png' has a space, which ends a srcset candidate."""
    return prefix + quote_url(image.variant(width, ext), safe="/")


def srcset(image: SourceImage, ext: str, prefix: str) -> str:
    return ", ".join(f"{image_url(image, w, ext, prefix)} {w}w" for w in image.widths)


def picture_html(image: SourceImage, alt: str, sizes: str, prefix: str, lead: bool = False) -> str:
    """`<picture>`: WebP first, the JPEG or PNG fallback in `<img>` with the size of the largest variant.
    A lead image loads at once (`loading="eager"`); any other when scrolled near (`loading="lazy"`).
    `fetchpriority="high"` would suit the lead, but the Nu HTML checker refuses it on <img>."""
    w = image.widths[-1]
    loading = 'loading="eager"' if lead else 'loading="lazy" decoding="async"'
    return (f'<picture><source type="image/webp" srcset="{srcset(image, "webp", prefix)}" sizes="{escape(sizes)}">'
            f'<img src="{image_url(image, w, image.fallback_ext, prefix)}" '
            f'srcset="{srcset(image, image.fallback_ext, prefix)}" '
            f'sizes="{escape(sizes)}" width="{w}" height="{image.height_at(w)}" alt="{escape(alt)}" {loading}>'
            "</picture>")


def body_picture(element, url: str, context) -> bool:
    """Turns a Markdown `<img>` of a raster file beside the document into a `<picture>` (in place, keeping
    its tail), noting the image in `context.images`; a problem goes to `context.image_problems`. False
    when the image is not one digest resizes (a remote or site address, SVG, GIF)."""
    parts = urlsplit(url)
    suffix = posixpath.splitext(parts.path)[1].lower()
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/") \
            or suffix not in RESIZED | UNSUPPORTED:
        return False
    target = Path(posixpath.normpath((context.source.parent / unquote(parts.path)).as_posix()))  # my%20chart.png
    if not target.is_relative_to(context.content_dir) or (context.roots and target.exists()
                                                           and not inside_site(target, context.roots)):
        return False  # a site address, or a link out of the site: the link check or the publisher judges it
    if not context.exists(target):
        context.missing.append(url)
        return True
    if suffix in UNSUPPORTED:
        context.image_problems.append((url, f"image {quote(url)}: {suffix[1:].upper()} is not supported; "
                                            "use JPEG, PNG or WebP"))
        return True
    image = image_for(context, target, MIN_BODY_WIDTH)
    if isinstance(image, str):
        context.image_problems.append((url, f"image {quote(url)}: {image}"))
        return True
    from xml.etree import ElementTree as ET

    alt, title = element.get("alt", ""), element.get("title")
    tail = element.tail
    element.clear()
    element.tag, element.tail = "picture", tail
    ET.SubElement(element, "source", {"type": "image/webp", "srcset": srcset(image, "webp", context.base_path),
                                      "sizes": BODY_SIZES})
    attributes = {"src": image_url(image, image.widths[-1], image.fallback_ext, context.base_path),
                  "srcset": srcset(image, image.fallback_ext, context.base_path), "sizes": BODY_SIZES,
                  "width": str(image.widths[-1]),
                  "height": str(image.height_at(image.widths[-1])), "alt": alt, "loading": "lazy",
                  "decoding": "async"}
    if title:
        attributes["title"] = title
    ET.SubElement(element, "img", attributes)
    return True


def image_for(context, target: Path, minimum: int) -> SourceImage | str:
    """The probed image of `target` for the document `context` converts (probed once per document)."""
    for known in context.images:
        if known.file == str(target):
            return known if known.width >= minimum else \
                f"{quote(target.name)} is {known.width}×{known.height} px; at least {minimum} px wide is needed"
    taken = {i.stem: i.file for i in context.images}
    image = probe(target, variant_stem(context.page_path, target, context.source, taken), minimum)
    if not isinstance(image, str):
        context.images.append(image)
    return image


_PICTURE = re.compile(r"<picture><source [^>]*>(<img [^>]*>)</picture>")
_RESPONSIVE = re.compile(r'\s(?:srcset|sizes|loading|decoding)="[^"]*"')


def plain_pictures(html: str) -> str:
    """Each `<picture>` digest made as its `<img>` alone, with the largest fallback: for feed readers,
    which do not all understand `<picture>` or `srcset`."""
    return _PICTURE.sub(lambda m: _RESPONSIVE.sub("", m.group(1)), html)


# ---- front matter -------------------------------------------------------------------------------------

def read_lead_image(check, context) -> LeadImage | None:
    """`image: {src, alt, caption, credit}`: src beside the article or relative to the content folder,
    alt required (may be "" for a decorative image)."""
    at = ("image",)
    if check.mapping(at) is None:
        return None
    check.known_keys(at, IMAGE_FIELDS)
    src = check.string(at + ("src",), required=True)
    alt = check.string(at + ("alt",))
    if alt is None:
        check.report(at + ("alt",), 'is required: describe the picture for readers who cannot see it '
                                    '(alt: "" for a decorative one)')
    caption = check.string(at + ("caption",))
    credit = check.string(at + ("credit",))
    if not src:
        return None
    places = (Path(posixpath.normpath((folder / src).as_posix())) for folder in (context.source.parent,
                                                                                   context.content_dir))
    target = next((p for p in places if p.is_relative_to(context.content_dir) and context.exists(p)), None)
    suffix = posixpath.splitext(src)[1].lower()
    if target is None:
        check.report(at + ("src",), f"{quote(src)}: no such file beside the article or in the content folder")
        return None
    refused = refuse_outside(target, context.roots, src) if context.roots else None
    if refused is not None:
        check.report(at + ("src",), f"{quote(src)} {refused.message}")
        return None
    if suffix not in RESIZED:
        check.report(at + ("src",), f"{quote(src)}: {suffix[1:].upper() or 'this format'} is not supported; "
                                    "use JPEG, PNG or WebP")
        return None
    image = image_for(context, target, MIN_LEAD_WIDTH)
    if isinstance(image, str):
        check.report(at + ("src",), image)
        return None
    return LeadImage(image, (alt or "").strip(), caption.strip() if caption else None,
                     credit.strip() if credit else None)


# ---- output -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ImageUnit:
    """The variants of one image shown on one page. Its identity is the source's hash and the widths:
    touching or moving the article does not encode the image again."""

    image: SourceImage
    origin: str  # the document that shows it

    @property
    def id(self) -> str:
        return "image:" + self.image.stem

    @property
    def paths(self) -> tuple[str, ...]:
        return self.image.paths

    @property
    def context(self) -> Mapping[str, Any]:
        return MappingProxyType({})

    def identity(self) -> Any:
        return (self.paths, self.image.sha256, WEBP_QUALITY, JPEG_QUALITY)

    def render(self, ctx: RenderContext) -> Rendered:
        from PIL import features

        from .units import Rendered

        if not features.check("webp"):
            return Rendered((), frozenset(), (SourceError(self.origin, None, None, "this Pillow cannot write WebP; "
                                                          "install Pillow from its wheel (pip install -U pillow)"),))
        try:
            return Rendered(tuple(encode(self.image)), frozenset())
        except (OSError, ValueError) as exc:
            return Rendered((), frozenset(), (SourceError(self.origin, None, None,
                                                          f"image {quote(Path(self.image.file).name)}: {exc}"),))


def plan_images(site) -> list[ImageUnit]:
    """A unit per image per page, each page's images once however often it shows them."""
    units: dict[str, ImageUnit] = {}
    for doc in (*site.articles, *site.pages):
        lead = getattr(doc, "image", None)
        for image in ((lead.image,) if lead else ()) + tuple(getattr(doc, "images", ())):
            units.setdefault(image.stem, ImageUnit(image, doc.source))
    return list(units.values())


def oriented(file: str):
    """The image upright (EXIF orientation applied), in RGB or RGBA, with no metadata attached."""
    from PIL import Image, ImageOps

    with Image.open(file) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.info = {}
    return image


def encode(source: SourceImage) -> list[RenderedFile]:
    """Every variant's bytes: the same source gives the same bytes (no metadata, no time, fixed settings)."""
    from PIL import Image

    image = oriented(source.file)
    if image.size != (source.width, source.height):
        raise ValueError("the file changed since it was read; build again")
    if not source.alpha and image.mode != "RGB":
        image = image.convert("RGB")
    files = []
    for width in source.widths:
        size = (width, source.height_at(width))
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        webp, fallback = io.BytesIO(), io.BytesIO()
        resized.save(webp, "WEBP", quality=WEBP_QUALITY, method=4)
        if source.alpha:
            resized.save(fallback, "PNG", optimize=False, compress_level=9)
        else:
            resized.convert("RGB").save(fallback, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        files.append(RenderedFile(source.variant(width, "webp"), webp.getvalue()))
        files.append(RenderedFile(source.variant(width, source.fallback_ext), fallback.getvalue()))
    return files
