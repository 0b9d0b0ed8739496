"""The command line: build, check, serve, new, newsletter, init; exit 0 on success, 1 for content errors, 2 for a bad command line."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import threading
from pathlib import Path

from . import __version__
from .config import SiteConfig, load_config, normalize_base_url
from .errors import BuildFailed, SourceError, plural
from .parallel import default_jobs
from .pipeline import BuildOptions, BuildReport, build
from .progress import no_progress, terminal_progress

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _processes(text: str) -> int:
    """--jobs: a whole number of processes, at least 1 (a mistake is a usage error, exit status 2)."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


def _base_url(text: str) -> str:
    """--base-url: checked as site.yaml's base_url is, but as a usage error (exit status 2)."""
    if normalize_base_url(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an absolute http(s) URL such as https://digest.example.org/")
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digest",
        description="Build a news digest on corporate restructuring from Markdown articles.",
        epilog="With no command, 'digest' builds the site.",
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def site_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="F",
                         help="the site's site.yaml (default: ./site.yaml); other folders are relative to it")
        sub.add_argument("--content", type=Path, metavar="D", help="content folder (default: content/ beside the config)")
        sub.add_argument("--drafts", action="store_true", help="publish drafts too")
        sub.add_argument("--future", action="store_true", help="publish articles dated in the future too")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sub.add_argument("--verbose", "-v", action="store_true", help="list what the build leaves out, and why")
        sub.add_argument("--jobs", "-j", type=_processes, default=default_jobs(), metavar="N",
                         help=f"processes for parsing and rendering (default: the {default_jobs()} CPUs here)")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    site_options(build_cmd)
    build_cmd.add_argument("--output", type=Path, metavar="D", help="output folder (default: public/ beside the config)")
    build_cmd.add_argument("--base-url", type=_base_url, metavar="U",
                           help="override base_url, e.g. for a preview deploy")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    build_cmd.add_argument("--no-cache", action="store_true", help="parse every source again (ignore .digest-cache/)")

    check_cmd = commands.add_parser("check", help="validate all content and config; build nothing")
    site_options(check_cmd)

    serve_cmd = commands.add_parser("serve", help="preview on localhost, rebuilding and reloading on every change")
    serve_cmd.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="F")
    serve_cmd.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000; 0 picks a free one)")
    serve_cmd.add_argument("--drafts", action="store_true", help="show drafts too")
    serve_cmd.add_argument("--future", action="store_true", help="show articles dated in the future too")
    serve_cmd.add_argument("--no-search", action="store_true", help="do not keep a search index up to date")
    serve_cmd.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                           help="address to listen on (default 127.0.0.1: this machine only)")
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser once it is built")

    new_cmd = commands.add_parser("new", help="start a new article, or a weekly note, (a draft) and print its path")
    new_cmd.add_argument("title", nargs="?", help="the headline, in quotes")
    new_cmd.add_argument("--weekly", nargs="?", const="", metavar="YYYY-Www",
                         help="start the editor's note of a weekly issue instead (default: this week)")
    new_cmd.add_argument("--company", action="append", default=[], metavar="C", help="a company (repeatable)")
    new_cmd.add_argument("--tag", action="append", default=[], metavar="T", help="a tag (repeatable)")
    new_cmd.add_argument("--date", metavar="YYYY-MM-DD", help="publication date (default: today in the site's timezone)")
    new_cmd.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="F")
    new_cmd.add_argument("--content", type=Path, metavar="D")

    letter_cmd = commands.add_parser("newsletter", help="print the email of a finished weekly issue (HTML, or --text)")
    letter_cmd.add_argument("week", nargs="?", metavar="YYYY-Www", help="the ISO week, e.g. 2025-W42 (default: the latest finished)")
    letter_cmd.add_argument("--text", action="store_true", help="the plain-text part instead of the HTML")
    site_options(letter_cmd)

    init_cmd = commands.add_parser("init", help="start a new site (config, an example article, a publish workflow)")
    init_cmd.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                          help="where (default: here); it must be empty or new")
    init_cmd.add_argument("--force", action="store_true",
                          help="write into a folder that is not empty, still keeping every file already there")
    return parser


NO_CONFIG = "no config file at {}: run digest in a site folder, pass --config, or start a site here with 'digest init'"


def _load(args: argparse.Namespace) -> SiteConfig:
    if not args.config.is_file():
        raise _UsageError(NO_CONFIG.format(args.config))
    return load_config(
        args.config,
        content_dir=getattr(args, "content", None),
        output_dir=getattr(args, "output", None),
        base_url=getattr(args, "base_url", None),
    )


class _UsageError(Exception):
    pass


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def _print_problems(problems: tuple[SourceError, ...] | list[SourceError]) -> None:
    for problem in sorted(problems, key=SourceError.sort_key):
        print(problem, file=sys.stderr)


def _init(args: argparse.Namespace) -> int:
    from .init import answers, init_site, next_steps

    title, base_url = answers(interactive=sys.stdin.isatty() and sys.stdout.isatty())
    result = init_site(args.folder, title=title, base_url=base_url, force=args.force)
    print(next_steps(result, args.folder.as_posix()))
    return EXIT_OK


