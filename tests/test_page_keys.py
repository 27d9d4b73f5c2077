"""Pages taken from the live site, unrendered, by `serve`'s builds (page_keys):
only where nothing they are made from changed, so that every build's output
is the fresh build's, byte for byte."""

from __future__ import annotations

import contextlib
import datetime
import os
import time
from pathlib import Path

import jinja2
import pytest
from conftest import AS_OF, ROOT, build_as_staff, committee_file, replace_in, tree_digest
from disclosure import page_keys
from disclosure.cli import commands, staging
from disclosure.core.memo import ByIdentity
from disclosure.core.problems import RecordsInvalid
from disclosure.events.views import CollectionLink, EventsSummary, EventUrls, MonthGroup
from disclosure.paging import Page, PageLink
from pelican import signals


def build(content: Path, output: Path, *, keep_pages: bool = True, **extra):
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "DISCLOSURE_AS_OF": AS_OF,
        **extra,
    }
    return commands.build_site(ROOT / "pelicanconf.py", overrides=overrides, keep_pages=keep_pages)


@pytest.fixture
def taken(monkeypatch) -> list[list[str]]:
    """The paths each build took from the live site, build by build."""
    builds: list[list[str]] = []
    real = page_keys.PageKeys.take

    def take(self, keys, written_later):
        found = real(self, keys, written_later)
        builds.append(
            sorted(Path(p).relative_to(self.output).as_posix() for v in found.values() for p in v)
        )
        return found

    monkeypatch.setattr(page_keys.PageKeys, "take", take)
    return builds


@contextlib.contextmanager
def keying(staged: Path, live: Path):
    """The page keys of a build into `staged` that goes live at `live`, as
    `serve`'s builds are keyed; dropped when the block ends."""
    page_keys.begin(staged, live)
    try:
        yield page_keys.PageKeys(staged)
    finally:
        page_keys.dropped(staged)


def fresh(content: Path, tmp_path: Path, name: str, **extra) -> dict[str, str]:
    output = tmp_path / name
    build(content, output, keep_pages=False, **extra)
    return tree_digest(output)


