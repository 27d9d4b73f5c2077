"""Every open-data file as bytes, made before anything is written, so that the
数据下载 page can give each file's size; and writing them.

Where they go: the files sit in the folder of DATA_URL (data/committees.csv
beside data/index.html), the catalogue at DATA_CATALOG_URL (data.json at the
site's root, where catalogue readers look for it). Links inside them are
absolute when the site has an address, else relative to the file itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..settings import links_from, page_location, setting
from . import catalogue as dcat
from .tables import DocumentInfo, Table, document, document_schema, json_bytes

JSON_TYPE, CSV_TYPE = "application/json", "text/csv"


@dataclass
class DataFile:
    name: str
    url: str  # where it is, from the site's root
    content: bytes
    media_type: str
    file_type: str  # CSV or JSON
    title: str
    description: str
    table: Table | None = None  # the table a CSV holds, or a JSON's top table
    schema: DataFile | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def size_text(self) -> str:
        """1.2 KB, 35 KB, 1.4 MB: as file managers show sizes."""
        size = self.size
        if size < 1000:
            return f"{size} 字节"
        for unit, scale in (("KB", 1024), ("MB", 1024**2)):
            value = size / scale
            if value < 1000 or unit == "MB":
                return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
        raise AssertionError("unreachable")


@dataclass
class Dataset:
    key: str  # the anchor on the page and the catalogue's identifier
    title: str
    description: str
    frequency: str  # how often it changes, in words
    keywords: list[str]
    modified: date | None
    json: DataFile
    csv: list[DataFile]

    @property
    def files(self) -> list[DataFile]:
        return [self.json, *self.csv]

    @property
    def tables(self) -> list[Table]:
        return self.json.table.all_tables() if self.json.table else []


@dataclass
class OpenData:
    url: str  # the 数据下载 page
    catalogue: DataFile
    licence: str
    datasets: list[Dataset] = field(default_factory=list)

    def files(self) -> list[DataFile]:
        found = [self.catalogue]
        for dataset in self.datasets:
            for file in dataset.files:
                found.append(file)
                if file.schema is not None:
                    found.append(file.schema)
        return found

    def write(self, output: Path) -> None:
        for file in self.files():
            path = output / file.url
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(file.content)


@dataclass(frozen=True)
class DatasetSource:
    """One dataset before it is serialised: its table and its words."""

    key: str
    table: Table
    frequency: str
    keywords: list[str]
    modified: date | None


def folder_of(url: str) -> str:
    return url[: url.rfind("/") + 1]


def build(settings: dict, sources: list[DatasetSource], *, publisher: str) -> OpenData:
    page_url = page_location(settings, "DATA")[0]
    folder = folder_of(page_url)
    catalogue_url = page_location(settings, "DATA_CATALOG")[1]
    in_folder, at_catalogue = links_from(settings, folder), links_from(settings, catalogue_url)
    licence = str(setting(settings, "DISCLOSURE_DATA_LICENCE"))
    sample = bool(setting(settings, "DISCLOSURE_SAMPLE_DATA"))
    sitename = settings.get("SITENAME", "")
    datasets = []
    for source in sources:
        table = source.table
        schema_name = f"{table.name}.schema.json"
        info = DocumentInfo(
            title=f"{sitename}·{table.title}" + ("（示例数据）" if sample else ""),
            publisher=publisher,
            licence=licence,
            modified=source.modified,
            sample_data=sample,
            page_url=in_folder(page_url),
        )
        schema = DataFile(
            schema_name,
            folder + schema_name,
            json_bytes(document_schema(table, schema_name, table.key)),
            "application/schema+json",
            "JSON",
            f"{table.title}的数据格式（JSON Schema）",
            f"{table.name}.json 的字段和类型",
        )
        json_file = DataFile(
            f"{table.name}.json",
            f"{folder}{table.name}.json",
            json_bytes(document(table, schema_name, info, table.key)),
            JSON_TYPE,
            "JSON",
            f"{table.title}（JSON）",
            table.description
            + (
                "；每项含" + "和".join(f"{child.title}（{child.key}）" for child in table.children)
                if table.children
                else ""
            ),
            table=table,
            schema=schema,
        )
        csv_files = [
            DataFile(
                t.csv_name,
                folder + t.csv_name,
                t.csv(),
                CSV_TYPE,
                "CSV",
                f"{t.title}（CSV）",
                t.description,
                table=t,
            )
            for t in table.all_tables()
        ]
        datasets.append(
            Dataset(
                key=source.key,
                title=table.title,
                description=table.description,
                frequency=source.frequency,
                keywords=source.keywords,
                modified=source.modified,
                json=json_file,
                csv=csv_files,
            )
        )
    entries = [
        dcat.DatasetEntry(
            identifier=d.key,
            title=d.title + ("（示例数据）" if sample else ""),
            description=f"{d.description}。更新：{d.frequency}",
            keywords=d.keywords,
            modified=d.modified,
            landing_page=at_catalogue(f"{page_url}#{d.key}"),
            distributions=[
                dcat.Distribution(
                    title=f.title,
                    description=f.description,
                    download_url=at_catalogue(f.url),
                    media_type=f.media_type,
                    file_type=f.file_type,
                    byte_size=f.size,
                    schema_url=at_catalogue(f.schema.url) if f.schema else None,
                )
                for f in d.files
            ],
        )
        for d in datasets
    ]
    document_json = dcat.catalogue(
        catalogue_id=at_catalogue(catalogue_url),
        title=f"{sitename}·开放数据" + ("（示例数据）" if sample else ""),
        description=f"{publisher}公开的居委会、文化活动和工作计划数据，"
        "每份数据都有 JSON 和 CSV 两种格式",
        publisher=publisher,
        homepage=at_catalogue(""),
        access_url=at_catalogue(page_url),
        rights=licence,
        datasets=entries,
    )
    catalogue_file = DataFile(
        Path(catalogue_url).name,
        catalogue_url,
        json_bytes(document_json),
        "application/ld+json",
        "JSON_LD",
        "数据目录（DCAT 3，JSON-LD）",
        "全部数据文件的目录，供数据平台和程序自动读取",
    )
    return OpenData(page_url, catalogue_file, licence, datasets)
