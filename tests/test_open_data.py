"""Open data (data/*.json, data/*.csv, data.json): real builds into tmp_path,
read back as a program, a spreadsheet and a catalogue reader would read them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import AS_OF, PUBLISHED_URL, ROOT, build, committee_file, publish, replace_in
from disclosure import output_scan
from disclosure.cli import commands
from disclosure.core import memo
from disclosure.core.problems import RecordsInvalid
from disclosure.open_data import catalogue as dcat
from disclosure.open_data.csv_text import FORMULA_STARTS, csv_bytes, safe_cell
from disclosure.open_data.tables import Column, Table
from disclosure.pipeline import check
from disclosure.publishing import gate
from disclosure.values.phones import digit_runs
from html_text import text
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator

DATA_FILES = {
    "committees.json": "committees",
    "events.json": "events",
    "plan_tasks.json": "tasks",
}
CSV_FILES = {
    "committees.csv": "committees",
    "committee_block_leaders.csv": "block_leaders",
    "committee_emergency_contacts.csv": "emergency_contacts",
    "events.csv": "events",
    "event_occurrences.csv": "occurrences",
    "plan_tasks.csv": "tasks",
    "plan_updates.csv": "updates",
}
# The JSON array each CSV's rows are in, and the parent array when nested.
NESTED = {
    "block_leaders": ("committees.json", "committees", {"committee_slug": "slug"}),
    "emergency_contacts": ("committees.json", "committees", {"committee_slug": "slug"}),
    "occurrences": ("events.json", "events", {"event_year": "year", "event_slug": "slug"}),
    "updates": ("plan_tasks.json", "tasks", {"plan": "plan", "task_id": "task_id"}),
}
PARENT_COPIES = {"committee_name", "event_title", "task_title"}
MOBILE = "13642116136"  # 陆桂英, block leader of 日晖六村, who did not consent


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has no BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = rows[0]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def read_json(path: Path):
    return json.loads(path.read_text("utf-8"))


def as_cell(value) -> str:
    """How a JSON value is written in a CSV cell, said again independently."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


# ---- JSON and its schemas ----------------------------------------------------------


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_json_file_validates_against_its_draft_07_schema(example_site, name):
    document = read_json(example_site / "data" / name)
    schema_path = example_site / "data" / document["$schema"]
    schema = read_json(schema_path)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=str)
    assert errors == []
    assert document[DATA_FILES[name]], "no rows"


def test_the_schema_says_an_unconsented_number_is_left_out(example_site):
    schema = read_json(example_site / "data/committees.schema.json")
    leader = schema["properties"]["committees"]["items"]["properties"]["block_leaders"]["items"]
    phone = leader["properties"]["phone"]
    assert {"type": "null"} in phone["anyOf"]
    assert "未经本人同意公开的号码不出现在数据中" in phone["description"]
    assert "phone_withheld" in leader["required"]


def test_a_changed_record_that_breaks_the_schema_is_caught(example_site):
    """The schemas are strict enough to notice a wrong type or an extra field."""
    document = read_json(example_site / "data/events.json")
    schema = read_json(example_site / "data/events.schema.json")
    document["events"][0]["start"] = "2020年9月1日"
    document["events"][1]["surprise"] = 1
    messages = [e.message for e in Draft7Validator(schema).iter_errors(document)]
    assert any("surprise" in m for m in messages), messages
    assert any("2020年9月1日" in m for m in messages), messages


# ---- CSV as Excel and WPS read it --------------------------------------------------


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_is_utf8_with_bom_crlf_and_agrees_with_the_json(example_site, name):
    path = example_site / "data" / name
    raw = path.read_bytes()
    header, rows = read_csv(path)
    assert rows
    # every record ends in CRLF; a bare LF only inside a quoted cell
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\r\n") >= len(rows) + 1
    assert b"\r" not in raw.replace(b"\r\n", b"")
    key = CSV_FILES[name]
    if key in NESTED:
        parent_file, parent_key, link = NESTED[key]
        objects = []
        for parent in read_json(example_site / "data" / parent_file)[parent_key]:
            for child in parent[key]:
                objects.append(
                    {child_col: parent[parent_col] for child_col, parent_col in link.items()}
                    | child
                )
        header = [h for h in header if h not in PARENT_COPIES]
    else:
        objects = read_json(example_site / "data" / f"{name.removesuffix('.csv')}.json")[key]
        assert header == list(objects[0])[: len(header)]
    assert len(objects) == len(rows)
    for row, item in zip(rows, objects, strict=True):
        assert {h: row[h] for h in header} == {h: as_cell(item[h]) for h in header}


