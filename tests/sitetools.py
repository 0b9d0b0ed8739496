"""Helpers shared by the tests: small sites written into a temporary folder, built in-process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import BuildFailed
from digest.files import RenderedFile
from digest.pipeline import BuildOptions, build
from digest.writer import Staging

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_CONFIG = "title: Test Digest\nbase_url: https://test.example.org/\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def article(title: str = "A story", date: str = "2025-03-01", body: str = "Body text.", **fields: str) -> str:
    """An article file: front matter lines from keyword arguments, written as given."""
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def site_model(tmp_path: Path, files: dict[str, str], config: str = MINIMAL_CONFIG, **publishing):
    """The site model of articles and profiles given as text, made by the model stage alone: documents
    parsed in memory, no content folder read, no page rendered. Returns (site, problems)."""
    from datetime import datetime, timezone

    from digest.content import Content, parse_article, parse_profile
    from digest.frontmatter import load_yaml, split_front_matter
    from digest.site import Publishing, build_site

    (tmp_path / "site.yaml").write_text(config, encoding="utf-8")
    site_config = load_config(tmp_path / "site.yaml")
    articles, profiles = [], []
    for rel, text in files.items():
        path = site_config.root / rel
        if rel.startswith("content/companies/"):
            profile, problems = parse_profile(load_yaml(textwrap.dedent(text), rel), rel, path.stem)
            assert not problems, problems
            profiles.append(profile)
        else:
            record, problems = parse_article(split_front_matter(text, path, rel), site_config)
            assert not problems, problems
            articles.append(record)
    now = publishing.pop("now", datetime(2030, 1, 1, tzinfo=timezone.utc))
    return build_site(Content(tuple(articles), (), tuple(profiles)), site_config, Publishing(now, **publishing))


def build_site_at(root: Path, **options):
    """Build the site at root in-process; output_dir and base_url go to the config, the rest to BuildOptions."""
    config = load_config(root / "site.yaml", **{k: options.pop(k) for k in ("output_dir", "base_url") if k in options})
    options.setdefault("search", False)  # the search index has tests of its own
    return build(config, BuildOptions(**options))


def build_errors(root: Path, **options) -> list[str]:
    """The problems a failing build reports, as the lines a writer reads."""
    with pytest.raises(BuildFailed) as failure:
        build_site_at(root, **options)
    return [str(p) for p in failure.value.problems]


def write_tree(files: list[RenderedFile], output: Path) -> None:
    """Write a whole output folder at once through the build's writer."""
    with Staging(output) as stage:
        for file in files:
            stage.write(file)
        stage.commit()


def image_bytes(width: int = 600, height: int = 300, fmt: str = "PNG", color: str = "#a3261b",
                alpha: bool = False, exif_orientation: int | None = None) -> bytes:
    """A real image file of the given size: a coloured rectangle with a band, so resizing has edges to keep."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA" if alpha else "RGB", (width, height), (0, 0, 0, 0) if alpha else "#fdfcfa")
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width // 2, height - 1), fill=color)
    out = io.BytesIO()
    extra = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        extra["exif"] = exif.tobytes()
    image.save(out, fmt, **extra)
    return out.getvalue()


def keys_made(monkeypatch) -> list:
    """The output keys each following build works out (one per output it compares or renders), by identity."""
    from digest.incremental.fingerprints import Fingerprints
    made = []
    original = Fingerprints.key
    monkeypatch.setattr(Fingerprints, "key", lambda self, identity, reads, context:
                        made.append(identity) or original(self, identity, reads, context))
    return made
