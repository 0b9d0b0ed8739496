"""`digest init`: a new site folder that builds as it is (config, an example article, an about page, a
company profile, a .gitignore and a GitHub Pages workflow), from the files in `digest/skeleton/`.

It never overwrites a file: a folder that already holds something is refused unless `--force`, and even
then every file that exists is kept and named.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import __version__
from .config import normalize_base_url
from .errors import BuildFailed, SourceError, quote

SKELETON = Path(__file__).parent / "skeleton"
DEFAULT_TITLE = "My Restructuring Digest"
DEFAULT_BASE_URL = "https://example.org/"
IGNORED_IN_AN_EMPTY_FOLDER = {".git"}  # `git init` first, then `digest init`, is a normal order


@dataclass(frozen=True, slots=True)
class InitResult:
    folder: Path
    written: tuple[str, ...]  # relative paths, in the order written
    kept: tuple[str, ...]  # files that were there already and were left as they were


def _files(today: datetime) -> list[tuple[str, str]]:
    """(skeleton file, where it goes in the new site). Names in the skeleton have no leading dot, so that
    packaging tools do not take the skeleton's .gitignore for the package's own."""
    return [
        ("site.yaml", "site.yaml"),
        ("example.md", f"content/articles/{today:%Y}/{today:%m}/example-corp-closes-springfield-centre.md"),
        ("example-corp.yaml", "content/companies/example-corp.yaml"),
        ("about.md", "content/pages/about.md"),
        ("gitignore", ".gitignore"),
        ("publish.yml", ".github/workflows/publish.yml"),
    ]


def _fill(text: str, values: dict[str, str]) -> str:
    # `<<name>>` rather than str.format or string.Template: the workflow is full of `${{ … }}`.
    for name, value in values.items():
        text = text.replace(f"<<{name}>>", value)
    return text


def _yaml_text(value: str) -> str:
    """A value for a plain `key: value` line: quoted when YAML would read it as something else."""
    import json

    return json.dumps(value, ensure_ascii=False) if value != value.strip() or any(
        c in value for c in ":#'\"[]{},&*!|>%@`") or value[:1] in "-?" else value


def is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(p.name not in IGNORED_IN_AN_EMPTY_FOLDER for p in folder.iterdir())


def init_site(folder: Path, *, title: str = DEFAULT_TITLE, base_url: str = DEFAULT_BASE_URL, force: bool = False,
              today: datetime | None = None) -> InitResult:
    """Write a starter site into `folder`; BuildFailed when the folder is not empty (without force) or the
    answers are unusable."""
    shown = str(folder)
    if folder.exists() and not folder.is_dir():
        raise BuildFailed([SourceError(shown, None, None, "is a file, not a folder")])
    if not force and not is_empty(folder):
        raise BuildFailed([SourceError(shown, None, None, "is not empty: digest init starts a site in a new or "
                                       "empty folder (--force adds the missing files and keeps every file there)")])
    url = normalize_base_url(base_url)
    if url is None:
        raise BuildFailed([SourceError("base URL", None, None,
                                       f"{quote(base_url)} must be an absolute http(s) URL such as https://example.org/")])
    if not title.strip():
        raise BuildFailed([SourceError("title", None, None, "the site needs a title")])
    today = today or datetime.now(timezone.utc)
    values = {"title": _yaml_text(title.strip()), "base_url": url, "date": f"{today:%Y-%m-%d}",
              "version": __version__}
    written, kept = [], []
    for name, target in _files(today):
        path = folder / target
        if path.exists():
            kept.append(target)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(_fill((SKELETON / name).read_text(encoding="utf-8"), values))
        written.append(target)
    return InitResult(folder, tuple(written), tuple(kept))


def ask(prompt: str, default: str, read: Callable[[str], str] = input) -> str:
    try:
        answer = read(f"{prompt} [{default}]: ").strip()
    except EOFError:  # Ctrl-D: take the default, as Enter does
        print(file=sys.stderr)
        return default
    return answer or default


def answers(interactive: bool, read: Callable[[str], str] = input) -> tuple[str, str]:
    """The site's title and base URL: asked on a terminal, the defaults otherwise (a script never hangs)."""
    if not interactive:
        return DEFAULT_TITLE, DEFAULT_BASE_URL
    title = ask("Site title", DEFAULT_TITLE, read)
    while True:
        url = ask("Base URL (where it will be served; the GitHub workflow sets it there)", DEFAULT_BASE_URL, read)
        if normalize_base_url(url):
            return title, url
        print(f"  {quote(url)} is not an absolute http(s) URL such as https://example.org/", file=sys.stderr)


def next_steps(result: InitResult, folder_as_typed: str) -> str:
    here = folder_as_typed in (".", "")
    where = "here" if here else f"in {folder_as_typed}/"
    lines = [f"Started a digest {where}:" if result.written else f"Nothing written {where}: every file is there already:"]
    lines += [f"  wrote {path}" for path in result.written]
    lines += [f"  kept {path} (it was there already)" for path in result.kept]
    lines += [
        "",
        "Next:",
        *([] if here else [f"  cd {folder_as_typed}"]),
        "  digest serve                       preview at http://127.0.0.1:8000/, rebuilt on every save",
        '  digest new "Headline" --company C  start an article (a draft); delete the example when you like',
        "  digest build                       the site, into public/",
        "To publish with GitHub Pages: push this folder to a GitHub repository, then Settings → Pages →",
        "Source: GitHub Actions; .github/workflows/publish.yml builds and deploys every push to main.",
        "Add a repository secret DIGEST_CACHE_KEY (any long random string) so that each run reuses the",
        "last one's cache instead of starting cold.",
    ]
    return "\n".join(lines)
