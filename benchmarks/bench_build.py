"""Time validate and build on generated sites of many committees and events.

    python3 bootstrap.py bench                      # 600/300, 2000/1000, 6000/3000
    python3 bootstrap.py bench --scale 2000/1000    # one scale

Each generated committee or event is one of the examples under a new slug and
name, so the work per record is what a real record costs (recurring events
included); with --distinct each committee's roads and phone numbers are its
own too, as a real city's are (copies share them, which hides what grows
with distinct values). Every scale runs in a process of its own, so that its peak memory
is its own. For each it prints:

- `validate` as staff run it, in a process of its own: the first time, when
  every record is typed, and again in a new process, which reads the typed
  records the first left on disk (core/record_cache.py);
- the build's phases (wall time), every record typed;
- one committee edited and the site built again in the same process, as
  `serve` does after a save (after a build of `serve`'s own, which keys its
  pages, and the collection `serve` makes while it waits for the save):
  what reads, types, renders and scans only what changed does so, the rest
  of the build runs again;
- the same build again in a new process, taking what the build before kept
  on disk (typed records, files the leak scan found clean, pages as the
  search step read them);
- the floor: Jinja alone rendering the same pages from the same contexts and
  writing them, in one process, measured in the same run (a recording build
  takes each context as Pelican's writer hands it to the template) and checked
  byte for byte against what the build wrote;
- the ratio of build to floor, the cores the build used (CPU time of the build
  and its workers over wall time) and peak memory (the build's own process,
  and its largest worker);
- the largest HTML page, which a resident's phone has to load.

Board notices (PDF) are left out unless --notices is given: on a cold cache
each costs about half a second of CPU, and they are cached by content, so a
rebuild pays only for committees whose notice changed.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from disclosure.cli import commands, staging  # noqa: E402
from disclosure.core import collector, phases, workers  # noqa: E402

AS_OF = "2026-11-26"
SCALES = ("600/300", "2000/1000", "6000/3000")
# the build's phases in the order they run; "other" is the rest of the build
# (Pelican reading and writing its own pages, static files, site files)
PHASES = (
    "load",
    "validate",
    "views",
    "notices",
    "calendars",
    "open data",
    "render",
    "search",
    "leak scan",
    "keep unchanged",
    "swap",
    "lay over",
)


def make_content(target: Path, count: int, events: int, distinct: bool = False) -> None:
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
        if distinct:
            text = own_roads_and_numbers(text, number)
        (folder / f"committee-{number:05d}.yaml").write_text(text, encoding="utf-8")
    # every generated committee takes part, so the catalogue's rules run on all
    catalogue = target / "data" / "catalogue.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    start = lines.index("committees:")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  - "))
    listed = [f"  - committee-{number:05d}" for number in range(count)]
    catalogue.write_text("\n".join(lines[: start + 1] + listed + lines[end:]) + "\n", "utf-8")
    make_events(target / "data" / "events", events, count)


_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)021-?(\d{4}) ?(\d{4})(?!\d)")
_ROAD_CODE = "甲乙丙丁戊己庚辛壬癸"


def own_roads_and_numbers(text: str, number: int) -> str:
    """A committee's roads and phone numbers its own, as a real city's are:
    copies of the examples share them, which hides what grows with distinct
    values (the roads W130 compares, the numbers the leak scan looks for).
    A number written twice in one file stays one number."""
    code = "".join(_ROAD_CODE[int(digit)] for digit in f"{number:05d}")
    text = _MOBILE.sub(lambda m: f"{m[1]}{number % 10_000:04d}{m[3]}", text)
    text = _LANDLINE.sub(lambda m: f"021-{5000 + number % 5000:04d} {m[2]}", text)
    return "\n".join(
        line.replace("路", f"{code}路") if line.startswith(("address:", "addresses:")) else line
        for line in text.split("\n")
    )


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


_CLOSING_TIME = re.compile(r"^(\s*hours: \d{1,2}:\d{2}-\d{1,2}:)(\d{2})\s*$", re.MULTILINE)


def edit_one(content: Path) -> str:
    """Change when one committee closes, as staff would; the file changed."""
    for path in sorted((content / "data" / "committees").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        edited = _CLOSING_TIME.sub(r"\g<1>45", text, count=1)
        if edited != text:
            path.write_text(edited, encoding="utf-8")
            return path.name
    raise SystemExit("no committee has hours to edit")


def settings_for(content: Path, cache: Path, **more) -> dict:
    """The bench's settings: its content and cache folder, its day."""
    return {"PATH": str(content), "CACHE_PATH": str(cache), "DISCLOSURE_AS_OF": AS_OF, **more}


