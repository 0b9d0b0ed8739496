"""The one object that knows about incremental builds; `build()` asks it questions by name.

What it keeps in `.digest-cache/`:
- the parse cache: each source's record, reused while its bytes are the same (`parsecache.py`);
- the last build's record: per output unit, the key it was rendered under and what it read, every file
  written, and a stat fingerprint of every input (`lastbuild.py`);
- work of the site model kept under the key of what it depends on (`remembered()`, `model.pickle`).

What it answers:
- `unchanged(now)`: nothing at all changed since the last build, whose report stands;
- `parsed(path)` / `remember(...)`: a source's record from the cache, or a new one to keep;
- `current(units)`: the units whose files the last build left as rendering would make them again;
- `made(unit, rendered)` / `record(...)`: how a unit was just made, kept for the next build;
- `stale(written)`: files the last build wrote that this one does not.

The preview holds its Tracker between rebuilds (`next_build`): the records stay in memory, the file
watcher says which files changed (so unchanged ones are not even stat-ed), and nothing is written to
`.digest-cache/` until the preview stops (`persist`).
"""

from __future__ import annotations

import dataclasses
import os
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..bodyreads import BodyRead
from ..config import SiteConfig
from . import keys, lastbuild, sealed
from .fingerprints import Fingerprints
from .keys import build_key, environment_key
from .lastbuild import LastBuild, Made
from .parsecache import ParseCache, SourceStamp
from .reads import in_order
from ..writer import MARKER


