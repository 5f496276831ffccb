"""Citations of the web edition: one CSL-JSON item per document and one for the edition,
and what is made from it — the "How to cite" text, BibTeX (bibtexparser), RIS (rispy),
COinS, and the Highwire (`citation_*`) and Dublin Core meta tags of the pages.

CSL-JSON is the source of truth: the other forms are written from the item, so that a
reference manager gets the same record whichever it reads. The build date is the
edition's release date (`edition.yaml` `date:`) or SOURCE_DATE_EPOCH: the same release
gives the same bytes.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from urllib.parse import urlencode

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field

from ..config import Edition, source_date_epoch

CSL_TYPE = "application/vnd.citationstyles.csl+json"
DEFAULT_HOW_TO_CITE = ("“<document heading>”, <number>, in: <edition>, edited by <editors>, version <version> "
                       "(<date>), <url>, accessed <accessed>.")


def build_date(edition: Edition) -> str:
    """The date printed on every page (yyyy-mm-dd) or '': SOURCE_DATE_EPOCH, else the
    release date of edition.yaml. Never the clock: the same input gives the same bytes."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).date().isoformat()
    return edition.date or ""


def page_url(edition: Edition, href: str) -> str:
    """The canonical URL of a page ('' when edition.yaml gives no url)."""
    return f"{edition.url.rstrip('/')}/{href}" if edition.url else ""


def _parts(iso: str) -> list[int]:
    return [int(p) for p in iso[:10].split("-") if p.isascii() and p.isdigit()]


def _names(names: list[str]) -> list[dict[str, str]]:
    return [{"literal": n} for n in names if n]


# CSL-JSON's name variables for the roles of edition.yaml's `editors:` (an annotator has none)
CSL_ROLES = {"editor": "editor", "compiler": "compiler", "translator": "translator"}


def _credits(edition: Edition) -> dict[str, list[dict[str, str]]]:
    """The persons the edition credits (never the publisher nor a placeholder:
    Edition.credits, as the print's title page), by CSL name variable."""
    out: dict[str, list[dict[str, str]]] = {}
    for person in edition.credits:
        if person.role in CSL_ROLES:
            out.setdefault(CSL_ROLES[person.role], []).extend(_names([person.name]))
    return out


def document_item(entry: Any, edition: Edition, *, href: str, collection: str, built: str) -> dict[str, Any]:
    """The CSL-JSON item of one document (`entry`: its catalogue entry)."""
    doc_id = entry.get("id", "")
    number = entry.get("edition-n", "")  # the number in the edition, as in print
    printed = entry.get("n", "")
    item: dict[str, Any] = {
        "id": doc_id,
        "type": "chapter",
        "title": entry.findtext("title") or doc_id,
        "container-title": edition.title,
        **_credits(edition),
        "publisher": edition.publisher,
        "language": "en",
        "number": number or doc_id,
        "note": f"Document {doc_id}" + (f", printed as No. {printed}" if printed else "") + f" in: {collection}",
    }
    if edition.version:
        item["version"] = edition.version
    issued = built or edition.year or ""
    if issued:
        item["issued"] = {"date-parts": [_parts(issued)]}
    if entry.get("date"):
        item["original-date"] = {"date-parts": [_parts(entry.get("date"))]}
    senders = [s.text or "" for s in entry.iterfind("sender")]
    if senders:
        item["author"] = _names(senders)
    archives = [m.get("citation", "") for m in entry.iterfind("ms") if m.get("citation")]
    if archives:
        item["archive"] = entry.find("ms").get("repository", "") or archives[0].split(",")[0]
        item["archive_location"] = "; ".join(archives)
    url = page_url(edition, href)
    if url:
        item["URL"] = url
    return item


def edition_item(edition: Edition, *, built: str) -> dict[str, Any]:
    """The CSL-JSON item of the whole edition."""
    item: dict[str, Any] = {
        "id": edition.id,
        "type": "book",
        "title": edition.title,
        **_credits(edition),
        "publisher": edition.publisher,
        "language": "en",
    }
    if edition.subtitle:
        item["title-short"] = edition.title
        item["title"] = f"{edition.title}: {edition.subtitle}"
    if edition.version:
        item["version"] = edition.version
    issued = built or edition.year or ""
    if issued:
        item["issued"] = {"date-parts": [_parts(issued)]}
    if edition.url:
        item["URL"] = edition.url
    return item


def csl_json(item: dict[str, Any]) -> str:
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _date_text(item: dict[str, Any], key: str) -> str:
    parts = (item.get(key) or {}).get("date-parts", [[]])[0]
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def bibtex(item: dict[str, Any]) -> str:
    """BibTeX of an item, written by bibtexparser."""
    kind = "incollection" if item["type"] == "chapter" else "book"
    fields = {"title": item["title"], "publisher": item.get("publisher", ""),
              "editor": " and ".join(n["literal"] for n in item.get("editor", [])),
              "year": str((item.get("issued") or {}).get("date-parts", [[""]])[0][0]),
              "edition": f"version {item['version']}" if item.get("version") else "",
              "url": item.get("URL", ""), "language": "english"}
    if kind == "incollection":
        fields["booktitle"] = item["container-title"]
        fields["author"] = " and ".join("{" + n["literal"] + "}" for n in item.get("author", []))
        dated = f"dated {_date_text(item, 'original-date')}" if item.get("original-date") else ""
        fields["note"] = "; ".join(x for x in (item.get("note", ""), dated, item.get("archive_location", "")) if x)
    entry = Entry(kind, _bibtex_key(item["id"]), [Field(k, v) for k, v in fields.items() if v])
    library = bibtexparser.Library([entry])
    return str(bibtexparser.write_string(library)).strip() + "\n"