def validate_seconds(content: Path, cache: Path) -> float:
    """`validate` of `content` as staff run it, timed in this (fresh) process."""
    started = time.perf_counter()
    status = commands.validate_site(
        ROOT / "pelicanconf.py", settings_for(content, cache), out=io.StringIO()
    )
    seconds = time.perf_counter() - started
    assert status == 0
    return seconds


def build_seconds(overrides: dict) -> float:
    """A build, timed in this (fresh) process."""
    return commands.build_site(ROOT / "pelicanconf.py", overrides=overrides).seconds


def _in_new_process(*args: str, notices: bool = False) -> list[str]:
    """What this script says when run with `args` (hidden options below)."""
    return subprocess.run(
        [sys.executable, __file__, *args] + (["--notices"] if notices else []),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _without_notices() -> None:
    from disclosure.notices import generator

    generator.weasyprint_tools = lambda: None


def measure(committees: int, events: int, notices: bool, distinct: bool = False) -> dict:
    """One scale, in this process (board notices left out by `main` unless `notices`)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        make_content(content, committees, events, distinct)

        # validate keeps its typed records apart, so that the build types all
        validated = [
            float(_in_new_process("--validate", str(content), f"{tmp}/validated")[-1])
            for _ in range(2)
        ]

        output = Path(tmp) / "output"
        overrides = settings_for(content, Path(tmp) / "cache", OUTPUT_PATH=str(output))
        cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
        result = commands.build_site(ROOT / "pelicanconf.py", overrides=overrides)
        cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu
        timings = dict(phases.timings)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = sorted(output.rglob("*.html"))
        largest = max(pages, key=lambda p: p.stat().st_size)
        largest_page, largest_kb = largest.relative_to(output).as_posix(), largest.stat().st_size
        # as `serve` builds: the first build's pages keyed, then the edit's build
        # takes every page whose key is the same (page_keys)
        commands.build_site(ROOT / "pelicanconf.py", overrides=overrides, keep_pages=True)
        collector.settle()  # as serve does once a build is live, before the next save
        edited = edit_one(content)
        again = commands.build_site(ROOT / "pelicanconf.py", overrides=overrides, keep_pages=True)
        rebuild_phases = dict(phases.timings)
        # nothing of this process's left on the disk while the next are timed
        staging.wait_for_discards()
        kept = Path(tmp) / "kept"
        kept_build = float(
            _in_new_process("--build", str(content), str(kept), f"{tmp}/cache", notices=notices)[-1]
        )
        shutil.rmtree(kept)
        # in a process of its own, as fresh as the build's was: nothing this
        # one keeps between builds weighs on the floor
        said = _in_new_process(
            "--floor", str(content), str(output), tmp, f"{tmp}/cache", notices=notices
        )
        floor_seconds, rendered = float(said[-2]), int(said[-1])
    return {
        "committees": committees,
        "events": events,
        "notices": notices,
        "distinct": distinct,
        "validate": validated[0],
        "validate_kept": validated[1],
        "build": result.seconds,
        "kept_build": kept_build,
        "edited": edited,
        "rebuild": again.seconds,
        "rebuild_written": again.changes.written if again.changes else None,
        "rebuild_phases": rebuild_phases,
        "phases": timings,
        "floor": floor_seconds,
        "pages": len(pages),
        "rendered": rendered,
        "cores": cpu / result.seconds,
        "available": workers.available_cores(),
        "peak_mb": peak,
        "worker_peak_mb": worker_peak,
        "largest_page": largest_page,
        "largest_kb": largest_kb / 1024,
    }


def floor(overrides: dict, built: Path, tmp: Path) -> tuple[float, int]:
    """Seconds for Jinja alone to render and write every page the build wrote,
    from the contexts a recording build hands its templates; checked byte for byte."""
    import jinja2

    recorded: list[tuple[jinja2.Template, dict]] = []
    render = jinja2.Template.render

    def recording(template, *args, **kwargs):
        context = dict(*args, **kwargs)
        if "output_file" in context:  # a page (not a board notice's layout)
            recorded.append((template, context))
        return render(template, context)

    jinja2.Template.render = recording
    try:
        commands.build_site(
            ROOT / "pelicanconf.py",
            overrides={**overrides, "OUTPUT_PATH": str(tmp / "recorded"), "DISCLOSURE_WORKERS": 1},
        )
    finally:
        jinja2.Template.render = render
    target = tmp / "floor"
    started = time.perf_counter()
    for template, context in recorded:
        path = target / context["output_file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.render(context), encoding="utf-8")
    seconds = time.perf_counter() - started
    differ = [
        name
        for name in (context["output_file"] for _, context in recorded)
        if (target / name).read_bytes() != (built / name).read_bytes()
    ]
    assert not differ, f"the floor's pages differ from the build's: {differ[:5]}"
    return seconds, len(recorded)


def report(m: dict) -> str:
    build = m["build"]
    lines = [
        f"committees: {m['committees']}, events: {m['events']}"
        + ("" if m["notices"] else " (board notices left out: --notices to make them)")
        + (", each committee with roads and numbers of its own" if m["distinct"] else ""),
        f"  validate:  {m['validate']:.2f} s (every record typed); {m['validate_kept']:.2f} s"
        " again in a new process (typed records read from disk)",
        f"  build:     {build:.2f} s ({m['pages']} HTML pages)",
    ]
    timings = m["phases"]
    for name in PHASES:
        if name in timings:
            lines.append(f"    {name + ':':<11}{timings[name]:6.2f} s")
    other = build - sum(v for k, v in timings.items() if k in PHASES)
    lines.append(f"    {'other:':<11}{other:6.2f} s")
    lines += [
        f"  edit one:  {m['rebuild']:.2f} s ({m['edited']} edited, built again in the same"
        f" process as serve does; {m['rebuild_written']} files written)",
    ]
    timings = m["rebuild_phases"]
    for name in PHASES:
        if name in timings:
            lines.append(f"    {name + ':':<11}{timings[name]:6.2f} s")
    other = m["rebuild"] - sum(v for k, v in timings.items() if k in PHASES)
    lines.append(f"    {'other:':<11}{other:6.2f} s")
    lines += [
        f"  floor:     {m['floor']:.2f} s (Jinja alone, one process, {m['rendered']} pages,"
        " byte-identical)",
        f"  ratio:     {build / m['floor']:.2f}× the floor",
        f"  build again in a new process, with what the first kept on disk:"
        f" {m['kept_build']:.2f} s ({m['kept_build'] / m['floor']:.2f}× the floor)",
        f"  cores:     {m['cores']:.2f} used of {m['available']}",
        f"  memory:    {m['peak_mb']:.0f} MB peak (build), {m['worker_peak_mb']:.0f} MB"
        " (largest worker)",
        f"  largest page: {m['largest_kb']:.0f} KB ({m['largest_page']})",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        action="append",
        metavar="COMMITTEES/EVENTS",
        help=f"a size to measure; may be given again (default: {', '.join(SCALES)})",
    )
    parser.add_argument("--committees", type=int, help="with --events: one scale")
    parser.add_argument("--events", type=int)
    parser.add_argument("--notices", action="store_true", help="make the board notices too")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="give each generated committee roads and phone numbers of its own",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a scale, measured in this process
    parser.add_argument("--validate", nargs=2, help=argparse.SUPPRESS)  # content, cache
    parser.add_argument("--build", nargs=3, help=argparse.SUPPRESS)  # content, output, cache
    parser.add_argument("--floor", nargs=4, help=argparse.SUPPRESS)  # content, built, tmp, cache
    args = parser.parse_args()
    if args.validate:
        print(validate_seconds(*(Path(arg) for arg in args.validate)))
        return 0
    if not args.notices:
        _without_notices()
    if args.build:
        content, output, cache = args.build
        print(build_seconds(settings_for(Path(content), Path(cache), OUTPUT_PATH=output)))
        return 0
    if args.floor:
        content, built, tmp, cache = (Path(arg) for arg in args.floor)
        overrides = settings_for(content, cache)
        print(*floor(overrides, built, tmp))
        return 0
    if args.one:
        committees, events = (int(n) for n in args.one.split("/"))
        print(json.dumps(measure(committees, events, args.notices, args.distinct)))
        return 0
    scales = args.scale or (
        [f"{args.committees}/{args.events or 0}"] if args.committees else list(SCALES)
    )
    for scale in scales:
        command = [sys.executable, __file__, "--one", scale]
        finished = subprocess.run(
            command
            + (["--notices"] if args.notices else [])
            + (["--distinct"] if args.distinct else []),
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            print(finished.stdout + finished.stderr, file=sys.stderr)
            return finished.returncode
        print(report(json.loads(finished.stdout.splitlines()[-1])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
