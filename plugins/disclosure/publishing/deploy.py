"""Deploy a checked build to hosting as a new release, with rollback.

Two kinds of target, one promise: nobody ever sees a half-updated site.

- A folder (a local path, e.g. the web root's parent on the server nginx
  runs on): the build goes into `releases/<id>/` beside the live one, then
  the `current` link is switched to it in one rename. Unchanged files are
  hard links to the previous release, so only what changed is written.
- An rclone remote (an object-storage bucket such as Aliyun OSS, Tencent COS,
  MinIO or S3): buckets have no links, so the live site is updated in place
  in an order that never breaks a page: changed assets first, then pages,
  and only then what is gone is deleted. Each release is also kept in an
  archive location, from which a rollback puts the previous one back with
  server-side copies.

Either way the last KEEP releases are kept and a deploy of what is already
live transfers nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import rclone
from .checked_build import CheckedBuild

KEEP = 5


class DeployFailed(Exception):
    """The deploy stopped; the message (with a stable code) is safe to show."""


@dataclass(frozen=True)
class Release:
    id: str
    digest: str
    files: int
    site_url: str
    as_of: str
    deployed_at: str
    # The release this one replaced: where --rollback returns to.
    previous: str | None = None


def new_release(checked: CheckedBuild, previous: str | None) -> Release:
    now = datetime.now(UTC)
    return Release(
        # Releases are ordered by id, and two deploys can fall in one second.
        id=f"{now:%Y%m%dT%H%M%S%f}Z-{checked.digest[:10]}",
        digest=checked.digest,
        files=checked.files,
        site_url=checked.site_url,
        as_of=checked.as_of,
        deployed_at=now.isoformat(timespec="seconds"),
        previous=previous,
    )


def rollback_target(
    live: str | None, known: list[str], manifest: Release | None, where: str
) -> str:
    """The release a rollback from `live` puts back: the one `live` replaced.

    Not simply the one before it by date: after a rollback and a new deploy,
    going back must not bring back the release that was rolled back.
    """
    if live not in known:
        raise DeployFailed(f"P021 {where} 还没有部署过，无法回退")
    if manifest is not None and manifest.previous is not None:
        if manifest.previous not in known:
            raise DeployFailed(f"P022 {live} 替换的版本 {manifest.previous} 已不再保留，无法回退")
        return manifest.previous
    index = known.index(live)
    if index == 0:
        raise DeployFailed(f"P022 {live} 已是保留的最早版本，没有更早的版本可以回退")
    return known[index - 1]


@dataclass(frozen=True)
class Outcome:
    release: str
    previous: str | None
    changed: bool


def is_remote(target: str) -> bool:
    """rclone's `remote:path` or `:backend,option=…:path`, not a local path."""
    if target.startswith(":") and ":" in target[1:]:
        return True
    head, sep, _ = target.partition(":")
    return bool(sep) and "/" not in head and "\\" not in head and len(head) > 1


def target_for(target: str, archive: str | None = None):
    if is_remote(target):
        return BucketTarget(target.rstrip("/"), archive)
    return FolderTarget(Path(target))