class Tracker:
    def __init__(self, config: SiteConfig, *, parse_cache: ParseCache | None, last: LastBuild | None,
                 inputs: str, track_outputs: bool, input_dirs: Sequence[Path] = (), settings: Any = None,
                 changes: frozenset[str] | None = None, remembered: dict | None = None, resident: bool = False,
                 frame: str = ""):
        self.config = config
        self.parse_cache = parse_cache
        self.last = last  # None: render everything, write a whole new output folder
        self.inputs = inputs  # '' in a resident preview: computed when it persists
        self.frame = frame  # the same less what articles say ('' when not computed; see input_fingerprints)
        self.articles_now: dict[str, tuple[str, str]] = {}  # source key → fingerprints, as `begin` was told
        self.body_edits: frozenset[str] | None = None  # see begin()
        self.track_outputs = track_outputs
        self.input_dirs, self.settings = tuple(input_dirs), settings
        self.changes = changes  # resident: the files changed since `last`; None: ask the file system
        self.made_now: dict[str, Made] = {}
        self.rendered_now: set[str] = set()  # the ids in made_now rendered by this build, not kept
        self.fingerprints: Fingerprints | None = None
        self.this_build: LastBuild | None = None  # what save() recorded
        self._remembered = remembered  # None until asked for; see remembered()
        self._remembered_keys: frozenset = frozenset(remembered or ())
        self.resident = resident  # a preview's: it goes on from this build's records in memory

    @classmethod
    def open(cls, config: SiteConfig, input_dirs: Sequence[Path], settings: Any, *, parse: bool,
             outputs: bool, resident: bool = False) -> "Tracker":
        """`parse`: reuse parsed records; `outputs`: reuse the last build's output (a build that writes);
        `resident`: for a preview, which states its inputs when it stops (`persist`), so with no last build
        to compare them with, they are not stated now (a stat of every source: 1.4 s at 10,000 articles,
        before the first page can be served)."""
        root = config.root
        parse_cache = ParseCache(root / ".digest-cache", lambda: environment_key(config)) if parse else None
        last = lastbuild.load(root, config.output_dir, config.output_dir / MARKER) if outputs else None
        inputs, frame = _inputs(config, input_dirs, settings) if outputs and not (resident and last is None) \
            else ("", "")
        return cls(config, parse_cache=parse_cache, last=last, inputs=inputs, track_outputs=outputs,
                   input_dirs=input_dirs, settings=settings, resident=resident, frame=frame)

    def next_build(self, config: SiteConfig, changes: Iterable[Path], dirty: Iterable[str] = ()) -> "Tracker":
        """The tracker for the preview's next build, from this one's records in memory: `changes` are the
        files the watcher saw change since this build, `dirty` the ids of outputs written outside a build
        (they render again whatever their key says)."""
        parse_cache = self.parse_cache and ParseCache(self.parse_cache.folder.parent, self.parse_cache.environment,
                                                      dict(self.parse_cache.used))
        last = self.this_build
        if last is not None and last.marker != lastbuild.marker_stat(config.output_dir / MARKER):
            last = None  # the folder was changed behind our back
        if last is not None and dirty:
            last = dataclasses.replace(last, made={k: v for k, v in last.made.items() if k not in set(dirty)})
        tracker = Tracker(config, parse_cache=parse_cache, last=last, inputs="", track_outputs=self.track_outputs,
                          input_dirs=self.input_dirs, settings=self.settings,
                          changes=frozenset(str(p) for p in changes), remembered=self._remembered, resident=True)
        tracker._remembered_keys = self._remembered_keys  # written when the preview stops, if it changed
        return tracker

    def persist(self) -> None:
        """Write what a resident preview kept in memory, so that the next start is warm."""
        if self.parse_cache:
            self.parse_cache.save()
        self._save_remembered()
        if self.this_build is not None:
            inputs, frame = _inputs(self.config, self.input_dirs, self.settings)
            lastbuild.save(self.config.root, dataclasses.replace(
                self.this_build, inputs=inputs, frame=frame,
                folders=lastbuild.folder_times(self.config.output_dir, self.this_build.paths)))

    @classmethod
    def disabled(cls, config: SiteConfig) -> "Tracker":
        return cls(config, parse_cache=None, last=None, inputs="", track_outputs=False)

    # The whole build

    def unchanged(self, now: datetime):
        """The last build's report when every input is as it was, no scheduled article has come due and
        every file it wrote is still there; else None."""
        last = self.last
        if last is None or self.changes is not None or last.inputs != self.inputs or (last.valid_until is not None and now >= last.valid_until):
            return None
        if not lastbuild.folders_as_left(self.config.output_dir, last.folders):
            return None
        # A resident preview goes on from here: the records on disk are this build's.
        self.this_build = last
        if self.parse_cache and self.resident:
            self.parse_cache.used = dict(self.parse_cache.entries)
        return last.report

    # Parsing

    def parsed(self, path: Path):
        return self.parse_cache.lookup(path, self.changes) if self.parse_cache else None

    def remember(self, path: Path, stamp: SourceStamp, record) -> None:
        if self.parse_cache:
            self.parse_cache.store(path, stamp, record)

    def save_parsed(self) -> None:
        if self.parse_cache and self.changes is None:  # a resident preview saves when it stops
            self.parse_cache.save()

    def save_model(self) -> None:
        if self.changes is None:  # a resident preview saves when it stops
            self._save_remembered()

    def notes(self) -> tuple[str, ...]:
        """What the writer should know about the caches: one that was there but could not be trusted."""
        ignored = self.parse_cache.ignored if self.parse_cache else ""
        return (f"ignored .digest-cache/{ignored}; the sources whose records it held were parsed again",) if ignored else ()

    @property
    def reused(self) -> int:
        return self.parse_cache.hits if self.parse_cache else 0

    # The site model

    def remembered(self) -> dict | None:
        """Work of the site model kept from the last build, by the key of what it depends on (the model
        reads it and leaves its own there); None when caches are off, so everything is computed."""
        if self.parse_cache is None:
            return None
        if self._remembered is None:
            try:
                code, remembered = sealed.load(self._model_file)
                if code != keys.code_key() or not isinstance(remembered, dict):
                    remembered = {}
            except (sealed.Unsealed, TypeError, ValueError):
                remembered = {}
            self._remembered, self._remembered_keys = remembered, frozenset(remembered)
        return self._remembered

    def _save_remembered(self) -> None:
        if self._remembered is not None and frozenset(self._remembered) != self._remembered_keys:
            sealed.save(self._model_file, (keys.code_key(), self._remembered))
            self._remembered_keys = frozenset(self._remembered)

    @property
    def _model_file(self) -> Path:
        return self.config.root / ".digest-cache" / "model.pickle"

    # Rendering

    @property
    def in_place(self) -> bool:
        """The output folder is what the last build left: only changed files need writing."""
        return self.last is not None

    def begin(self, site, template_dirs: tuple[Path, ...], articles: Iterable = (), now: datetime | None = None,
              model_read_bodies: bool = True) -> None:
        """Fingerprint this build's site model from now on (rendering asks for keys). `articles`: every
        article of the build (drafts too) as the outputs see them; `model_read_bodies`: whether making the
        site model and planning read an article's body (see `body_edits`)."""
        if not self.track_outputs:
            return
        self.fingerprints = Fingerprints(site, build_key(self.config, template_dirs))
        self.articles_now = {a.source_key: (a.fingerprint, a.body_fingerprint) for a in articles}
        slugs = {a.source_key: a.slug for a in articles}
        self.body_edits = self._body_edits(slugs, now, model_read_bodies)

    def _body_edits(self, slugs: dict[str, str], now: datetime | None, model_read_bodies: bool) -> frozenset[str] | None:
        """The slugs of the articles whose body alone changed since the last build, when nothing else did:
        the same files but for what articles say (the frame), the same code, templates and config, no
        scheduled article come due, every article's other fields as they were, and a site model and plan
        that read no body. Then an output that read none of those bodies is as the last build made it,
        and is not keyed again (27,000 keys were 2-3 s of a one-edit build at 10,000 articles). None
        otherwise: every output is keyed."""
        last = self.last
        if last is None or model_read_bodies or not self._same_frame() or last.build_key != self.fingerprints.build_key \
                or (last.valid_until is not None and (now is None or now >= last.valid_until)):
            return None
        before = last.articles
        if len(before) != len(self.articles_now):
            return None
        edited = set()
        for key, (head, body) in self.articles_now.items():
            was = before.get(key)
            if was is None or was[0] != head:
                return None
            if was[1] != body:
                edited.add(slugs[key])
        return frozenset(edited)

    def _same_frame(self) -> bool:
        """Every input but what articles say is as the last build had it: by the frames, or in a resident
        preview by the watcher's list (every file changed is an article's Markdown; one added, removed or
        renamed shows in the articles compared after)."""
        if self.changes is None:
            return bool(self.frame) and self.last.frame == self.frame
        articles = os.path.join(os.path.abspath(self.config.content_dir / "articles"), "")
        return all(os.path.abspath(path).startswith(articles) and path.endswith(".md") for path in self.changes)

    def current(self, units: Iterable, from_bodies: frozenset[str] = frozenset()) -> set[str]:
        """Ids of the units the last build made under the key they have now, with all their files there.
        After a body edit alone (`body_edits`), a unit that read none of the edited bodies has its old key
        without keying it again, unless it is `from_bodies` (planned from bodies: see `Plan.from_bodies`)."""
        if self.last is None or self.fingerprints is None:
            return set()
        edited = self.body_edits
        # Every folder as the last build left it says each of its files is there, with a stat per folder
        # (15,000 at 10,000 articles) instead of one per file (27,000); otherwise each file is looked for.
        left_alone = lastbuild.folders_as_left(self.config.output_dir, self.last.folders)
        current = set()
        for unit in units:
            before = self.last.made.get(unit.id)
            if before is None or before.files != unit.paths:
                continue
            if edited is not None and unit.id not in from_bodies:
                same = not any(type(read) is BodyRead and read.slug in edited for read in before.reads)
            else:
                same = before.key == self.fingerprints.key(unit.identity(), before.reads, unit.context)
            if same and (left_alone or all(map(os.path.isfile, _in_output(self.config, unit.paths)))):
                current.add(unit.id)
                self.made_now[unit.id] = before
        return current

    def made(self, unit, rendered) -> Made | None:
        """How a unit was just made (its key, reads and files); computed where it was rendered."""
        if not self.track_outputs or self.fingerprints is None:
            return None
        reads = in_order(rendered.reads)
        return Made(self.fingerprints.key(unit.identity(), reads, unit.context), reads,
                    tuple(f.path for f in rendered.files))

    def record(self, unit_id: str, made: Made | None) -> None:
        if made is not None:
            self.made_now[unit_id] = made
            self.rendered_now.add(unit_id)

    def kept_files(self, current: set[str]) -> list[str]:
        """The files of units that were not rendered again."""
        return [path for unit_id in sorted(current) for path in self.made_now[unit_id].files]

    def stale(self, written: frozenset[str]) -> frozenset[str]:
        return self.last.paths - written if self.last else frozenset()

    def save(self, report, written: frozenset[str], valid_until: datetime | None) -> None:
        """Keep this build's record, tied to the marker the writer just left in the output folder."""
        if not self.track_outputs:
            return
        marker = lastbuild.marker_stat(self.config.output_dir / MARKER)
        if marker is None:
            return
        self.this_build = LastBuild(os.path.abspath(self.config.output_dir), marker,
                                    _shared_reads(self.made_now, self.rendered_now), written,
                                    lastbuild.folder_times(self.config.output_dir, written), self.inputs,
                                    valid_until, report, self.frame,
                                    self.fingerprints.build_key if self.fingerprints else "", self.articles_now)
        if self.changes is None:  # a resident preview keeps it in memory until it stops
            lastbuild.save(self.config.root, self.this_build)


