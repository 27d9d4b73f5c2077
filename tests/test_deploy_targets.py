"""Which kind of target a deploy goes to, and what it refuses before touching one."""

from __future__ import annotations

import io

import pytest
from disclosure.publishing import commands as publishing
from disclosure.publishing.deploy import BucketTarget, FolderTarget, is_remote, target_for


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
    assert isinstance(target_for(target), BucketTarget if remote else FolderTarget)


def test_bucket_releases_are_kept_beside_the_site_by_default():
    assert target_for("site:rihui-site").archive == "site:rihui-site-releases"
    assert target_for("site:b/jiedao/").archive == "site:b/jiedao-releases"
    assert target_for("site:b", "site:private/rihui/").archive == "site:private/rihui"


def deploy(target: str | None, tmp_path, **options) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = publishing.deploy(tmp_path / "output", target, out=out, **options)
    return status, out.getvalue().splitlines()


def test_an_archive_inside_the_site_is_refused(tmp_path):
    assert deploy("site:b", tmp_path, archive="site:b/releases") == (
        2,
        [
            "P024 保存历史版本的位置 site:b/releases 在网站 site:b 里面："
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