def _bibtex_key(s: str) -> str:
    return "".join(c if c.isalnum() or c in "-_:" else "_" for c in s)


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record (not part of RIS), and
    with the archive location (AV), which its default mapping lacks."""

    DEFAULT_MAPPING = {**rispy.TAG_KEY_MAPPING, "AV": "archive_location"}

    def set_header(self, count: int) -> str:
        return ""


def ris(item: dict[str, Any]) -> str:
    """RIS of an item, written by rispy. Editors are A2 (the book's editors)."""
    entry: dict[str, Any] = {
        "type_of_reference": "CHAP" if item["type"] == "chapter" else "BOOK",
        "title": item["title"],
        "secondary_authors" if item["type"] == "chapter" else "authors":
            [n["literal"] for n in item.get("editor", [])],
        "publisher": item.get("publisher", ""),
        "year": str((item.get("issued") or {}).get("date-parts", [[""]])[0][0]),
        "language": "en",
    }
    if item["type"] == "chapter":
        entry["secondary_title"] = item["container-title"]
        if item.get("author"):
            entry["authors"] = [n["literal"] for n in item["author"]]
        if item.get("original-date"):
            entry["date"] = _date_text(item, "original-date").replace("-", "/")
        if item.get("archive_location"):
            entry["archive_location"] = item["archive_location"]
        entry["notes"] = [item["note"]]
    if item.get("version"):
        entry["edition"] = f"version {item['version']}"
    if item.get("URL"):
        entry["urls"] = [item["URL"]]
    return str(rispy.dumps([{k: v for k, v in entry.items() if v}], implementation=_RisWriter))


def coins(item: dict[str, Any]) -> str:
    """The title attribute of a COinS span (OpenURL ContextObject) for an item."""
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book")]
    if item["type"] == "chapter":
        pairs += [("rft.genre", "bookitem"), ("rft.atitle", item["title"]), ("rft.btitle", item["container-title"])]
    else:
        pairs += [("rft.genre", "book"), ("rft.btitle", item["title"])]
    pairs += [("rft.au", n["literal"]) for n in item.get("author", [])]
    pairs += [("rft.pub", item.get("publisher", "")), ("rft.date", _date_text(item, "issued"))]
    if item.get("URL"):
        pairs.append(("rft_id", item["URL"]))
    return urlencode([(k, v) for k, v in pairs if v])


def meta_tags(item: dict[str, Any], *, pdf_url: str = "", licence: str = "") -> list[tuple[str, str]]:
    """(name, content) of the Highwire Press and Dublin Core meta tags of a page."""
    tags: list[tuple[str, str]] = [("citation_title", item["title"])]
    tags += [("citation_author", n["literal"]) for n in item.get("author", [])]
    if item.get("original-date"):
        tags.append(("citation_date", _date_text(item, "original-date").replace("-", "/")))
    if item.get("issued"):
        tags.append(("citation_publication_date", _date_text(item, "issued").replace("-", "/")))
    if item["type"] == "chapter":
        tags.append(("citation_inbook_title", item["container-title"]))
    tags += [("citation_editor", n["literal"]) for n in item.get("editor", [])]
    tags += [("citation_publisher", item.get("publisher", "")), ("citation_language", "en")]
    if item.get("URL"):
        tags.append(("citation_public_url", item["URL"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags += [("DC.title", item["title"])]
    tags += [("DC.creator", n["literal"]) for n in item.get("author", [])]
    tags += [("DC.contributor", n["literal"]) for n in item.get("editor", [])]
    if item.get("original-date"):
        tags.append(("DC.date", _date_text(item, "original-date")))
    tags += [("DC.publisher", item.get("publisher", "")), ("DC.type", "Text"), ("DC.format", "text/html"),
             ("DC.language", "en")]
    if item.get("URL"):
        tags.append(("DC.identifier", item["URL"]))
    if item["type"] == "chapter":
        tags.append(("DC.relation.isPartOf", item["container-title"]))
    if item.get("archive_location"):
        tags.append(("DC.source", item["archive_location"]))
    if licence:
        tags.append(("DC.rights", licence))
    return [(k, v) for k, v in tags if v]


def how_to_cite(template: str | None, item: dict[str, Any], *, href: str) -> str:
    """The citation shown on a page: edition.yaml's `how_to_cite` with its placeholders
    filled (<accessed> stays for the page to fill with the reader's date)."""
    number = item.get("number", "")
    values = {
        "<document heading>": item["title"],
        "<id>": item["id"],
        "<number>": f"document {number}" if number and number != item["id"] else f"document {item['id']}",
        "<edition>": item.get("container-title", item["title"]),
        "<editors>": ", ".join(n["literal"] for n in item.get("editor", [])),
        "<version>": item.get("version", ""),
        "<date>": _date_text(item, "issued"),
        "<url>": item.get("URL") or href,
    }
    text = " ".join((template or DEFAULT_HOW_TO_CITE).split())
    if not values["<editors>"]:  # the edition names no editor: no "edited by" either
        text = re.sub(r",?\s*(?:edited by|eds?\.)?\s*<editors>", "", text, flags=re.IGNORECASE)
    for key, value in values.items():
        text = text.replace(key, value)
    return text