def test_a_build_after_a_build_takes_every_page_that_reads_no_growing_value(
    content, tmp_path, taken
):
    output = tmp_path / "output"
    build(content, output)
    build(content, output)
    assert taken[0] == []  # nothing was live
    second = set(taken[1])
    assert "committees/rihui-liucun/index.html" in second
    assert "elder/committees/rihui-liucun/index.html" in second
    assert any(name.startswith("events/") for name in second)
    # a listing's pages read a few counts and links, and their own items
    assert "committees/index.html" in second
    assert "events/index.html" in second
    assert "disclosure/complete/index.html" in second
    # the pages that read a listing or the report whole are made every time
    assert "index.html" not in second
    assert "disclosure/index.html" not in second
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_an_edit_makes_its_own_page_again_and_nothing_is_stale(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-20:30")
    build(content, output)
    assert "committees/rihui-liucun/index.html" not in taken[1]
    assert "committees/haizhu-gongyu/index.html" in taken[1]
    assert "20:30" in (output / "committees/rihui-liucun/index.html").read_text("utf-8")
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


@pytest.mark.parametrize("builds_before", [1, 2])  # made, or taken, by the build before
def test_a_live_page_changed_by_hand_is_made_again(content, tmp_path, taken, builds_before):
    output = tmp_path / "output"
    for _ in range(builds_before):
        build(content, output)
    page = output / "committees/haizhu-gongyu/index.html"
    text = page.read_text("utf-8")
    page.write_text(text.replace("</h1>", "</h1><p>手工改过</p>", 1), "utf-8")
    build(content, output)
    assert "committees/haizhu-gongyu/index.html" not in taken[builds_before]
    assert page.read_text("utf-8") == text


def test_a_live_page_made_a_symlink_by_hand_is_made_again_as_a_file(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    name = "committees/haizhu-gongyu/index.html"
    page = output / name
    moved = page.with_name("index.orig.html")  # the live file itself, under another name
    page.rename(moved)
    page.symlink_to(moved.name)
    build(content, output)
    assert name not in taken[1]
    assert not page.is_symlink() and not moved.exists()  # a stray, removed
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_template_edit_makes_its_pages_again(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    templates = tmp_path / "templates"
    templates.mkdir()
    source = (ROOT / "theme/templates/event.html").read_text("utf-8")
    assert source.count("{% block content %}") == 1
    (templates / "event.html").write_text(
        source.replace("{% block content %}", "{% block content %}<p>模板改过</p>"), "utf-8"
    )
    extra = {"THEME_TEMPLATES_OVERRIDES": [str(templates)]}
    build(content, output, **extra)
    assert not [name for name in taken[1] if name.startswith(("events/20", "elder/events/20"))]
    assert "committees/rihui-liucun/index.html" in taken[1]
    event_pages = list(output.glob("events/20*/*/index.html"))
    assert event_pages and all("模板改过" in p.read_text("utf-8") for p in event_pages)
    assert tree_digest(output) == fresh(content, tmp_path, "fresh", **extra)


def test_a_build_without_keep_pages_or_for_the_public_takes_nothing(
    content, tmp_path, taken, monkeypatch
):
    output = tmp_path / "output"
    build(content, output)
    build(content, output, keep_pages=False)
    assert taken == [[], []]
    monkeypatch.setenv("SITE_URL", "https://xxgk.rihui.test.cn/jiedao/rihui/")
    public = {"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_DEMONSTRATION": True}
    for _ in range(2):
        commands.build_site(ROOT / "publishconf.py", overrides=public, keep_pages=True)
    assert len(taken) == 4 and not any(taken)


def test_a_page_made_into_another_output_is_not_taken(content, tmp_path, taken):
    build(content, tmp_path / "one")
    build(content, tmp_path / "two")
    assert taken[1] == []


def test_a_failed_build_keeps_what_the_live_site_holds(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: [18:00-20:00")
    with pytest.raises(RecordsInvalid):
        build(content, output)
    replace_in(committee_file(content), "hours: [18:00-20:00", "hours: 18:00-20:00")
    build(content, output)
    assert "committees/rihui-liucun/index.html" in taken[-1]
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_value_without_pickling_leaves_its_call_unkeyed(tmp_path):
    with keying(tmp_path / "staged", tmp_path / "live") as keys:
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ x }}{{ y }}"}))
        template = env.get_template("t.html")
        call = (("t.html", template, {"y": 1}, False, None, None), {"x": lambda: 1})
        assert keys.key(call) is None
        call = (("t.html", template, {"y": 1}, False, None, None), {"x": 2})
        other = (("t.html", template, {"y": 2}, False, None, None), {"x": 2})
        assert keys.key(call) is not None and keys.key(call) != keys.key(other)


def test_taken_pages_are_not_written_and_the_build_reads_the_live_files(
    content, tmp_path, monkeypatch
):
    output = tmp_path / "output"
    build(content, output)
    page = "committees/haizhu-gongyu/index.html"
    before = (output / page).stat()
    seen = {}
    real = staging.lay_over

    def spy(staged, final, names):
        seen["staged"] = (staged / page).exists()
        seen["listed"] = page in names
        return real(staged, final, names)

    monkeypatch.setattr(staging, "lay_over", spy)
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    build(content, output)
    assert seen == {"staged": False, "listed": True}
    after = (output / page).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


@pytest.mark.parametrize("folder", [".", "./", "theme/..", ""])
def test_a_static_file_copied_over_a_page_never_writes_into_the_live_site(
    content, tmp_path, folder
):
    # theme files copied to the site's root (THEME_STATIC_DIR "." however
    # written), one of them at the 404 page's path: copied over the page
    # after the pages are made
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "404.html").write_text("<p>找不到页面</p>\n", "utf-8")
    settings = {
        "THEME_STATIC_DIR": folder,
        "THEME_STATIC_PATHS": ["static", str(extra / "404.html")],
    }
    output = tmp_path / "output"
    build(content, output, **settings)
    live = tree_digest(output)
    # an unpublished number (xietu-xincun's mobile, shown masked on its page)
    (extra / "404.html").write_text("<p>请拨打 13791837783</p>\n", "utf-8")
    with pytest.raises(RecordsInvalid) as failed:
        build(content, output, **settings)
    assert [p.code for p in failed.value.problems] == ["E790"]
    assert tree_digest(output) == live


def build_while_a_plugin_writes_into(
    name: str, data: bytes, content: Path, output: Path
) -> RecordsInvalid:
    """A build during which another plugin appends `data` to the file at
    `name` once everything is written (where a file taken from the live site
    would be, and is not: appended to nothing): what the build raised."""

    def write_through(pelican) -> None:
        (Path(pelican.output_path) / name).parent.mkdir(parents=True, exist_ok=True)
        with open(Path(pelican.output_path) / name, "ab") as file:
            file.write(data)

    signals.finalized.connect(write_through)
    try:
        with pytest.raises(RecordsInvalid) as failed:
            build(content, output)
    finally:
        signals.finalized.disconnect(write_through)
    return failed.value


def test_a_file_written_into_a_taken_page_fails_the_build(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    page = "committees/haizhu-gongyu/index.html"
    live = (output / page).read_bytes()
    failed = build_while_a_plugin_writes_into(page, "<!-- 另一个插件 -->".encode(), content, output)
    assert (output / page).read_bytes() == live
    assert [str(p) for p in failed.problems] == [
        f"output/{page}:1:1: E792 生成时有两个文件写到了这个地址，output/ 中的这个文件保持原样；"
        "请检查设置里是否有文件生成到同一个地址（例如 THEME_STATIC_DIR），改正后重新生成"
    ]
    build(content, output)  # the next build makes the page again
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_file_written_where_a_taken_pages_folder_is_fails_the_build(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    folder = "elder/committees/haizhu-gongyu"  # its page is taken: the folder is not in the build
    failed = build_while_a_plugin_writes_into(folder, b"x", content, output)
    assert [p.code for p in failed.problems] == ["E792"]
    assert [p.position.path for p in failed.problems] == [f"output/{folder}"]
    assert (output / folder / "index.html").is_file()
    build(content, output)
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_template_saved_while_its_pages_are_keyed_is_made_again_after(
    content, tmp_path, monkeypatch
):
    templates = tmp_path / "templates"
    templates.mkdir()
    source = (ROOT / "theme/templates/event.html").read_text("utf-8")
    (templates / "event.html").write_text(source, "utf-8")
    extra = {"THEME_TEMPLATES_OVERRIDES": [str(templates)]}
    output = tmp_path / "output"
    build(content, output, **extra)
    real = page_keys.PageKeys.keys

    def saved_meanwhile(self, calls, workers):
        # staff save the template after the build compiled it, before its pages are keyed
        edited = source.replace("{% block content %}", "{% block content %}<p>模板改过</p>")
        (templates / "event.html").write_text(edited, "utf-8")
        os.utime(templates / "event.html", ns=(1, time.time_ns() + 10**9))
        return real(self, calls, workers)

    monkeypatch.setattr(page_keys.PageKeys, "keys", saved_meanwhile)
    build(content, output, **extra)
    monkeypatch.setattr(page_keys.PageKeys, "keys", real)
    build(content, output, **extra)
    assert tree_digest(output) == fresh(content, tmp_path, "fresh", **extra)


def test_how_jinja_is_set_up_is_part_of_every_key(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    setup = {"JINJA_ENVIRONMENT": {"trim_blocks": False, "lstrip_blocks": False}}
    build(content, output, **setup)
    assert taken[1] == []
    build(content, output, **setup)
    assert "committees/rihui-liucun/index.html" in taken[2]
    assert tree_digest(output) == fresh(content, tmp_path, "fresh", **setup)


class Label:
    def __init__(self, text: str) -> None:
        self.text = text

    def get(self) -> str:
        return self.text


def tagged(context, value: str) -> str:
    return f"{value} [{context.get('MY_TAG')}]"


@pytest.mark.parametrize(
    "own",
    [
        pytest.param(lambda: {"JINJA_GLOBALS": {"label": Label("AAA").get}}, id="a bound method"),
        pytest.param(lambda: {"JINJA_FILTERS": {"shout": lambda text: f"{text}!"}}, id="a lambda"),
        pytest.param(
            lambda: {"JINJA_FILTERS": {"tagged": jinja2.pass_context(tagged)}, "MY_TAG": "A"},
            id="a filter that reads the context",
        ),
    ],
)
def test_a_site_with_filters_or_globals_of_its_own_has_every_page_made(
    content, tmp_path, taken, own
):
    # they may read anything (an object's state, a setting through a helper,
    # the clock, the context behind jinja2.meta's back): nothing is keyed
    output = tmp_path / "output"
    build(content, output, **own())
    build(content, output, **own())
    assert taken == [[], []]


def test_a_live_page_whose_mode_changed_is_made_again(content, tmp_path, taken):
    output = tmp_path / "output"
    build(content, output)
    page = output / "committees/haizhu-gongyu/index.html"
    mode = page.stat().st_mode
    page.chmod(0o600)
    build(content, output)
    assert "committees/haizhu-gongyu/index.html" not in taken[1]
    assert page.stat().st_mode == mode


@pytest.mark.parametrize("folder", ["../outside", "/", "theme/../.."])
def test_a_theme_static_folder_outside_the_site_is_refused(content, tmp_path, folder):
    # Pelican copies the theme's files to OUTPUT_PATH/THEME_STATIC_DIR as written
    status, said = build_as_staff(content, tmp_path / "output", THEME_STATIC_DIR=folder)
    assert status == 1
    assert (
        f'S018 设置 THEME_STATIC_DIR 应为网站里的一个文件夹，例如 "theme"，实际为 {folder!r}：'
        "主题的样式和脚本会被复制到网站以外的地方"
    ) in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_call_given_kept_objects_is_keyed_as_every_core_keys_it(tmp_path):
    """The second build keys a call given the objects the first build's call
    was given (core.memo keeps a committee's view), or a new list of them,
    without pickling them again: its key must be the one a worker makes."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ view }}{{ coming }}"}))
    template = env.get_template("t.html")
    view = EventUrls("events/", "a/", "a/{year}/", "e/{year}/{slug}/", "s/{slug}/", "c/{slug}/")
    occurrence = ("2026-12-01", "重阳")
    keyed = []
    for number in range(3):
        staged = tmp_path / f"staged{number}"
        with keying(staged, tmp_path / "live") as keys:
            call = (("t.html", template, {}, False, None, None), {"view": view})
            with_list = (
                ("u.html", template, {}, False, None, None),
                {"view": view, "coming": [occurrence, view]},
            )
            keyed.append(keys.keys([call, with_list], workers=1))
            # a view's digest is kept; a tuple anyone might have built again is not
            assert page_keys._GIVEN.find((view,), ()) is not None
            assert page_keys._GIVEN.find((occurrence,), ()) is None
            # as a worker keys them: every value digested afresh
            assert keyed[-1] == [page_keys.PageKeys(staged).key(c) for c in (call, with_list)]
    assert keyed[0] == keyed[1] == keyed[2]
    assert None not in keyed[0] and keyed[0][0] != keyed[0][1]


def test_calendars_the_save_left_as_they_were_are_the_live_files(content, tmp_path, monkeypatch):
    output = tmp_path / "output"
    build(content, output)
    event = next((content / "data" / "events").rglob("*.yaml"))
    changed = f"events/{event.parent.name}/{event.stem}.ics"
    assert (output / changed).is_file()
    calendars = {p.relative_to(output).as_posix(): p.stat().st_ino for p in output.rglob("*.ics")}
    written = set()
    real = staging.lay_over

    def spy(staged, final, names):
        written.update(p.relative_to(staged).as_posix() for p in staged.rglob("*.ics"))
        return real(staged, final, names)

    monkeypatch.setattr(staging, "lay_over", spy)
    text = event.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    event.write_text(text.replace(title, title + "（改）", 1), "utf-8")
    build(content, output)
    # its own calendar, the whole subdistrict's and its series' are made again
    assert {changed, "events/events.ics"} <= written and len(written) <= 3 < len(calendars)
    assert "（改）" in (output / changed).read_text("utf-8")
    kept = {name for name, inode in calendars.items() if (output / name).stat().st_ino == inode}
    assert kept == calendars.keys() - written
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_calendar_made_before_from_the_same_bytes_is_not_read_again(
    content, tmp_path, monkeypatch
):
    """A save that changes no event reads no calendar: each is the live file
    the last build made or took for the same bytes. One changed by hand since
    (even to the same size) is read, and made again."""
    output = tmp_path / "output"
    read = []
    real = page_keys.same_as_live

    def reading(live, name, data):
        read.append(name)
        return real(live, name, data)

    monkeypatch.setattr(page_keys, "same_as_live", reading)
    build(content, output)
    build(content, output)
    calendars = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.ics"))
    assert read == [] and len(calendars) > 3
    replace_in(committee_file(content), "      hours: 18:00-20:00", "      hours: 18:00-20:30")
    build(content, output)
    assert read == []
    hand = output / calendars[0]
    before = hand.read_bytes()
    hand.write_bytes(before.replace(b"BEGIN:VEVENT", b"BEGIN:VEVENX"))
    build(content, output)
    assert read == [calendars[0]] and hand.read_bytes() == before
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_save_in_serve_after_a_build_reads_only_what_it_changed(content, tmp_path, monkeypatch):
    """`serve` after `build`: its first build writes the site again, and each
    live file, of the same bytes, stays in place (no mtime changes). What that
    build found of the files it wrote (clean of numbers, read for search)
    counts for the live files, so that the next save reads only the files it
    changed, not the whole site again."""
    from disclosure import output_scan
    from disclosure.search import pages as search_pages

    output = tmp_path / "output"
    build(content, output, keep_pages=False)  # `build`
    before = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    build(content, output)  # `serve`'s first build
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == before
    scanned, searched = [], []
    for module, into in ((output_scan, scanned), (search_pages, searched)):
        real = module.map_forked
        monkeypatch.setattr(
            module,
            "map_forked",
            lambda function, items, *rest, real=real, into=into, **options: (
                into.extend(items) or real(function, items, *rest, **options)
            ),
        )
    calendars = []
    real_same = page_keys.same_as_live
    monkeypatch.setattr(
        page_keys, "same_as_live", lambda *args: calendars.append(args[1]) or real_same(*args)
    )
    replace_in(committee_file(content), "      hours: 18:00-20:00", "      hours: 18:00-20:30")
    build(content, output)
    # what a save rewrites whole (open data, schemas, the theme's files) and
    # the pages the edit changed; no calendar (no event changed)
    assert 0 < len(searched) <= 20 and 0 < len(scanned) < len(before) / 3
    assert calendars == []
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_calendar_another_writer_wrote_over_is_made_again_once_it_stops(content, tmp_path):
    """A calendar another plugin wrote over went live as that plugin left it:
    once the plugin is gone, the next build makes the calendar again, as a
    fresh build does, rather than take the live file for the bytes it made."""
    output = tmp_path / "output"
    name = "events/events.ics"

    def write_over(pelican) -> None:
        with open(Path(pelican.output_path) / name, "ab") as file:
            file.write(b"X-WRITTEN-OVER:1\r\n")

    signals.finalized.connect(write_over)
    try:
        build(content, output)  # staged whole: nothing taken, nothing to clash with
    finally:
        signals.finalized.disconnect(write_over)
    assert (output / name).read_bytes().endswith(b"X-WRITTEN-OVER:1\r\n")
    build(content, output)
    assert b"X-WRITTEN-OVER" not in (output / name).read_bytes()
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_calendar_taken_from_the_live_site_and_written_over_fails_the_build(content, tmp_path):
    output = tmp_path / "output"
    build(content, output)
    calendar = next(p for p in output.rglob("*.ics") if p.name != "all.ics")
    name = calendar.relative_to(output).as_posix()
    live = calendar.read_bytes()
    failed = build_while_a_plugin_writes_into(name, b"X-WRITTEN-THROUGH:1\r\n", content, output)
    assert [p.code for p in failed.problems] == ["E792"]
    assert (output / name).read_bytes() == live
    build(content, output)  # the next build makes it again
    assert tree_digest(output) == fresh(content, tmp_path, "fresh")


def test_a_new_page_of_kept_views_is_keyed_here_by_what_a_worker_sent_back(tmp_path, monkeypatch):
    """A listing's page and the groups it holds are new objects in every
    build; the views in them are not (core.memo). The first build keys the
    call on the workers, which send back the digests of every read-only
    object in it, the nested ones too; the next build keys a new page of the
    same views here, without a worker, to the key a worker makes."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ listing }}"}))
    template = env.get_template("t.html")
    held = [CollectionLink(f"系列{n}", f"events/series/s{n}/") for n in range(3)]

    def page() -> Page:
        # views inside a view, as a listing's month groups hold occurrences
        summary = EventsSummary(datetime.date(2026, 11, 26), 1, 2, tuple(held), ())
        return Page(1, "x/", [summary], (PageLink(1, "x/", "第一页"),))

    forked = []
    real = page_keys.map_forked

    def recording(function, items, workers, **options):
        if function.__name__ == "_key_and_digests" and items:
            forked.append(len(items))
        return real(function, items, workers, **options)

    monkeypatch.setattr(page_keys, "map_forked", recording)
    monkeypatch.setattr(page_keys, "_GIVEN", ByIdentity())  # as in a new process
    keyed = []
    for number in range(2):
        staged = tmp_path / f"staged{number}"
        with keying(staged, tmp_path / "live") as keys:
            calls = [
                ((name, template, {}, False, None, None), {"listing": page()})
                for name in ("x/index.html", "y/index.html")
            ]
            keyed.append(keys.keys(calls, workers=2))
            # as a worker keys them
            assert keyed[-1] == [page_keys.PageKeys(staged).key(call) for call in calls]
            # sent back from the workers of the first build, kept here
            assert all(page_keys._GIVEN.find((view,), ()) is not None for view in held)
    assert forked == [2]  # the second build's calls were keyed here
    assert keyed[0] == keyed[1] and None not in keyed[0]


def test_a_call_given_a_value_that_holds_itself_is_made_not_keyed(tmp_path):
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ group.year }}"}))
    group = MonthGroup(2026, 11, [])
    group.items.append(group)  # a list in a read-only view, filled in after
    with keying(tmp_path / "staged", tmp_path / "live") as keys:
        call = (("t.html", env.get_template("t.html"), {}, False, None, None), {"group": group})
        assert keys.keys([call, call], workers=1) == [None, None]


