"""What `invoke validate` and `invoke build` do, callable from tests too.

A build is made in a fresh folder beside output/ and swapped in only when it
succeeded, so a failed build or check never leaves output/ half-written or
emptied: it keeps exactly what it had. Files a build did not change keep
their mtime (`staging`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO

from pelican import Pelican
from pelican.log import console as pelican_console
from pelican.settings import read_settings

from .. import page_keys
from ..completeness.report import DisclosureIncomplete, grouped_lines
from ..core import collector, memo, phases, tree
from ..core.phases import phase
from ..core.problems import Position, Problem, RecordsInvalid, Severity, report_lines
from ..pipeline import check, refusal
from ..settings import SettingsInvalid, kept_between_processes, settings_problems
from ..settings import as_of as settings_as_of
from ..signals import report_ready
from . import staging

# the exit status of a process Ctrl+C stopped (128 + SIGINT), as shells give it
INTERRUPTED = 130


@dataclass
class BuildResult:
    output: Path
    seconds: float
    committees: int
    events: int
    # what the build changed in the site it replaced; None when there was none
    changes: staging.Changes | None = None


# the pages counted in what a build says it made
_COMMITTEE_PAGE = re.compile(r"committees/[^./][^/]*/index\.html")
_EVENT_PAGE = re.compile(r"events/[0-9]{4}/[^./][^/]*/index\.html")


def validate(
    content: Path,
    *,
    as_of: date,
    out: TextIO = sys.stdout,
    refused: list[str] | None = None,
    settings: dict | None = None,
) -> int:
    """Check every record, every content page and the catalogue's rules, without building.

    `refused` are the settings' own problems (settings_problems), reported
    first so that validate says what build and publish would say; `settings`
    place the content pages (without them, Pelican's defaults do).
    Returns the exit status for the shell: 1 when any error-level problem.
    """
    for line in refused or []:
        print(line, file=out)
    started = time.perf_counter()
    checked = check(content, as_of, settings)
    site, report = checked.site, checked.report
    for line in report_lines(site.problems):
        print(line, file=out)
    errors = len(site.errors)
    warnings = len(site.problems) - errors
    seconds = time.perf_counter() - started
    if errors:
        print(
            f"校验未通过：读取 {site.files_read} 个文件，发现 {errors} 个错误、{warnings} 个警告"
            f"（用时 {seconds:.2f} 秒）。",
            file=out,
        )
    else:
        tail = f"，{warnings} 个警告" if warnings else "，没有发现问题"
        print(
            f"记录格式正确：读取 {site.files_read} 个文件{tail}（用时 {seconds:.2f} 秒）。",
            file=out,
        )
    if report is not None:
        if any("/committees/" in f"/{p.position.path}" for p in site.errors):
            print(
                "（格式有错误的居委会文件没有参加下面的公开情况检查，请先改正上面的错误。）",
                file=out,
            )
        for line in grouped_lines(report):
            print(line, file=out)
    return 1 if refused or errors or (report is not None and report.errors) else 0


def validate_site(
    settings_file: Path, overrides: dict | None = None, out: TextIO = sys.stdout
) -> int:
    """`invoke validate`: validate what building with this settings file would build."""
    try:
        settings = read_settings(str(settings_file), override=dict(overrides or {}))
        content, day, refused = _inputs(settings)
        return validate(content, as_of=day, out=out, refused=refused, settings=settings)
    except KeyboardInterrupt:
        print("已中断：没有完成检查。", file=out)
        return INTERRUPTED


def settings_for(
    settings_file: Path, overrides: dict | None = None
) -> tuple[Path, date, list[str]]:
    """The content folder, as-of date and settings problems a settings file gives."""
    return _inputs(read_settings(str(settings_file), override=dict(overrides or {})))


def _inputs(settings: dict) -> tuple[Path, date, list[str]]:
    refused = settings_problems(settings)
    if any(line.startswith("S007 ") for line in refused):
        # the day itself cannot be read; validate reports it and fails
        return Path(settings["PATH"]), settings_as_of({}), refused
    return Path(settings["PATH"]), settings_as_of(settings), refused


def build_site(
    settings_file: Path,
    *,
    overrides: dict | None = None,
    check: Callable[[Path, Path, dict], None] | None = None,
    keep_pages: bool = False,
) -> BuildResult:
    """Build into a staging folder, then swap it in for OUTPUT_PATH.

    Files the build left as they were keep their inode and mtime, and a
    build that changed nothing leaves OUTPUT_PATH untouched (`staging`).
    `check(staging, final, settings)` runs on the finished build, as it will
    go live, before the swap and raises to refuse it (the publish gate).
    Raises SettingsInvalid, RecordsInvalid (with every problem) or whatever
    Pelican or the check raised; in every case OUTPUT_PATH is left exactly
    as it was (a build laid over it and killed while it moved files in is
    finished by the next build: staging.lay_over).

    `keep_pages` (`serve`, which builds again after every save): key every
    page; once a build of this process is live, take each page it put live,
    unrendered, where nothing the page is made from changed (page_keys), and
    lay the build over the live site instead of staging it whole
    (staging.lay_over). A build for the public never does.
    """
    try:
        return _build(settings_file, overrides, check, keep_pages)
    except staging.LiveSiteReplaced:
        # another build swapped its site in while this one was made to be laid
        # over the last: what it took went with that site, so it is built
        # again, staged whole (this process knows no live site now)
        return _build(settings_file, overrides, check, keep_pages)


def _build(
    settings_file: Path,
    overrides: dict | None,
    check: Callable[[Path, Path, dict], None] | None,
    keep_pages: bool,
) -> BuildResult:
    started = time.perf_counter()
    # the records and views stay frozen until the site is live: see collector.held
    with collector.held(), memo.for_a_next_build(keep_pages):
        phases.reset()
        settings = read_settings(str(settings_file), override=dict(overrides or {}))
        refused = refusal(settings, Path(settings["PATH"]))
        if refused:
            raise refused
        final = Path(settings["OUTPUT_PATH"]).resolve()
        final.parent.mkdir(parents=True, exist_ok=True)
        staging.sweep_leftovers(final)
        # pages the last build here put live are taken as they are where nothing
        # they are made from changed, and the build is laid over the live site;
        # a build for the public makes every page, and a gated one is staged
        # whole, as the gate checks the site that goes live
        keys = keep_pages and kept_between_processes(settings) is not None
        overlay = keys and check is None and staging.can_lay_over(final)
        staged = staging.make_staging(final)
        settings["OUTPUT_PATH"] = str(staged)
        settings["DELETE_OUTPUT_DIRECTORY"] = False
        quiet, pelican_console.quiet = pelican_console.quiet, True  # its English summary
        if keys:
            page_keys.begin(staged, final, take=overlay)
        try:
            pelican = Pelican(settings)
            pelican.run()
            if overlay:
                written = {found.name for found in tree.files_under(staged)}
                written_into = page_keys.touched(staged, written)
                if written_into:
                    page_keys.forget(final)
                    raise RecordsInvalid([_written_into(p, staged, final) for p in written_into])
                names = written | tree.standing(staged).keys()
            else:
                with phase("keep unchanged"):
                    changes = staging.keep_unchanged(staged, final)
                if check is not None:
                    check(staged, final, settings)
                names = {found.name for found in tree.files_under(staged)} if keys else set()
        except BaseException:
            page_keys.dropped(staged)
            if keep_pages and not overlay:  # serve: staff see the problem now
                staging.retire(staged, final)
            else:
                shutil.rmtree(staged, ignore_errors=True)
            raise
        finally:
            pelican_console.quiet = quiet
            collector.unfreeze()  # a failed build's views too (serve builds again and again)
        # Ctrl+C from here on is held until the site is wholly in place
        with staging.interrupts_held() as interrupt:
            if overlay:
                try:
                    with phase("lay over"):
                        changes = staging.lay_over(staged, final, names)
                except BaseException:
                    page_keys.dropped(staged)
                    page_keys.forget(final)
                    raise
                page_keys.went_live(staged, final)
            elif changes is not None and changes.none:
                page_keys.went_live(staged, final)
                staging.retire(staged, final)
            else:
                try:
                    with phase("swap"):
                        staging.swap_in(staged, final)
                except BaseException:
                    page_keys.dropped(staged)
                    page_keys.forget(final)
                    shutil.rmtree(staged, ignore_errors=True)
                    raise
                page_keys.went_live(staged, final)
            if keys and not overlay:
                staging.record_live(final, names)  # the next build is laid over it
            elif not keys:
                staging.forget_live(final)
        # the build's own files where it knows them (a city's 9,000 folders
        # are not listed again after every save)
        made = names or {found.name for found in tree.files_under(final)}
        committees = sum(1 for name in made if _COMMITTEE_PAGE.fullmatch(name))
        events = sum(1 for name in made if _EVENT_PAGE.fullmatch(name))
        result = BuildResult(final, time.perf_counter() - started, committees, events, changes)
        if interrupt.asked:
            raise InterruptedWhenLive(result)
        return result


class InterruptedWhenLive(KeyboardInterrupt):
    """Ctrl+C came while the build was going live: it went live whole first."""

    def __init__(self, result: BuildResult) -> None:
        super().__init__()
        self.result = result


def _written_into(path: str, staged: Path, final: Path) -> Problem:
    """A page `serve` took from the live site that another writer then wrote
    there as well, behind the writer's back: the tripwire behind page_keys' care."""
    shown = f"{final.name}/{Path(path).relative_to(staged).as_posix()}"
    return Problem(
        Position(shown),
        "E792",
        "生成时有两个文件写到了这个地址，output/ 中的这个文件保持原样；"
        "请检查设置里是否有文件生成到同一个地址（例如 THEME_STATIC_DIR），改正后重新生成",
    )


class GateFailed(RecordsInvalid):
    """The finished build failed a check that the public site must pass."""


def build(
    settings_file: Path,
    *,
    overrides: dict | None = None,
    out: TextIO = sys.stdout,
    check: Callable[[Path, Path, dict], None] | None = None,
    keep_pages: bool = False,
) -> int:
    """`invoke build`: problems in Chinese and a non-zero status, never a traceback."""

    def show(sender, lines: list[str]) -> None:
        for line in lines:
            print(line, file=out)

    report_ready.connect(show)
    unchanged = "网站没有更新（output/ 保持原样）。"
    try:
        result = build_site(settings_file, overrides=overrides, check=check, keep_pages=keep_pages)
    except SettingsInvalid as invalid:
        for line in invalid.lines:
            print(line, file=out)
        print(f"没有构建：{invalid.summary}，{unchanged}", file=out)
        return 1
    except GateFailed as failed:
        for line in report_lines(failed.problems):
            print(line, file=out)
        print(f"发布检查未通过：发现 {len(failed.problems)} 个问题，{unchanged}", file=out)
        return 1
    except RecordsInvalid as invalid:
        if isinstance(invalid, DisclosureIncomplete):
            lines = grouped_lines(invalid.report)
        else:
            lines = report_lines(invalid.problems)
        for line in lines:
            print(line, file=out)
        errors = sum(1 for p in invalid.problems if p.severity is Severity.ERROR)
        print(f"构建未完成：发现 {errors} 个错误，{unchanged}", file=out)
        return 1
    except InterruptedWhenLive as live:
        print(_built(live.result), file=out)
        print("已中断（中断前网站已完整更新）。", file=out)
        return INTERRUPTED
    except KeyboardInterrupt:
        print(f"已中断：{unchanged}", file=out)
        return INTERRUPTED
    except OSError as error:
        print(f"构建失败：{cannot_write(error)}。{unchanged}", file=out)
        return 1
    except Exception as error:
        if os.environ.get("DISCLOSURE_DEBUG"):
            raise
        print(f"构建失败：{type(error).__name__}: {error}", file=out)
        print(f"{unchanged}设置 DISCLOSURE_DEBUG=1 可查看详细信息。", file=out)
        return 1
    print(_built(result), file=out)
    return 0


def _built(result: BuildResult) -> str:
    return (
        f"已生成网站：{result.committees} 个居委会页面、{result.events} 个活动页面，"
        f"用时 {result.seconds:.2f} 秒，"
        f"输出在 {_shown(result.output)}/{_changed(result.changes)}"
    )


def _changed(changes: staging.Changes | None) -> str:
    """What staff previewing an edit want to know: did it change the site."""
    if changes is None:
        return ""
    if changes.none:
        return "（与上次相同，没有文件改动）"
    removed = f"、删去 {changes.removed} 个" if changes.removed else ""
    return f"（{changes.written} 个文件有改动{removed}）"


_WHY = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在的磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出了磁盘配额",
}


def cannot_write(error: OSError) -> str:
    """What a person can act on, for a folder or disk that refused a write."""
    why = _WHY.get(error.errno or 0, error.strerror or str(error))
    where = error.filename
    if where is None:
        return f"无法写入文件（{why}）"
    return f"无法写入 {_shown(Path(where))}（{why}），请检查这个文件夹的权限和磁盘空间"


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
