"""`publish` and `deploy`: what the tasks run, callable from tests and CI scripts."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TextIO

from pelican import signals
from pelican.settings import read_settings

from ..completeness.report import site_report
from ..core.json_text import pretty_json
from ..core.problems import Problem
from ..publishing import checked_build, gate, summary
from ..publishing.deploy import KEEP, DeployFailed, target_for
from ..publishing.rclone import TransferFailed
from ..settings import as_of
from ..signals import report_evaluated
from .commands import GateFailed, build


class _Log:
    """Writes through to `out` and keeps the lines, for the CI job summary."""

    def __init__(self, out: TextIO):
        self.out = out
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.extend(text.splitlines())
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()


def publish(
    settings_file: Path,
    *,
    overrides: dict | None = None,
    out: TextIO = sys.stdout,
    summary_file: Path | None = None,
    report_file: Path | None = None,
) -> int:
    """Strict build, then the gate; only a build that passes both replaces output/.

    `summary_file` gets a Markdown summary appended (a CI job summary) and
    `report_file` the completeness report as JSON, whether it passed or not.

    On success the build is recorded as checked, so `deploy` will send it; on
    any failure no build is recorded, so a deploy that follows sends nothing.
    """
    settings = read_settings(str(settings_file), override=dict(overrides or {}))
    output = Path(settings["OUTPUT_PATH"]).resolve()
    checked_build.forget(output)
    log = _Log(out)
    seen: dict = {"report": None, "checked": None}

    def keep_report(sender, report=None) -> None:
        seen["report"] = report

    sources: dict[Path, str] = {}  # page written -> the Markdown file it came from

    def note_source(path, context=None) -> None:
        item = (context or {}).get("page") or (context or {}).get("article")
        if getattr(item, "source_path", None):
            sources[Path(path).resolve()] = item.source_path

    def gate_check(staging: Path, final: Path, built: dict) -> None:
        print("正在检查生成的网站：文件权限、链接、HTML 规范、公开情况…", file=log)
        problems = gate.check_site(staging, built["SITEURL"], final.name)
        if problems:
            raise GateFailed([_from_source(p, staging, final, sources) for p in problems])
        digest, files = checked_build.tree_digest(staging)
        seen["checked"] = checked_build.CheckedBuild(
            digest=digest,
            files=files,
            site_url=built["SITEURL"],
            as_of=as_of(built).isoformat(),
            demonstration=bool(built.get("DISCLOSURE_DEMONSTRATION")),
        )

    report_evaluated.connect(keep_report)
    signals.content_written.connect(note_source)
    try:
        status = build(settings_file, overrides=overrides, out=log, check=gate_check)
    finally:
        report_evaluated.disconnect(keep_report)
        signals.content_written.disconnect(note_source)
    checked = seen["checked"]
    if status == 0 and checked and checked_build.tree_digest(output)[0] == checked.digest:
        checked_build.write(output, checked)
        print(
            f"发布检查通过：{checked.files} 个文件，网站地址 {checked.site_url}，"
            f"按 {checked.as_of} 的日期生成。可以部署：python3 bootstrap.py deploy --to 目标"
            "（或设置 DEPLOY_TARGET）",
            file=log,
        )
    else:
        status = status or 1
    report = seen["report"]
    if report_file is not None and report is not None:
        report_file.write_bytes(pretty_json(site_report(report, settings)))
    if summary_file is not None:
        text = summary.markdown(
            published=status == 0,
            report=report,
            log=log.lines,
            site_url=str(settings.get("SITEURL") or ""),
        )
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(text)
    return status


def _from_source(problem: Problem, staging: Path, final: Path, sources: dict) -> Problem:
    """Name the Markdown file a failing page came from: the page itself was never
    written to output/, and the file is what staff will open."""
    rel = problem.position.path.removeprefix(f"{final.name}/")
    source = sources.get((staging / rel).resolve())
    if source is None:
        return problem
    shown = Path(source)
    with contextlib.suppress(ValueError):
        shown = shown.relative_to(Path.cwd())
    return Problem(
        problem.position,
        problem.code,
        f"{problem.message}（这一页由 {shown.as_posix()} 生成）",
        problem.severity,
    )


def output_of(settings_file: Path) -> Path:
    return Path(read_settings(str(settings_file))["OUTPUT_PATH"]).resolve()


def deploy(
    output: Path,
    target: str | None,
    *,
    rollback: bool = False,
    keep: int = KEEP,
    archive: str | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Send the last checked build to `target` as a new release, or roll back one."""
    target = (target or os.environ.get("DEPLOY_TARGET") or "").strip()
    if not target:
        print(
            "P001 没有指定部署目标：请用 --to 指定（文件夹路径或 rclone 远程路径，"
            "例如 oss:rihui-site），或设置环境变量 DEPLOY_TARGET",
            file=out,
        )
        return 2
    doing = "回退" if rollback else "部署"
    try:
        destination = target_for(target, archive or os.environ.get("DEPLOY_ARCHIVE") or None)
    except DeployFailed as refused:
        print(f"{refused}", file=out)
        return 2
    try:
        if rollback:
            outcome = destination.rollback()
            print(
                f"已回退：{destination.describe()} 现在是 {outcome.release}"
                f"（原来是 {outcome.previous}）。",
                file=out,
            )
            return 0
        checked = checked_build.read(output)
        if checked is None:
            print(
                "P002 没有检查通过的版本可以部署：请先运行 python3 bootstrap.py publish，"
                "并确认它通过了检查。线上网站没有改动。",
                file=out,
            )
            return 1
        if checked_build.tree_digest(output)[0] != checked.digest:
            print(
                f"P003 {output.name}/ 在发布检查之后被改动过（例如又运行了 build），"
                "请重新运行 publish。线上网站没有改动。",
                file=out,
            )
            return 1
        outcome = destination.deploy(output, checked, keep=keep)
    except (DeployFailed, TransferFailed) as failed:
        print(f"{failed}", file=out)
        if getattr(destination, "touched_live", False):
            print(
                f"{doing}没有完成：{destination.describe()} 可能已部分更新（新旧文件并存）。"
                "请重新运行同一个部署；不行的话用 --rollback 回到上一个版本。",
                file=out,
            )
        else:
            print(f"{doing}没有完成：{destination.describe()} 的线上版本没有切换。", file=out)
        return 1
    except OSError as error:
        print(
            f"P012 无法写入部署目标 {destination.describe()}：{error.strerror or error}", file=out
        )
        print(f"{doing}没有完成：{destination.describe()} 的线上版本没有切换。", file=out)
        return 1
    if outcome.changed:
        back = (
            f"上一个版本 {outcome.previous}，可用 --rollback 回退"
            if outcome.previous
            else "这是第一个版本"
        )
        print(f"已部署：{destination.describe()} 现在是 {outcome.release}（{back}）。", file=out)
    else:
        print(f"线上已是这个版本（{outcome.release}），没有需要传输的内容。", file=out)
    return 0