def test_a_kept_view_that_comes_to_hold_itself_fails_no_worker(tmp_path, monkeypatch):
    """Its digest kept by the first build, the second build's key is found
    without walking into it; sending back what it holds must not recurse."""
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ group.year }}"}))
    template = env.get_template("t.html")
    monkeypatch.setattr(page_keys, "_GIVEN", ByIdentity())
    group = MonthGroup(2026, 11, [])
    keyed = []
    for number in range(2):
        with keying(tmp_path / f"staged{number}", tmp_path / "live") as keys:
            call = (("t.html", template, {}, False, None, None), {"group": group})
            keyed.append(keys._key_and_digests(call)[0])
        group.items.append(group.items)  # a list that holds itself, after its digest was kept
    assert len(keyed) == 2 and keyed[0] is not None  # and no RecursionError


def test_a_build_that_keeps_pages_counts_them_as_a_build_for_the_public(content, tmp_path):
    """What a build says it made (居委会 and 活动 pages), counted from its
    own files, is what is in the output folder."""
    public = build(content, tmp_path / "public", keep_pages=False)
    output = tmp_path / "output"
    first, second = build(content, output), build(content, output)
    assert (first.committees, first.events) == (second.committees, second.events)
    assert (first.committees, first.events) == (public.committees, public.events)
    assert first.committees == len(list((output / "committees").glob("*/index.html"))) > 3
    assert first.events == len(list((output / "events").glob("[0-9]*/*/index.html"))) > 3
