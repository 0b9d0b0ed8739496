"""The newsletter email of a finished weekly issue: `weekly/<yyyy>-w<ww>/email.html` and `email.txt`.

Email clients render little: the HTML is a table at most 600 px wide, every rule inlined into `style`
attributes by css-inline (only the dark-mode @media rule stays in a <style>, where clients that read it
use it), no script, no web font, every URL absolute. The text part says the same with links written out.
Both come from the theme's `email.html` and `email.txt`; `digest newsletter` prints them.
"""

from __future__ import annotations

import css_inline
import lxml.html

from . import urls
from .files import RenderedFile
from .incremental.reads import Read
from .units import RenderContext, SiteFileUnit
from .weekly import Week

GMAIL_CLIP_BYTES = 102 * 1024  # Gmail cuts a message's HTML beyond this

_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def email_paths(week: Week) -> tuple[str, str]:
    return (week.path + "email.html", week.path + "email.txt")


def email_files(week: Week, ctx: RenderContext, reads: set[Read]) -> list[RenderedFile]:
    html, text = render_email(week, ctx, reads)
    html_path, text_path = email_paths(week)
    return [RenderedFile(html_path, html.encode("utf-8")), RenderedFile(text_path, text.encode("utf-8"))]


def render_email(week: Week, ctx: RenderContext, reads: set[Read]) -> tuple[str, str]:
    """The email's HTML (styles inlined, links absolute) and its plain text."""
    page_url = urls.absolute_url(ctx.config.base_url, week.path)
    note = week.note.html if week.note is not None else ""
    values = {"site": ctx.recording_site(reads), "config": ctx.config, "week": week,
              "page_path": week.path, "preheader": _preheader(week),
              "note_text": html_to_text(urls.absolutize_links(note, page_url)) if note.strip() else ""}
    html = ctx.env.get_template("email.html").render(values)
    html = urls.absolutize_links(_INLINER.inline(html), page_url)
    text = ctx.env.get_template("email.txt").render(values)
    return html, text


def html_to_text(html: str) -> str:
    """A fragment of HTML (an editor's note) as plain text for the email's text part: one paragraph per
    block, list items as `* `, a link's address written out after its words."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in root.iter("a"):
        href = link.get("href")
        if href and href != link.text_content().strip():
            link.tail = f" ({href})" + (link.tail or "")
    blocks = []
    for block in root:
        if not isinstance(block.tag, str):
            continue  # a comment
        if block.tag in ("ul", "ol"):
            items = [li for li in block if li.tag == "li"]
            marks = [f"{n}." for n in range(1, len(items) + 1)] if block.tag == "ol" else ["*"] * len(items)
            blocks.append("\n".join(f"{m} {' '.join(li.text_content().split())}" for m, li in zip(marks, items)))
        elif block.tag == "pre":
            blocks.append(block.text_content().rstrip("\n"))
        else:
            text = " ".join(block.text_content().split())
            blocks.append(f"> {text}" if block.tag == "blockquote" else text)
    loose = " ".join((root.text or "").split())  # text outside any block
    return "\n\n".join(b for b in ([loose] if loose else []) + blocks if b)


def _preheader(week: Week) -> str:
    """The line inboxes show after the subject: the editor's summary, else the week's first takeaway,
    else its first summary."""
    from markupsafe import Markup

    if week.note is not None and week.note.summary:
        return week.note.summary
    first = next((Markup(t).striptags() for a in week.articles for t in a.takeaways), None)
    return first or next((a.summary for a in week.articles if a.summary), week.title)


def email_units(weeks: tuple[Week, ...]) -> list[SiteFileUnit]:
    """An email for every finished issue; the running week gets its own once it has ended."""
    return [SiteFileUnit(f"email:{w.id.name}", email_paths(w), f"the email of the weekly issue {w.id.name}", w,
                         email_files) for w in weeks if w.finished]


class NoIssue(Exception):
    """`digest newsletter` asked for a week that has no finished issue."""


def newsletter(config, week_name: str | None, text: bool, options) -> str:
    """The email of one finished issue (the latest by default), for `digest newsletter`: the site is
    modelled as a check would (nothing written) and the email rendered as the build renders it."""
    from .pipeline import build
    from .theme import make_env
    from .themedirs import find_theme
    from .weekly import parse_week

    report = build(config, options)
    finished = [w for w in report.site.weeks if w.finished]
    if week_name is None:
        if not finished:
            raise NoIssue("no finished weekly issue yet: the running week's goes out once it ends")
        week = finished[0]
    else:
        wanted = parse_week(week_name)
        if wanted is None:
            raise NoIssue(f"{week_name!r} is not a week such as 2025-W42 (or that year has no such week)")
        week = next((w for w in finished if w.id == wanted), None)
        if week is None:
            running = any(w.id == wanted for w in report.site.weeks)
            raise NoIssue(f"{wanted.name} has not ended yet" if running else f"{wanted.name} has no published story")
    theme, _ = find_theme(config)
    ctx = RenderContext(make_env(config, theme), report.site, config, theme.templates)
    html, plain = render_email(week, ctx, set())
    return plain if text else html