def _in_output(config: SiteConfig, paths: Iterable[str]) -> list[str]:
    """The output files at `paths`, joined as strings: a Path per file was half the time of a build that
    finds nothing changed (28,000 files at 10,000 articles)."""
    folder = os.path.join(str(config.output_dir), "")
    return [folder + path for path in paths]


def _inputs(config: SiteConfig, input_dirs: Sequence[Path], settings: Any) -> tuple[str, str]:
    """The stat fingerprint of every input, and the frame (see `lastbuild.input_fingerprints`)."""
    # The catalogs are among `input_dirs`: the word the environment key translates is in their stats.
    return lastbuild.input_fingerprints((config.content_dir, *input_dirs), (config.config_file,),
                                        (environment_key(config, translated=False), repr(config), settings),
                                        articles=config.content_dir / "articles")



def _shared_reads(made: dict[str, Made], rendered: set[str]) -> dict[str, Made]:
    """The records with each distinct read one object: pickle then writes it once and loads it once (at
    10k articles, 47,000 distinct reads among 321,000; loading the record took 0.7 s). Records kept from
    the last build share theirs already (they were loaded so); only the ones rendered now are made to."""
    shared: dict = {}
    return {unit_id: Made(m.key, tuple([shared.setdefault(r, r) for r in m.reads]), m.files)
            if unit_id in rendered else m for unit_id, m in made.items()}
