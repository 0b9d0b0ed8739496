"""The benchmark corpus converted for Hugo: the same articles and Markdown bodies, in the peer site's layout.

    python bench/hugo_site.py bench/.corpus/1000 bench/.corpus/1000-hugo

The Hugo config and layouts are not part of this repository: they are the ready peer site in
`../shared/peers/hugo/` beside the repository (the repository is cloned with `../shared` next to it),
copied into each converted site, which lives in the ignored `bench/.corpus/`.
"""

from __future__ import annotations

import argparse
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
PEER = REPO.parent / "shared" / "peers" / "hugo"


def peer_folder(peer: Path = PEER) -> Path:
    """The Hugo peer site, or a clear error saying where it was looked for and why it is needed."""
    if not (peer / "hugo.yaml").is_file() or not (peer / "layouts").is_dir():
        raise SystemExit(f"{peer}: the Hugo peer site (hugo.yaml and layouts/) is missing; the benchmark "
                         "needs the shared folder cloned beside the repository as ../shared")
    return peer


def first_paragraph(body: str) -> str:
    """digest's default summary is the body's first paragraph; the plain text of it, for Hugo's `summary`."""
    paragraph = body.strip().split("\n\n", 1)[0]
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph).replace("\n", " ").strip()


def _timestamp(value: date | datetime | str) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def hugo_article(source_text: str, slug: str) -> str:
    """One digest article (front matter and Markdown) as a Hugo post with the peer's front matter fields."""
    _, front, body = source_text.split("---\n", 2)
    meta = yaml.safe_load(front)
    hugo_front = {
        "title": meta["title"],
        "date": _timestamp(meta["date"]),
        "slug": meta.get("slug", slug),
        "summary": meta.get("summary") or first_paragraph(body),
        "tags": list(meta.get("tags", [])),
        "companies": list(meta.get("companies", [])),
    }
    return "---\n" + yaml.safe_dump(hugo_front, allow_unicode=True, sort_keys=False) + "---\n" + body


def convert(corpus: Path, out: Path, peer: Path = PEER) -> None:
    """Write a Hugo site in `out`: the peer's hugo.yaml and layouts, and content/posts/<slug>.md per article."""
    peer = peer_folder(peer)
    posts = out / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    shutil.copy2(peer / "hugo.yaml", out / "hugo.yaml")
    shutil.copytree(peer / "layouts", out / "layouts", dirs_exist_ok=True)
    for source in sorted((corpus / "content" / "articles").rglob("*.md")):
        text = hugo_article(source.read_text(encoding="utf-8"), source.stem)
        (posts / f"{source.stem}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a site made by bench/generate.py")
    parser.add_argument("folder", type=Path, help="where to write the Hugo site")
    args = parser.parse_args()
    convert(args.corpus, args.folder)


if __name__ == "__main__":
    main()