def _newsletter(args: argparse.Namespace, config: SiteConfig) -> int:
    from .newsletter import NoIssue, newsletter

    options = BuildOptions(drafts=args.drafts, future=args.future, write=False, search=False, cache=False)
    try:
        sys.stdout.write(newsletter(config, args.week, args.text, options))
    except NoIssue as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def _check_new(args: argparse.Namespace) -> None:
    """`digest new` takes a title, or --weekly, never both."""
    if args.weekly is None and args.title is None:
        raise _UsageError("digest new: give the title in quotes, or --weekly for a weekly issue's note")
    if args.weekly is not None and (args.title is not None or args.company or args.tag or args.date):
        what = f"the title {args.title!r}" if args.title is not None else "--company, --tag or --date"
        raise _UsageError(f"digest new --weekly takes a week (e.g. 2025-W42), not {what}")


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":
        return _init(args)
    if args.command == "serve":
        if not args.config.is_file():
            raise _UsageError(NO_CONFIG.format(args.config))
        from .serve import CannotServe, serve

        try:
            return serve(args.config, args.port, drafts=args.drafts, future=args.future, search=not args.no_search,
                         bind=args.bind, open_browser=args.open)
        except CannotServe as exc:
            raise _UsageError(str(exc)) from exc
    if args.command == "new":
        _check_new(args)
    config = _load(args)
    if args.command == "new":
        # Each command imports what it alone uses: `digest build` that finds nothing changed stays quick.
        from .newarticle import write_new_article, write_new_note

        if args.weekly is not None:
            print(write_new_note(config, args.weekly or None))
        else:
            print(write_new_article(config, args.title, args.company, args.tag, args.date))
        return EXIT_OK
    if args.command == "newsletter":
        return _newsletter(args, config)
    checking = args.command == "check"
    signal.signal(signal.SIGTERM, _interrupted)  # a killed build cleans up like an interrupted one
    progress = terminal_progress(sys.stderr)
    try:
        report = build(config, BuildOptions(drafts=args.drafts, strict=args.strict, write=not checking,
                                            future=args.future, search=not getattr(args, "no_search", False),
                                            jobs=args.jobs, cache=not getattr(args, "no_cache", False),
                                            progress=progress or no_progress))
    finally:
        if progress:
            progress.clear()
    _print_problems(report.warnings)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(summary(report, config, checking))
    if args.verbose:
        if report.site is None:
            print("  nothing changed since the last build: the output was left as it was")
        else:
            print(f"  {report.reused} unchanged sources reused from .digest-cache/, "
                  f"{report.rendered} outputs rendered (pages, feeds, sitemaps, data files)")
        print("  time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.stages))
        for document in report.drafts:
            print(f"  left out: {document.source} (draft)")
        for article in report.scheduled:
            print(f"  left out: {article.source} (scheduled for {article.date:%Y-%m-%d %H:%M %z})")
    return EXIT_OK


def summary(report: BuildReport, config: SiteConfig, checking: bool) -> str:
    """One line: what was built, what was left out and why."""
    site = report.counts
    counts = f"{plural(site.articles, 'article')}, {plural(site.companies, 'company', 'companies')}, " \
        f"{plural(site.tags, 'tag')}"
    reasons = []
    if report.drafts:
        reasons.append(plural(len(report.drafts), "draft"))
    if report.scheduled:
        reasons.append(f"{len(report.scheduled)} scheduled for {report.scheduled[0].date:%Y-%m-%d}"
                       + (" and later" if len(report.scheduled) > 1 else ""))
    left_out = f" ({', '.join(reasons)} left out)" if reasons else ""
    if checking:
        verdict = f"{plural(len(report.warnings), 'warning')}" if report.warnings else "no problems"
        return f"checked {counts}{left_out}: {verdict}"
    # A long list of warnings scrolls away: the last line says how many there were.
    warned = f" with {plural(len(report.warnings), 'warning')} (above)" if report.warnings else ""
    return f"built {counts}{left_out} into {config.display(config.output_dir)}/ in {report.seconds:.1f} s{warned}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")  # `python build.py` alone is `digest build`
    args = _parser().parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, so that a closed pipe is noticed below and not at exit
        return code
    except BrokenPipeError:
        # `digest build -v | head`: the reader has gone; end quietly, as the Python docs recommend.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_CONTENT
    except _UsageError as exc:
        print(f"digest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BuildFailed as exc:
        _print_problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        warnings = len(exc.problems) - errors
        summary = plural(errors, "error") + (f", {plural(warnings, 'warning')}" if warnings else "")
        print(f"digest: {summary}; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        print(f"digest: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("digest: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130


def run() -> None:
    """The `digest` command and build.py: `main()`, then an exit that leaves the heap to the operating
    system. Freeing a finished build's objects one by one took 0.15-0.2 s of a 2.2 s build after one edit at
    10,000 articles; the process's memory goes back at once anyway. Exit handlers run and output is
    flushed first. The usual exit stays when a thread is alive, and under a profiler, a tracer (coverage)
    or `python -i`, which do their work after the program ends."""
    code = main()
    if threading.active_count() > 1 or sys.getprofile() is not None or sys.gettrace() is not None \
            or sys.flags.interactive:
        raise SystemExit(code)
    _flush()
    atexit._run_exitfuncs()  # what libraries registered: the same handlers a normal exit runs
    _flush()  # what those handlers printed
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # the reader has gone or the stream is closed (see main): nothing more can be said there
