"""Which kind of target a deploy goes to, and what it refuses before touching one."""

from __future__ import annotations

import io

import pytest
from disclosure.cli import publish as publishing
from disclosure.publishing.deploy import (
    BucketTarget,
    DeployFailed,
    FolderTarget,
    is_remote,
    target_for,
)


@pytest.mark.parametrize(
    ("target", "remote"),
    [
        ("site:rihui-site", True),
        ("site:rihui-site/jiedao/rihui", True),
        (":s3,provider=Minio:bucket/path", True),
        ("/srv/rihui", False),
        ("srv/rihui", False),
        ("./site:old", False),  # a folder whose name has a colon
        ("C:\\sites\\rihui", False),
    ],
)
def test_a_target_is_a_folder_or_an_rclone_remote(target, remote):
    assert is_remote(target) is remote
    found = target_for(target, "other:releases")
    assert isinstance(found, BucketTarget if remote else FolderTarget)


def test_a_bucket_target_needs_a_place_for_its_releases(tmp_path):
    assert target_for("site:b", "site:private/rihui/").archive == "site:private/rihui"
    assert deploy("site:rihui-site", tmp_path) == (
        2,
        [
            "P025 部署到对象存储需要一个保存历史版本的位置（回退时用）：请用 --archive 或"
            "环境变量 DEPLOY_ARCHIVE 指定一个不公开的存储桶或路径，例如 site:rihui-releases"
        ],
    )


@pytest.mark.parametrize(
    ("site", "archive"),
    [
        ("site:b", "site:b/releases"),
        ("site:b/web", "site:/b/web/old"),
        ("site:b/web/rihui", "site:b/web"),
        ("site:b", "site:b"),
    ],
)
def test_an_archive_overlapping_the_site_is_refused(tmp_path, site, archive):
    status, lines = deploy(site, tmp_path, archive=archive)
    assert status == 2
    assert lines[0].startswith(f"P024 保存历史版本的位置 {archive} 与网站 {site} 重叠")


def deploy(target: str | None, tmp_path, **options) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = publishing.deploy(tmp_path / "output", target, out=out, **options)
    return status, out.getvalue().splitlines()


def test_an_archive_inside_the_site_is_refused(tmp_path):
    assert deploy("site:b", tmp_path, archive="site:b/releases") == (
        2,
        [
            "P024 保存历史版本的位置 site:b/releases 与网站 site:b 重叠："
            "部署会把它当作多余的文件删掉，它也会被公开。请把 DEPLOY_ARCHIVE 设在网站之外"
        ],
    )


def test_no_target_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("DEPLOY_TARGET", raising=False)
    status, lines = deploy(None, tmp_path)
    assert (status, lines[0][:4]) == (2, "P001")


def test_a_target_that_cannot_be_written_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    status, lines = deploy(str(blocker / "site"), tmp_path, rollback=True)
    assert status == 1
    assert lines == [
        f"P012 无法写入部署目标 {blocker / 'site'}：Not a directory",
        f"回退没有完成：{blocker / 'site'} 的线上版本没有切换。",
    ]


def test_a_folder_target_must_not_overlap_the_build_or_hold_other_files(tmp_path):
    from disclosure.publishing.checked_build import CheckedBuild

    output = tmp_path / "output"
    output.mkdir()
    checked = CheckedBuild("0" * 64, 0, "https://a.cn", "2026-11-26", False)
    for place in (output, output / "site", tmp_path):
        with pytest.raises(DeployFailed) as refused:
            FolderTarget(place).deploy(output, checked)
        assert str(refused.value).startswith(f"P026 部署目标 {place} 与生成的网站 {output} 重叠")
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").write_text("x")
    with pytest.raises(DeployFailed) as refused:
        FolderTarget(project).deploy(output, checked)
    assert str(refused.value) == (
        f"P027 {project} 里已有别的文件，不像是本站的部署目标：请指定一个空文件夹，"
        "或以前部署过的文件夹（里面有 releases/ 和 current）"
    )
    assert sorted(p.name for p in project.iterdir()) == ["README.md"]


def test_a_bucket_deploy_that_stops_halfway_says_so(tmp_path, monkeypatch):
    # The store itself is tested in test_deploy_bucket.py; here only what the
    # person is told when the upload to the live site breaks off.
    from disclosure.publishing import checked_build, rclone

    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>一</p>")
    digest, files = checked_build.tree_digest(output)
    checked_build.write(
        output, checked_build.CheckedBuild(digest, files, "https://a.cn", "2026-11-26", False)
    )

    def copy_typed(source, dest, present, *, pages, extra=()):
        if dest == "site:web":
            raise rclone.TransferFailed(
                "P011 rclone copy 失败（退出码 1）：详情：connection reset", 1
            )

    monkeypatch.setattr(rclone, "run", lambda *args, **kw: b"")
    monkeypatch.setattr(rclone, "read_text", lambda path: None)
    monkeypatch.setattr(rclone, "write_text", lambda path, text: None)
    monkeypatch.setattr(rclone, "entries", lambda path: set())
    monkeypatch.setattr(rclone, "copy_typed", copy_typed)
    status, lines = deploy("site:web", tmp_path, archive="site:releases")
    assert (status, lines) == (
        1,
        [
            "P011 rclone copy 失败（退出码 1）：详情：connection reset",
            "部署没有完成：site:web 可能已部分更新（新旧文件并存）。"
            "请重新运行同一个部署；不行的话用 --rollback 回到上一个版本。",
        ],
    )