def test_committee_rows_match_the_records(example_site):
    _, committees = read_csv(example_site / "data/committees.csv")
    row = next(r for r in committees if r["slug"] == "rihui-liucun")
    assert row["name"] == "日晖六村居民区"
    assert row["office_phone"] == "021-6418 1185"
    assert row["office_tel"] == "02164181185"
    assert row["verified"] == "2026-11-22"
    assert row["service_hours"].startswith("周一至周五 08:30–11:30、13:00–17:00；")
    assert "2026年12月10日（周四）：全体社工参加区里培训" in row["closures"]
    assert "国庆" not in row["closures"]  # past closures are not listed
    assert row["url"] == "../committees/rihui-liucun/"
    assert len(committees) == 19

    _, leaders = read_csv(example_site / "data/committee_block_leaders.csv")
    ours = [r for r in leaders if r["committee_slug"] == "rihui-liucun"]
    assert int(row["block_leaders_count"]) == len(ours)
    by_name = {r["name"]: r for r in ours}
    assert by_name["陆桂英"] | {"buildings": ""} == {
        "committee_slug": "rihui-liucun",
        "committee_name": "日晖六村居民区",
        "name": "陆桂英",
        "section": "第二片",
        "buildings": "",
        "phone": "",
        "tel": "",
        "phone_withheld": "是",
    }
    assert by_name["陆桂英"]["buildings"].startswith("8号楼；9号楼；")
    assert (by_name["曹建国"]["phone"], by_name["曹建国"]["tel"]) == ("15890688082",) * 2
    assert by_name["曹建国"]["phone_withheld"] == "否"

    _, contacts = read_csv(example_site / "data/committee_emergency_contacts.csv")
    duty = next(
        r
        for r in contacts
        if r["committee_slug"] == "rihui-liucun" and r["role"] == "夜间及节假日值班手机"
    )
    assert duty["tel"] == "18953885767"
    assert duty["hours"] == "周一至周五 00:00–08:30、17:00–24:00；周六、周日 00:00–24:00"


def test_event_rows_give_iso_times_in_shanghai(example_site):
    _, events = read_csv(example_site / "data/events.csv")
    by_key = {(r["year"], r["slug"]): r for r in events}
    moved = by_key[("2020", "shudian-zhi-ye")]
    assert moved["status"] == "postponed"
    assert moved["status_text"] == "已改期"
    assert moved["start"] == "2020-10-17T19:00:00+08:00"
    assert moved["end"] == "2020-10-17T20:30:00+08:00"
    assert moved["original_start"] == "2020-09-12T19:00:00+08:00"
    assert moved["registration_phone"] == "021-6401 5586"
    assert moved["registration_tel"] == "02164015586"
    assert moved["committee_slug"] == "haipo-xuhui"
    assert moved["url"] == "../events/2020/shudian-zhi-ye/"
    assert moved["calendar_url"] == "../events/2020/shudian-zhi-ye.ics"
    weekly = by_key[("2020", "baduanjin")]
    _, dates = read_csv(example_site / "data/event_occurrences.csv")
    held = [d for d in dates if d["event_slug"] == "baduanjin" and d["skipped"] == "否"]
    assert int(weekly["occurrence_count"]) == len(held) == 17
    for event in events:
        for field in ("start", "end"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+08:00)?", event[field]), (
                event
            )
        assert (event["all_day"] == "是") == ("T" not in event["start"])


def test_plan_rows_say_what_the_task_pages_say(example_site):
    _, tasks = read_csv(example_site / "data/plan_tasks.csv")
    task = next(t for t in tasks if t["task_id"] == "linli-xiaohui")
    page = text(example_site / "plans/2020-h2/tasks/linli-xiaohui/index.html")
    assert task["status"] == "滞后"
    assert task["status"] in page
    assert task["progress_text"] in page
    assert task["target"] and task["target"] in page
    assert task["due"] == "2020-12-31" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", task["due"])
    assert task["url"] == "../plans/2020-h2/tasks/linli-xiaohui/"
    _, updates = read_csv(example_site / "data/plan_updates.csv")
    ours = [u for u in updates if u["task_id"] == "linli-xiaohui"]
    assert ours and ours[-1]["date"] == task["latest_update"]
    assert ours[-1]["value"] == task["latest_value"]