class FolderTarget:
    """`releases/<id>/` and a `current` link to the live one."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.releases = self.root / "releases"
        self.current = self.root / "current"

    def describe(self) -> str:
        return str(self.root)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".deploy.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as busy:
                raise DeployFailed(f"P020 {self.root} 正在由另一个部署使用，请稍后再试") from busy
            yield

    def live(self) -> str | None:
        try:
            return Path(os.readlink(self.current)).name
        except OSError:
            return None

    def _manifest(self, release_id: str) -> Release | None:
        try:
            data = json.loads((self.releases / f"{release_id}.json").read_text("utf-8"))
            return Release(**data)
        except (OSError, ValueError, TypeError):
            return None

    def known(self) -> list[str]:
        if not self.releases.is_dir():
            return []
        return sorted(
            p.name for p in self.releases.iterdir() if p.is_dir() and self._manifest(p.name)
        )

    def _check_place(self, output: Path) -> None:
        output = output.resolve()
        if self.root == output or output in self.root.parents or self.root in output.parents:
            raise DeployFailed(
                f"P026 部署目标 {self.root} 与生成的网站 {output} 重叠：请部署到别的文件夹"
            )
        deployed_before = self.releases.is_dir() or self.current.is_symlink()
        if self.root.is_dir() and not deployed_before and any(self.root.iterdir()):
            raise DeployFailed(
                f"P027 {self.root} 里已有别的文件，不像是本站的部署目标：请指定一个空文件夹，"
                "或以前部署过的文件夹（里面有 releases/ 和 current）"
            )

    def deploy(self, output: Path, checked: CheckedBuild, keep: int = KEEP) -> Outcome:
        self._check_place(output)
        with self._locked():
            live = self.live()
            if live and (m := self._manifest(live)) and m.digest == checked.digest:
                return Outcome(live, live, changed=False)
            release = new_release(checked, previous=live)
            self.releases.mkdir(parents=True, exist_ok=True)
            self.releases.chmod(0o755)
            partial = self.releases / f".{release.id}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            try:
                if live and (self.releases / live).is_dir():
                    _link_tree(self.releases / live, partial)
                # rclone replaces a changed file by writing a new one and
                # renaming it over, so the hard links into the live release
                # are never written through.
                rclone.run("sync", str(output), str(partial), "--checksum", "--no-update-modtime")
                _readable(partial)
                partial.rename(self.releases / release.id)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
            _write_json(self.releases / f"{release.id}.json", asdict(release))
            self._switch(release.id)
            self._prune(keep)
            return Outcome(release.id, live, changed=True)

    def rollback(self) -> Outcome:
        with self._locked():
            live = self.live()
            manifest = self._manifest(live) if live else None
            previous = rollback_target(live, self.known(), manifest, str(self.root))
            self._switch(previous)
            return Outcome(previous, live, changed=True)

    def _switch(self, release_id: str) -> None:
        # A new link under a temporary name renamed over `current` is one
        # atomic step: every request sees the old release or the new one.
        temporary = self.root / f".current-{release_id}"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        temporary.symlink_to(Path("releases") / release_id, target_is_directory=True)
        os.replace(temporary, self.current)

    def _prune(self, keep: int) -> None:
        live = self.live()
        known = self.known()
        manifest = self._manifest(live) if live else None
        # The release a rollback returns to is kept, however old.
        protected = {live, manifest.previous if manifest else None}
        for old in known[: max(0, len(known) - keep)]:
            if old not in protected:
                shutil.rmtree(self.releases / old, ignore_errors=True)
                (self.releases / f"{old}.json").unlink(missing_ok=True)


def _link_tree(source: Path, dest: Path) -> None:
    for folder, _dirs, files in os.walk(source):
        here = dest / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(Path(folder) / name, here / name)


def _readable(folder: Path) -> None:
    """755 and 644, as the gate checked the build, whatever the deploying umask.

    rclone creates files with the process's umask; under 077 (a cron job, an
    ssh session) the web server could read nothing.
    """
    for path in [folder, *folder.rglob("*")]:
        wanted = 0o755 if path.is_dir() else 0o644
        if path.stat().st_mode & 0o777 != wanted:
            path.chmod(wanted)


def _suffixes_in(folder: Path) -> set[str]:
    return {p.suffix.lower() for p in folder.rglob("*") if p.is_file()}


def _write_json(path: Path, data: dict) -> None:
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(partial, path)


def _split_remote(remote: str) -> tuple[str, str]:
    """`name:bucket/path` -> ("name:", "bucket/path"); `:s3,opt=x:b/p` -> (":s3,opt=x:", "b/p")."""
    colon = remote.index(":", 1) if remote.startswith(":") else remote.index(":")
    return remote[: colon + 1], remote[colon + 1 :].strip("/")


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


class BucketTarget:
    """The live site at `remote`, each release kept whole under `archive`."""

    def __init__(self, remote: str, archive: str | None):
        self.remote = remote
        self.touched_live = False
        if not archive:
            raise DeployFailed(
                "P025 部署到对象存储需要一个保存历史版本的位置（回退时用）：请用 --archive 或"
                "环境变量 DEPLOY_ARCHIVE 指定一个不公开的存储桶或路径，例如 site:rihui-releases"
            )
        self.archive = archive.rstrip("/")
        # Kept apart from the site: the deploy deletes whatever the site has
        # that the build does not, and old releases may hold what was since
        # withdrawn (a number whose owner no longer consents).
        site_at, site_path = _split_remote(remote)
        kept_at, kept_path = _split_remote(self.archive)
        if site_at == kept_at and _overlap(site_path, kept_path):
            raise DeployFailed(
                f"P024 保存历史版本的位置 {self.archive} 与网站 {remote} 重叠："
                "部署会把它当作多余的文件删掉，它也会被公开。请把 DEPLOY_ARCHIVE 设在网站之外"
            )

    def _check_buckets(self) -> None:
        # rclone would create a missing bucket, so a mistyped name would
        # "deploy" to a new, unseen bucket while the real site stays stale.
        for place in (self.remote, self.archive):
            at, path = _split_remote(place)
            bucket = f"{at}{path.split('/')[0]}"
            try:
                rclone.run("lsf", "--max-depth", "1", "--dirs-only", bucket)
            except rclone.TransferFailed as failed:
                if failed.not_found:
                    raise DeployFailed(
                        f"P014 存储桶 {bucket} 不存在：请检查名字，或先在对象存储中创建它"
                        "（网站的存储桶设为公共读，保存历史版本的设为私有）"
                    ) from failed
                raise

    def describe(self) -> str:
        return self.remote

    def live(self) -> str | None:
        text = rclone.read_text(f"{self.archive}/CURRENT")
        return text.strip() or None if text is not None else None

    def _manifest(self, release_id: str) -> Release | None:
        text = rclone.read_text(f"{self.archive}/{release_id}.json")
        try:
            return Release(**json.loads(text)) if text else None
        except (ValueError, TypeError):
            return None

    def known(self) -> list[str]:
        """Releases whose manifest was written, i.e. whose archived copy is whole.

        A folder alone is no release: a deploy interrupted while archiving
        leaves a partial one, and some stores still list a purged folder as
        an empty prefix. Rolling back to either would empty the site.
        """
        names = rclone.entries(self.archive)
        return sorted(
            name[:-1]
            for name in names
            if name.endswith("/") and not name.startswith(".") and f"{name[:-1]}.json" in names
        )

    def _unfinished(self) -> list[str]:
        names = rclone.entries(self.archive)
        return sorted(
            name[:-1] for name in names if name.endswith("/") and f"{name[:-1]}.json" not in names
        )

    def deploy(self, output: Path, checked: CheckedBuild, keep: int = KEEP) -> Outcome:
        self._check_buckets()
        live = self.live()
        current = self._manifest(live) if live else None
        if current and current.digest == checked.digest:
            # Already live; still make the bucket match it, which transfers
            # nothing unless someone changed the bucket by hand.
            self._publish(f"{self.archive}/{live}", _suffixes_in(output))
            return Outcome(live, live, changed=False)
        release = new_release(checked, previous=live)
        kept = f"{self.archive}/{release.id}"
        # Unchanged files are copied inside the store from the live release.
        reuse = ("--copy-dest", f"{self.archive}/{live}") if current else ()
        present = _suffixes_in(output)
        rclone.copy_typed(str(output), kept, present, pages=False, extra=reuse)
        rclone.copy_typed(str(output), kept, present, pages=True, extra=reuse)
        rclone.write_text(
            f"{self.archive}/{release.id}.json", json.dumps(asdict(release), ensure_ascii=False)
        )
        # From the archived copy, inside the store: deploy and rollback take
        # the same path, and nothing is uploaded from here twice.
        self._publish(kept, present)
        rclone.write_text(f"{self.archive}/CURRENT", release.id + "\n")
        self._prune(keep, release)
        return Outcome(release.id, live, changed=True)

    def rollback(self) -> Outcome:
        self._check_buckets()
        live = self.live()
        manifest = self._manifest(live) if live else None
        previous = rollback_target(live, self.known(), manifest, self.remote)
        # Server-side copies keep each object's content type from the archive.
        source = f"{self.archive}/{previous}"
        self._publish(source, rclone.suffixes(source))
        rclone.write_text(f"{self.archive}/CURRENT", previous + "\n")
        return Outcome(previous, live, changed=True)

    def _publish(self, source: str, present: set[str]) -> None:
        # From here a failure can leave the bucket between two versions.
        self.touched_live = True
        rclone.copy_typed(source, self.remote, present, pages=False)
        rclone.copy_typed(source, self.remote, present, pages=True)
        rclone.remove_extra(source, self.remote)

    def _prune(self, keep: int, release: Release) -> None:
        known = self.known()
        protected = {release.id, release.previous}
        # The manifest goes first: once it is gone the folder is no release,
        # whatever happens to the purge.
        for old in known[: max(0, len(known) - keep)]:
            if old not in protected:
                rclone.run("deletefile", f"{self.archive}/{old}.json")
                rclone.purge(f"{self.archive}/{old}")
        # Copies left by interrupted deploys: never releases, and they may
        # hold what has since been withdrawn.
        for unfinished in self._unfinished():
            with contextlib.suppress(rclone.TransferFailed):
                rclone.purge(f"{self.archive}/{unfinished}")
