"""Time validate and build on a generated site of many committees and events.

    python3 bootstrap.py bench --committees 6000 --events 3000

Each generated committee or event is one of the examples under a new slug and
name, so the work per record is what a real record costs (recurring events
included). Prints one line per phase.
"""

from __future__ import annotations

import argparse
import gzip
import io
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure.cli import commands  # noqa: E402
from disclosure.output_scan import scan  # noqa: E402
from disclosure.search.generator import index_location  # noqa: E402
from disclosure.search.index import build_index, dumps  # noqa: E402
from disclosure.search.pages import written_pages  # noqa: E402
from disclosure.settings import page_location  # noqa: E402
from disclosure.site import load_site_data  # noqa: E402


def make_content(target: Path, count: int, events: int) -> None:
    shutil.copytree(ROOT / "content", target)
    folder = target / "data" / "committees"
    examples = sorted(folder.glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    for path in examples:
        path.unlink()
    for number in range(count):
        text = texts[number % len(texts)]
        name_line = next(line for line in text.splitlines() if line.startswith("name: "))
        text = text.replace(name_line, f"{name_line}{number:05d}", 1)
        (folder / f"committee-{number:05d}.yaml").write_text(text, encoding="utf-8")
    # every generated committee takes part, so the catalogue's rules run on all
    catalogue = target / "data" / "catalogue.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    start = lines.index("committees:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  - "))
    listed = [f"  - committee-{number:05d}" for number in range(count)]
    catalogue.write_text("\n".join(lines[: start + 1] + listed + lines[end:]) + "\n", "utf-8")
    make_events(target / "data" / "events", events, count)


def make_events(folder: Path, count: int, committees: int) -> None:
    examples = sorted(folder.rglob("*.yaml"))
    sources = [(p.parent.name, p.read_text(encoding="utf-8")) for p in examples]
    for path in examples:
        path.unlink()
    for number in range(count):
        year, text = sources[number % len(sources)]
        committee = next(
            (line for line in text.splitlines() if line.startswith("committee: ")), None
        )
        if committee:  # spread the events over the generated committees
            text = text.replace(committee, f"committee: committee-{number % committees:05d}", 1)
        (folder / year / f"event-{number:05d}.yaml").write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committees", type=int, default=6000)
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        make_content(content, args.committees, args.events)

        started = time.perf_counter()
        site = load_site_data(content)
        load_seconds = time.perf_counter() - started
        assert not site.errors, site.errors[:3]

        started = time.perf_counter()
        status = commands.validate(content, as_of=date(2026, 11, 26), out=io.StringIO())
        validate_seconds = time.perf_counter() - started
        assert status == 0

        overrides = {
            "PATH": str(content),
            "OUTPUT_PATH": str(Path(tmp) / "output"),
            "DISCLOSURE_AS_OF": "2026-11-26",
        }
        result = commands.build_site(ROOT / "pelicanconf.py", overrides=overrides)
        size = sum(p.stat().st_size for p in result.output.rglob("*") if p.is_file())

        # The build's last step, timed alone: every written file read back.
        started = time.perf_counter()
        leaks = scan(result.output, site.unpublished_numbers)
        scan_seconds = time.perf_counter() - started
        assert not leaks, leaks[:3]

        # The search step, timed alone: every page read back and indexed.
        url, save_as = page_location({}, "SEARCH")
        started = time.perf_counter()
        indexed = build_index(written_pages(result.output, {url}))
        search_seconds = time.perf_counter() - started
        index = (result.output / index_location(url, save_as)[1]).read_bytes()
        assert index == dumps(indexed).encode("utf-8")

    per = 1000 * validate_seconds / (args.committees + args.events)
    print(f"committees: {args.committees}, events: {args.events}")
    print(f"load+type:  {load_seconds:.2f} s")
    print(f"validate:   {validate_seconds:.2f} s ({per:.2f} ms per record)")
    pages = f"{result.committees} committee and {result.events} event pages, {size / 1e6:.1f} MB"
    print(f"build:      {result.seconds:.2f} s ({pages})")
    numbers = len(site.unpublished_numbers)
    print(f"leak scan:  {scan_seconds:.2f} s of the build ({numbers} unpublished numbers)")
    pages, packed = len(indexed["pages"]), len(gzip.compress(index))
    print(
        f"search:     {search_seconds:.2f} s of the build ({pages} pages; index "
        f"{len(index) / 1e6:.2f} MB, {packed / 1e6:.2f} MB gzipped)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
