"""Files that look like records but cannot be read are named, never skipped in silence."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from conftest import build
from disclosure.cli import commands
from disclosure.core.problems import RecordsInvalid


def validate_lines(content) -> list[str]:
    out = io.StringIO()
    status = commands.validate(content, as_of=date(2026, 11, 26), out=out)
    return status, out.getvalue().splitlines()


def test_two_files_for_one_record_folders_and_broken_links(content, tmp_path):
    committees = content / "data/committees"
    shutil.copy(committees / "rihui-liucun.yaml", committees / "rihui-liucun.yml")
    (committees / "xietu.yaml").mkdir()
    (content / "data/events/2020/more").mkdir()
    (content / "data/plans/2021-h1.yaml").symlink_to(tmp_path / "nowhere.yaml")
    status, lines = validate_lines(content)
    shown = {
        "yml": (committees / "rihui-liucun.yml").as_posix(),
        "dir": (committees / "xietu.yaml").as_posix(),
        "nested": (content / "data/events/2020/more").as_posix(),
        "link": (content / "data/plans/2021-h1.yaml").as_posix(),
    }
    assert status == 1
    assert (
        f'{shown["yml"]}:1:1: E203 "rihui-liucun.yml" 与 "rihui-liucun.yaml" 是同一条记录的两个文件（网址相同）：请只保留一个'
        in lines
    )
    assert f'{shown["dir"]}:1:1: E205 "xietu.yaml" 是一个文件夹，不是记录文件' in lines
    assert (
        f'{shown["nested"]}:1:1: E205 "more" 是一个文件夹，里面的文件不会被读取：记录文件请直接放在上一层文件夹里'
        in lines
    )
    assert f"{shown['link']}:1:1: E204 这是一个失效的链接（快捷方式），指向的文件不存在" in lines
    # the build refuses the same, before writing anything
    with pytest.raises(RecordsInvalid) as refused:
        build(content, tmp_path / "output")
    assert {p.code for p in refused.value.problems} == {"E203", "E204", "E205"}
    assert not (tmp_path / "output").exists()