def test_links_in_the_data_files_resolve_from_where_they_are(example_site):
    folder = example_site / "data"
    checked = 0
    for path in folder.glob("*.csv"):
        _, rows = read_csv(path)
        for row in rows:
            for column in ("url", "calendar_url"):
                if row.get(column):
                    target = urlsplit(urljoin("http://x/data/" + path.name, row[column])).path
                    file = example_site / target.lstrip("/")
                    assert (file / "index.html" if target.endswith("/") else file).is_file()
                    checked += 1
    assert checked > 100


# ---- values that could harm a spreadsheet -------------------------------------------

HOSTILE = {
    "title": '=HYPERLINK("http://x","点我")',
    "summary": "+1",
    "venue": "-2",
    "organiser": "@SUM(1)",
    "fee": "<b>免费</b>",
}


def test_safe_cell_prefixes_every_formula_start():
    for start in FORMULA_STARTS:
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("日晖 =1") == "日晖 =1"
    assert safe_cell("") == ""
    raw = csv_bytes(["a"], [['say "hi", then\nleave']])
    assert raw == '\ufeffa\r\n"say ""hi"", then\nleave"\r\n'.encode()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    import shutil

    shutil.copytree(ROOT / "content", content)
    event = content / "data/events/2020/shudian-zhi-ye.yaml"
    for field, value in HOSTILE.items():
        source = event.read_text("utf-8")
        line = next(li for li in source.splitlines() if li.startswith(f"{field}:"))
        replace_in(event, line, f"{field}: {json.dumps(value, ensure_ascii=False)}")
    # a published number typed with +86 starts with a formula character too
    leader = committee_file(content)
    replace_in(leader, "phone: 15890688082", 'phone: "+86 158 9068 8082"')
    build(content, root / "output")
    return root / "output"


def test_hostile_values_cannot_run_as_formulas_and_stay_text(hostile_site):
    raw = (hostile_site / "data/events.csv").read_text("utf-8-sig")
    _, rows = read_csv(hostile_site / "data/events.csv")
    row = next(r for r in rows if r["slug"] == "shudian-zhi-ye")
    for field, value in HOSTILE.items():
        expected = "'" + value if value[0] in "=+-@" else value
        assert row[field] == expected, field
    # no cell of any CSV starts a formula
    for path in (hostile_site / "data").glob("*.csv"):
        for cells in csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "&lt;b&gt;" not in raw  # markup is text, not escaped into entities
    event = next(
        e
        for e in read_json(hostile_site / "data/events.json")["events"]
        if e["slug"] == "shudian-zhi-ye"
    )
    assert {field: event[field] for field in HOSTILE} == HOSTILE  # JSON holds them as typed
    _, leaders = read_csv(hostile_site / "data/committee_block_leaders.csv")
    leader = next(r for r in leaders if r["name"] == "曹建国")
    assert leader["phone"] == "'+86 158 9068 8082"
    assert leader["tel"] == "15890688082"
    # and the 数据下载 page shows none of it
    assert "HYPERLINK" not in (hostile_site / "data/index.html").read_text("utf-8")


# ---- personal numbers ---------------------------------------------------------------


def _data_files(output: Path) -> list[Path]:
    return [output / "data.json", *sorted((output / "data").glob("*.*"))]


def test_no_data_file_holds_an_unconsented_number_in_any_spelling(example_site):
    numbers = check(ROOT / "content", date.fromisoformat(AS_OF)).site.unpublished_numbers
    assert numbers, "the example has numbers that must stay masked"
    assert any(MOBILE.endswith(digits) for digits in numbers)
    files = _data_files(example_site)
    assert len(files) == 15  # the catalogue, 3 JSON, 3 schemas, 7 CSV and the page
    for path in files:
        shown = path.read_text("utf-8")
        for view in output_scan.views(path, shown):
            for run in digit_runs(view):
                for use in numbers.values():
                    assert use.phone.identifying not in run.digits, (path.name, use.phone.masked())
    # the build's own last check reads them too
    assert output_scan.scan(example_site / "data", numbers) == []


