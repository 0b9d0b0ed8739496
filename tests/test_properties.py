"""Properties over generated input: whatever a writer types, the build fails cleanly or succeeds, and it
never writes outside its output, never loses the previous output, and `new` never overwrites."""

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.config import load_config
from digest.content import ARTICLE_FIELDS, EVENT_FIELDS
from digest.errors import BuildFailed
from digest.newarticle import write_new_article
from digest.pipeline import BuildOptions, build

# CI runs thousands of examples; a developer's quick run fewer.
SCALE = 1 if os.environ.get("CI") else 0.2
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.dates().map(date.isoformat), st.sampled_from(["2025-13-02", "2025-02-30", "yesterday",
                                                                            "2025-10-14T09:30:00+02:00", "../x"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(EVENT_FIELDS + ("title", "url", "note")), st.text(max_size=8)),
                    inner, max_size=4)), max_leaves=12)
front_matter = st.dictionaries(st.one_of(st.sampled_from(ARTICLE_FIELDS), st.text(max_size=10)), values, max_size=8)
raw_front_matter = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
file_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
                     min_size=1, max_size=60).filter(lambda n: n.strip(". ") and len(n.encode()) < 200)

GOOD = "---\ntitle: Good\ndate: 2025-01-01\ncompanies: [Acme]\ntags: [x]\n---\nBody.\n"


class Site:
    """One small site on disk, reused across examples: a good article and one under test."""

    def __init__(self, folder: Path):
        self.root = folder
        (folder / "content/articles").mkdir(parents=True)
        (folder / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n")
        (folder / "content/articles/good.md").write_text(GOOD)
        self.config = load_config(folder / "site.yaml")
        build(self.config, BuildOptions())
        self.good_output = self.snapshot(folder / "public")

    @staticmethod
    def snapshot(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def sources(self) -> dict[str, bytes]:
        return {k: v for k, v in self.snapshot(self.root).items() if not k.startswith(("public/", ".digest-cache/"))}

    def try_article(self, name: str, data: bytes) -> None:
        """Build with one more article; assert the properties that hold whatever it says."""
        path = self.root / "content/articles" / name
        path.write_bytes(data)
        before = self.sources()
        try:
            build(self.config, BuildOptions())
            succeeded = True
        except BuildFailed as failure:
            succeeded = False
            assert failure.problems, "a failed build says why"
            for problem in failure.problems:
                assert problem.message and "Traceback" not in problem.message
        finally:
            path.unlink()
        assert {k: v for k, v in before.items()} == {**self.sources(), f"content/articles/{name}": data}
        assert sorted(p.name for p in self.root.iterdir()) == [".digest-cache", "content", "public", "site.yaml"]
        if not succeeded:
            assert self.snapshot(self.root / "public") == self.good_output
        else:
            build(self.config, BuildOptions())  # back to the good site for the next example
            self.good_output = self.snapshot(self.root / "public")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    return Site(tmp_path_factory.mktemp("property-site"))


@settings(PROPERTY, max_examples=int(1500 * SCALE))
@given(front_matter)
def test_any_front_matter_builds_or_fails_cleanly(small_site, meta):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nBody text.\n"
    small_site.try_article("generated.md", text.encode())


@settings(PROPERTY, max_examples=int(1000 * SCALE))
@given(raw_front_matter, st.text(max_size=100))
def test_any_text_between_the_dashes_builds_or_fails_cleanly(small_site, raw, body):
    small_site.try_article("raw.md", f"---\n{raw}\n---\n{body}".encode("utf-8", "surrogatepass"))


@settings(PROPERTY, max_examples=int(500 * SCALE))
@given(st.binary(max_size=200))
def test_any_bytes_build_or_fail_cleanly(small_site, data):
    small_site.try_article("bytes.md", data)


@settings(PROPERTY, max_examples=int(150 * SCALE))
@given(file_names)
def test_any_file_name_builds_or_fails_cleanly(small_site, name):
    small_site.try_article(name + ".md", b"---\ntitle: Named\ndate: 2025-02-02\n---\nBody.\n")


@settings(PROPERTY, max_examples=int(300 * SCALE))
@given(st.text(min_size=1, max_size=80), st.lists(st.text(max_size=20), max_size=3))
def test_new_never_overwrites(tmp_path_factory, title, companies):
    root = tmp_path_factory.mktemp("new")
    (root / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n")
    config = load_config(root / "site.yaml")
    try:
        written = write_new_article(config, title, companies, [], "2025-05-05")
    except BuildFailed:
        return  # a title with nothing to make a slug from is refused, and nothing is written
    path = root / written if not Path(written).is_absolute() else Path(written)
    if not path.exists():
        path = Path(os.getcwd()) / written
    original = path.read_bytes()
    with pytest.raises(BuildFailed):
        write_new_article(config, title, ["other"], ["other"], "2025-05-05")
    assert path.read_bytes() == original
    build(config, BuildOptions(drafts=True, write=False))  # what `new` writes is valid content
    shutil.rmtree(root)


@settings(PROPERTY, max_examples=int(100 * SCALE) or 5)
@given(st.lists(front_matter, min_size=1, max_size=3))
def test_two_builds_of_the_same_input_are_identical(meta_list):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content/articles").mkdir(parents=True)
        (root / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n")
        for i, meta in enumerate(meta_list):
            text = "---\n" + yaml.safe_dump({"title": f"A{i}", "date": "2025-01-01", **meta}) + "---\nBody.\n"
            (root / f"content/articles/a{i}.md").write_text(text)
        outputs = []
        for name in ("one", "two"):
            config = load_config(root / "site.yaml", output_dir=root / name)
            try:
                build(config, BuildOptions())
            except BuildFailed:
                return
            outputs.append(Site.snapshot(root / name))
        assert outputs[0] == outputs[1]


def test_interrupted_build_leaves_previous_output_and_no_leftovers(small_site, monkeypatch):
    from digest.files import RenderedFile
    from sitetools import write_tree

    calls = {"n": 0}
    real_write = Path.write_bytes

    def interrupted(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_tree([RenderedFile(f"p{i}.html", b"x") for i in range(5)], small_site.root / "public")
    monkeypatch.undo()
    assert Site.snapshot(small_site.root / "public") == small_site.good_output
    assert sorted(p.name for p in small_site.root.iterdir()) == [".digest-cache", "content", "public", "site.yaml"]
