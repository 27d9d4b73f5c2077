"""data.json: the catalogue of the open data, in DCAT 3 (W3C Recommendation,
https://www.w3.org/TR/vocab-dcat-3/) as JSON-LD.

The context is written inline, so the file names every term's IRI itself and
no reader (nor this build) has to fetch anything: `title` is dct:title,
`downloadURL` dcat:downloadURL, and so on. Relative IRIs (a site built
without an address) resolve against data.json's own URL, as JSON-LD says.

Classes and properties used, as DCAT 3 defines them:

- dcat:Catalog: dct:title, dct:description, dct:publisher, dct:modified,
  dct:language, dct:rights, foaf:homepage, dcat:dataset
- dcat:Dataset: dct:identifier, dct:title, dct:description, dcat:keyword,
  dct:publisher, dct:modified, dct:accrualPeriodicity, dct:language,
  dcat:landingPage, dcat:distribution
- dcat:Distribution: dct:title, dct:description, dcat:accessURL,
  dcat:downloadURL, dcat:mediaType (an IANA media type IRI), dct:format (an
  EU file-type IRI), dct:conformsTo (the file's JSON Schema), dcat:byteSize,
  dct:modified, dct:rights
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

CONTEXT = {
    "dcat": DCAT,
    "dct": DCT,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Catalog": "dcat:Catalog",
    "Dataset": "dcat:Dataset",
    "Distribution": "dcat:Distribution",
    "Organization": "foaf:Organization",
    "RightsStatement": "dct:RightsStatement",
    "title": {"@id": "dct:title", "@language": "zh-CN"},
    "description": {"@id": "dct:description", "@language": "zh-CN"},
    "label": {"@id": "rdfs:label", "@language": "zh-CN"},
    "name": {"@id": "foaf:name", "@language": "zh-CN"},
    "identifier": {"@id": "dct:identifier"},
    "keyword": {"@id": "dcat:keyword", "@language": "zh-CN", "@container": "@set"},
    "publisher": {"@id": "dct:publisher"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "language": {"@id": "dct:language", "@type": "@id"},
    "rights": {"@id": "dct:rights"},
    "modified": {"@id": "dct:modified", "@type": "xsd:date"},
    "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "dataset": {"@id": "dcat:dataset", "@container": "@set"},
    "distribution": {"@id": "dcat:distribution", "@container": "@set"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "format": {"@id": "dct:format", "@type": "@id"},
    "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "byteSize": {"@id": "dcat:byteSize", "@type": "xsd:nonNegativeInteger"},
}

# The datasets change whenever staff change a record; how often that must
# be at least is said in words on the 数据下载 page.
IRREGULAR = EU_FREQUENCY + "IRREG"
CHINESE = EU_LANGUAGE + "ZHO"


@dataclass(frozen=True)
class Distribution:
    title: str
    description: str
    download_url: str
    media_type: str  # text/csv
    file_type: str  # CSV, JSON: the EU file-type authority's code
    byte_size: int
    schema_url: str | None


@dataclass(frozen=True)
class DatasetEntry:
    identifier: str
    title: str
    description: str
    keywords: list[str]
    modified: date | None
    landing_page: str
    distributions: list[Distribution]


def _modified(day: date | None) -> dict:
    return {"modified": day.isoformat()} if day else {}


def catalogue(
    *,
    catalogue_id: str,
    title: str,
    description: str,
    publisher: str,
    homepage: str,
    access_url: str,
    rights: str,
    datasets: list[DatasetEntry],
) -> dict:
    agent = {"@type": "Organization", "name": publisher}
    rights_statement = {"@type": "RightsStatement", "label": rights}
    days = [d.modified for d in datasets if d.modified]
    return {
        "@context": CONTEXT,
        "@id": catalogue_id,
        "@type": "Catalog",
        "title": title,
        "description": description,
        "publisher": agent,
        **_modified(max(days, default=None)),
        "language": CHINESE,
        "rights": rights_statement,
        "homepage": homepage,
        "dataset": [
            {
                "@id": d.landing_page,
                "@type": "Dataset",
                "identifier": d.identifier,
                "title": d.title,
                "description": d.description,
                "keyword": d.keywords,
                "publisher": agent,
                **_modified(d.modified),
                "accrualPeriodicity": IRREGULAR,
                "language": CHINESE,
                "landingPage": d.landing_page,
                "distribution": [
                    {
                        "@type": "Distribution",
                        "title": f.title,
                        "description": f.description,
                        "accessURL": access_url,
                        "downloadURL": f.download_url,
                        "mediaType": IANA_MEDIA_TYPES + f.media_type,
                        "format": EU_FILE_TYPE + f.file_type,
                        **({"conformsTo": f.schema_url} if f.schema_url else {}),
                        "byteSize": f.byte_size,
                        **_modified(d.modified),
                        "rights": rights_statement,
                    }
                    for f in d.distributions
                ],
            }
            for d in datasets
        ],
    }