@pytest.mark.parametrize(
    "typed", ["+86 136 4211 6136", "１３６－４２１１－６１３６", "0086 13642116136"]
)
def test_an_unconsented_number_however_typed_is_left_out(content, tmp_path, typed):
    replace_in(committee_file(content), f"phone: {MOBILE}", f'phone: "{typed}"')
    output = tmp_path / "output"
    build(content, output)
    for path in _data_files(output):
        assert not any(MOBILE in run.digits for run in digit_runs(path.read_text("utf-8")))
        assert "136****6136" not in path.read_text("utf-8"), path.name  # not even masked
    leader = next(
        leader
        for c in read_json(output / "data/committees.json")["committees"]
        if c["slug"] == "rihui-liucun"
        for leader in c["block_leaders"]
        if leader["name"] == "陆桂英"
    )
    assert (leader["phone"], leader["tel"], leader["phone_withheld"]) == (None, None, True)


# ---- the catalogue: DCAT 3 in JSON-LD ------------------------------------------------

# Each term data.json uses, and the IRI DCAT 3 (https://www.w3.org/TR/vocab-dcat-3/)
# gives the property or class, with the value's kind: an IRI (@id), a
# language-tagged text, or a typed literal.
DCAT_TERMS = {
    "Catalog": ("http://www.w3.org/ns/dcat#Catalog", None),
    "Dataset": ("http://www.w3.org/ns/dcat#Dataset", None),
    "Distribution": ("http://www.w3.org/ns/dcat#Distribution", None),
    "Organization": ("http://xmlns.com/foaf/0.1/Organization", None),
    "RightsStatement": ("http://purl.org/dc/terms/RightsStatement", None),
    "title": ("http://purl.org/dc/terms/title", "text"),
    "description": ("http://purl.org/dc/terms/description", "text"),
    "label": ("http://www.w3.org/2000/01/rdf-schema#label", "text"),
    "name": ("http://xmlns.com/foaf/0.1/name", "text"),
    "identifier": ("http://purl.org/dc/terms/identifier", None),
    "keyword": ("http://www.w3.org/ns/dcat#keyword", "text"),
    "publisher": ("http://purl.org/dc/terms/publisher", None),
    "homepage": ("http://xmlns.com/foaf/0.1/homepage", "@id"),
    "landingPage": ("http://www.w3.org/ns/dcat#landingPage", "@id"),
    "language": ("http://purl.org/dc/terms/language", "@id"),
    "rights": ("http://purl.org/dc/terms/rights", None),
    "modified": ("http://purl.org/dc/terms/modified", "http://www.w3.org/2001/XMLSchema#date"),
    "accrualPeriodicity": ("http://purl.org/dc/terms/accrualPeriodicity", "@id"),
    "dataset": ("http://www.w3.org/ns/dcat#dataset", None),
    "distribution": ("http://www.w3.org/ns/dcat#distribution", None),
    "accessURL": ("http://www.w3.org/ns/dcat#accessURL", "@id"),
    "downloadURL": ("http://www.w3.org/ns/dcat#downloadURL", "@id"),
    "mediaType": ("http://www.w3.org/ns/dcat#mediaType", "@id"),
    "format": ("http://purl.org/dc/terms/format", "@id"),
    "conformsTo": ("http://purl.org/dc/terms/conformsTo", "@id"),
    "byteSize": (
        "http://www.w3.org/ns/dcat#byteSize",
        "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
    ),
}
# What each class must say here: DCAT-AP's mandatory properties and the
# ones this site promises (title, description, publisher, modified, and a
# distribution's downloadURL, mediaType, format and byte size).
REQUIRED = {
    "Catalog": {"title", "description", "publisher", "dataset", "modified", "rights"},
    "Dataset": {"title", "description", "publisher", "identifier", "distribution", "modified"},
    "Distribution": {"accessURL", "downloadURL", "mediaType", "format", "byteSize", "title"},
    "Organization": {"name"},
    "RightsStatement": {"label"},
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _expand(value: str, context: dict) -> str:
    """A term's or a compact IRI's full IRI under the context (JSON-LD 1.1, 4.1 and 4.2.2)."""
    definition = context.get(value, value)
    iri = definition["@id"] if isinstance(definition, dict) else definition
    prefix, _, rest = iri.partition(":")
    if isinstance(context.get(prefix), str) and not rest.startswith("//"):
        return context[prefix] + rest
    return iri


def _coercion(term: str, context: dict) -> str | None:
    definition = context[term]
    if not isinstance(definition, dict):
        return None
    if "@language" in definition:
        return "text"
    kind = definition.get("@type")
    return _expand(kind, context) if kind and kind != "@id" and ":" in kind else kind


def check_dcat(document: dict, base: str) -> list[str]:
    """Whether data.json is DCAT 3 as JSON-LD: every term maps to DCAT's IRI,
    every node says what the class needs, values have the kind their term
    promises. Returns what is wrong."""
    wrong: list[str] = []
    context = document.get("@context")
    if not isinstance(context, dict):
        return ["@context must be inline"]
    for term, (iri, kind) in DCAT_TERMS.items():
        if term in context:
            if _expand(term, context) != iri:
                wrong.append(f"{term} is {_expand(term, context)}, not {iri}")
            if kind and _coercion(term, context) != kind:
                wrong.append(f"{term} is coerced to {_coercion(term, context)}, not {kind}")

    def node(value: dict, where: str) -> None:
        kind = value.get("@type")
        if kind not in REQUIRED:
            wrong.append(f"{where}: @type {kind!r}")
            return
        if _expand(kind, context) != DCAT_TERMS[kind][0]:
            wrong.append(f"{where}: {kind} is not {DCAT_TERMS[kind][0]}")
        missing = REQUIRED[kind] - set(value)
        if missing:
            wrong.append(f"{where}: {kind} lacks {sorted(missing)}")
        for key, item in value.items():
            if key.startswith("@"):
                continue
            if key not in context or key not in DCAT_TERMS:
                wrong.append(f"{where}: {key} is not a DCAT term of this context")
                continue
            coerced = _coercion(key, context)
            for one in item if isinstance(item, list) else [item]:
                here = f"{where}.{key}"
                if isinstance(one, dict):
                    node(one, here)
                elif coerced == "@id":
                    if not isinstance(one, str) or not one:
                        wrong.append(f"{here}: not an IRI")
                elif coerced and coerced.endswith("#date"):
                    if not _ISO_DATE.fullmatch(str(one)):
                        wrong.append(f"{here}: not xsd:date")
                elif coerced and coerced.endswith("#nonNegativeInteger"):
                    if not isinstance(one, int) or one < 0:
                        wrong.append(f"{here}: not a non-negative integer")
                elif not isinstance(one, str):
                    wrong.append(f"{here}: not text")

    node(document, "data.json")
    if urljoin(base, document.get("@id", "")) != urljoin(base, "data.json"):
        wrong.append("the catalogue's @id is not its own address")
    return wrong


def _resolve(output: Path, base: str, iri: str) -> Path:
    """The written file an IRI in data.json names (relative ones against data.json's URL)."""
    absolute = urljoin(base + "data.json", iri)
    assert absolute.startswith(base), absolute
    rest = urlsplit(absolute[len(base) :]).path
    return output / (rest + "index.html" if rest.endswith("/") or not rest else rest)


def _check_catalogue(output: Path, base: str) -> dict:
    document = read_json(output / "data.json")
    assert check_dcat(document, base) == []
    seen = set()
    for dataset in document["dataset"]:
        assert _resolve(output, base, dataset["landingPage"]).is_file()
        for distribution in dataset["distribution"]:
            file = _resolve(output, base, distribution["downloadURL"])
            assert file.is_file(), distribution["downloadURL"]
            assert file.stat().st_size == distribution["byteSize"]
            kind = {".csv": "text/csv", ".json": "application/json"}[file.suffix]
            assert distribution["mediaType"] == dcat.IANA_MEDIA_TYPES + kind
            assert distribution["format"] == dcat.EU_FILE_TYPE + file.suffix[1:].upper()
            if file.suffix == ".json":
                schema = _resolve(output, base, distribution["conformsTo"])
                assert schema.name == read_json(file)["$schema"]
                Draft7Validator.check_schema(read_json(schema))
            seen.add(file.name)
    assert seen == set(DATA_FILES) | set(CSV_FILES)
    return document


def test_data_json_is_a_dcat_3_catalogue_whose_links_reach_written_files(example_site):
    document = _check_catalogue(example_site, "http://site.invalid/")
    # dates are the records' own, not the day of the build
    records = check(ROOT / "content", date.fromisoformat(AS_OF)).site
    newest_event = max(e.updated or e.announced for e in records.events)
    modified = {d["identifier"]: d["modified"] for d in document["dataset"]}
    assert modified["events"] == newest_event.isoformat()
    assert document["modified"] == max(modified.values())
    assert document["modified"] != AS_OF


def test_the_dcat_check_notices_what_is_wrong(example_site):
    document = read_json(example_site / "data.json")
    document["@context"]["downloadURL"] = {"@id": "dcat:accessURL", "@type": "@id"}
    del document["dataset"][0]["distribution"][0]["mediaType"]
    document["dataset"][1]["distribution"][0]["byteSize"] = "large"
    document["dataset"][2]["size"] = 3
    wrong = check_dcat(document, "http://site.invalid/")
    assert any(w.startswith("downloadURL is http://www.w3.org/ns/dcat#accessURL") for w in wrong)
    assert any("lacks ['mediaType']" in w for w in wrong)
    assert any("byteSize: not a non-negative integer" in w for w in wrong)
    assert any("size is not a DCAT term" in w for w in wrong)


def test_a_published_site_gives_absolute_links_and_passes_the_gate(tmp_path):
    output = tmp_path / "output"
    status, said = publish(ROOT / "content", output)
    assert status == 0, said
    base = PUBLISHED_URL + "/"
    document = _check_catalogue(output, base)
    assert all(
        d["downloadURL"].startswith(base)
        for dataset in document["dataset"]
        for d in dataset["distribution"]
    )
    committees = read_json(output / "data/committees.json")
    assert committees["url"] == base + "data/"
    assert committees["committees"][0]["url"].startswith(base + "committees/")
    assert committees["sample_data"] is True


def test_the_gate_follows_links_in_data_files(tmp_path):
    folder = tmp_path / "site"
    (folder / "data").mkdir(parents=True)
    (folder / "data/index.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>数据</title>'
        '</head><body><main id="main"><h1 id="events">数据</h1></main></body></html>',
        "utf-8",
    )
    (folder / "data.json").write_text(
        json.dumps(
            {
                "dataset": [
                    {
                        "landingPage": "https://x.gov.cn/j/data/#events",
                        "distribution": [{"downloadURL": "https://x.gov.cn/j/data/gone.csv"}],
                    }
                ]
            }
        ),
        "utf-8",
    )
    (folder / "data/events.json").write_text(
        json.dumps({"events": [{"calendar_url": "../events/gone.ics"}]}), "utf-8"
    )
    found = [str(p) for p in gate.check_site(folder, "https://x.gov.cn/j", "output")]
    links = [p for p in found if " G00" in p]
    assert any('G001 链接 "https://x.gov.cn/j/data/gone.csv"' in p for p in links), found
    assert any('G001 链接 "../events/gone.ics"' in p for p in links), found
    assert len(links) == 2, links


# ---- the 数据下载 page and its settings ------------------------------------------------


def test_the_data_page_explains_every_file_with_its_size(example_site):
    page = example_site / "data/index.html"
    shown = text(page)
    html = page.read_text("utf-8")
    for name in [*DATA_FILES, *CSV_FILES, "committees.schema.json"]:
        assert f'href="../data/{name}"' in html, name
    assert 'href="../data.json"' in html
    size = (example_site / "data/committees.json").stat().st_size
    assert f"{size / 1024:.0f} KB" in shown
    assert "本站数据可自由使用、复制、传播和再加工，请注明来源。" in shown
    for words in ("phone_withheld", "UTF-8", "；", "+08:00", "DCAT 3", "紧急联络机制每 30 天"):
        assert words in shown, words
    # every page links to it, once, from the footer
    assert 'href="../data/">数据下载</a>' in (example_site / "committees/index.html").read_text()


def test_the_licence_and_place_follow_the_settings(content, tmp_path):
    output = tmp_path / "output"
    build(
        content,
        output,
        DISCLOSURE_DATA_LICENCE="按知识共享署名 4.0 协议使用。",
        DATA_URL="opendata/",
        DATA_CATALOG_URL="catalog.json",
    )
    assert "按知识共享署名 4.0 协议使用。" in text(output / "opendata/index.html")
    assert read_json(output / "opendata/events.json")["licence"] == "按知识共享署名 4.0 协议使用。"
    catalogue = read_json(output / "catalog.json")
    assert catalogue["rights"]["label"] == "按知识共享署名 4.0 协议使用。"
    assert catalogue["dataset"][0]["distribution"][0]["downloadURL"] == "opendata/committees.json"
    assert not (output / "data").exists()


def test_a_content_page_cannot_take_the_data_page(content, tmp_path):
    (content / "pages/data.md").write_text("Title: 数据\nSlug: data\n\n正文。\n", "utf-8")
    with pytest.raises(RecordsInvalid) as refused:
        build(content, tmp_path / "output")
    assert any(p.code == "E613" and "DATA_URL" in p.message for p in refused.value.problems), (
        refused.value.problems
    )


def test_a_misspelt_data_setting_is_named():
    from disclosure.settings import settings_problems

    assert settings_problems({"DATA_URLS": "opendata/"}) == [
        "S011 不认识的设置 DATA_URLS：是否想写 DATA_URL？"
    ]
    assert settings_problems({"DISCLOSURE_DATA_LICENCE": 4}) == [
        "S012 设置 DISCLOSURE_DATA_LICENCE 应为 文字（加引号），实际为 4"
    ]


def test_a_build_again_in_the_process_makes_rows_only_for_what_changed(
    content, tmp_path, monkeypatch
):
    # serve builds again after every save: the rows of the records it did not
    # touch are the ones it made before
    from disclosure.open_data import committees, events

    made = []
    for module in (committees, events):
        real = module._rows
        monkeypatch.setattr(
            module,
            "_rows",
            lambda record, *rest, real=real: made.append(record.slug) or real(record, *rest),
        )

    def serve_build() -> None:  # a build followed by another in this process
        overrides = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output")}
        overrides["DISCLOSURE_AS_OF"] = AS_OF
        commands.build_site(ROOT / "pelicanconf.py", overrides=overrides, keep_pages=True)

    serve_build()
    assert len(made) > 19
    made.clear()
    replace_in(committee_file(content), "hours: 18:00-20:00", "hours: 18:00-21:00")
    serve_build()
    assert made == ["rihui-liucun"]
    # and the change is in the files (test_incremental holds them to a fresh build's)
    rows = list(
        csv.DictReader(
            io.StringIO((tmp_path / "output/data/committees.csv").read_text("utf-8-sig"))
        )
    )
    [row] = [r for r in rows if r["slug"] == "rihui-liucun"]
    assert "18:00–21:00" in row["service_hours"]


# ---- rows by record: what a save did not change is not worked out again ------------

_PARENT_COLUMNS = [Column("slug", "编号"), Column("name", "名称")]
_CHILD_COLUMNS = [
    Column("parent_slug", "所属编号", nested=False),
    Column("who", "姓名"),
    Column("when", "时间", "list"),
]


def _tables(records: list, by_record: bool, made: dict | None = None) -> Table:
    """`made`: each record's row and child rows as an earlier build made them,
    taken again for a record that did not change (as open_data's _ROWS does)."""
    rows, children, groups = [], [], []
    made = {} if made is None else made
    for slug, kids in records:
        key = (slug, repr(kids))
        if key not in made:
            group = tuple({"parent_slug": slug, "who": w, "when": when} for w, when in kids)
            made[key] = ({"slug": slug, "name": f"{slug}名"}, group)
        row, group = made[key]
        rows.append(row)
        children += group
        groups.append(group)
    child = Table(
        "kids", "子表", "", _CHILD_COLUMNS, children, key="kids", link={"parent_slug": "slug"},
        groups=groups if by_record else None,
    )  # fmt: skip
    return Table("parents", "父表", "", _PARENT_COLUMNS, rows, children=[child])


_RECORDS = st.lists(
    st.tuples(
        st.text("abc", min_size=1, max_size=3),
        st.lists(st.tuples(st.text('甲乙=,"', max_size=3), st.lists(st.text("一二", max_size=2)))),
    ),
    max_size=6,
    unique_by=lambda record: record[0],
)


@given(_RECORDS, _RECORDS)
def test_rows_by_record_are_the_rows_found_by_key(first, second):
    """The JSON and CSV of a table whose child rows are given by record are
    those of the same rows found by the parent's key, build after build."""
    made: dict = {}
    with memo.for_a_next_build(True):
        for records in (first, second, first, second):
            memo.next_build()
            by_record, by_key = _tables(records, True, made), _tables(records, False)
            assert by_record.json_rows() == by_key.json_rows()
            for table, found in zip(by_record.all_tables(), by_key.all_tables(), strict=True):
                assert table.csv() == found.csv()
