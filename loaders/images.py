"""Local scans → `Record`s: a folder of objects, one sub-folder per object.

Each object folder holds its page images (.jpg, .jpeg, .png, .tif, .tiff) and
a `metadata.json` sidecar. Pages are taken in the order the sidecar's `pages`
lists, else in natural file-name order (page2 before page10). Every image is
opened with Pillow to read its size and check that it decodes, with
decompression-bomb warnings turned into errors for that call only (a scan
larger than Pillow's `MAX_IMAGE_PIXELS` is refused, global state untouched).

Sidecar keys (only `title` is required):

- `id`: the local id (default: the folder name)
- `title`: a string, `{"lang": "text", …}` or a list of `{"value": …, "lang": …}`
  (`lang` is a BCP 47 tag, e.g. "fr", "nl", "uz-Cyrl")
- `creators`: a list of names ("Name (1591-1645)") or of `{"name", "birth",
  "death", "role"}`
- `date`: as catalogues write it ("1879-07-15", "1630 - 1639", "ca. 1850")
- `genre`: our genre key (book, manuscript, periodical, map, photograph …)
- `language` or `languages`: ISO 639 code(s)
- `description`: text or a list of `{"value", "lang"}`
- `place_of_origin`, `publisher`, `extent`, `data_provider`, `is_shown_at` (the object's
  page at its source), `same_as` (URIs), `identifiers`
- `rights`: the rights statement, `{"value", "lang"}` or a list of them
- `rights_uri`: a rightsstatements.org / creativecommons.org URI
- `source`: where the metadata and image come from (kept as a description)
- `pages`: the image file names in page order

A folder without sidecar, with an unreadable sidecar, without images or with
an image Pillow cannot read becomes a `Rejected`; the other folders are read.
"""
from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from ontology.errors import RecordError
from ontology.record import Agent, Image, Place, Record, Text

from .base import Rejected
from .genres import edm_type_of, genre_of
from .normalise import language_code, nfc, parse_agent, parse_date

LOADER = "loaders.images"
SIDECAR = "metadata.json"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


def parse_scans(folder: Path, *, provider: str = "local") -> Iterator[Record | Rejected]:
    """One `Record` per object sub-folder of `folder` (sidecar keys in the module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RecordError(f"scan folder {folder} does not exist")
    for obj in sorted(p for p in folder.iterdir() if p.is_dir()):
        sidecar = obj / SIDECAR
        source_url = sidecar.resolve().as_uri()
        listing = "\n".join(sorted(p.name for p in obj.iterdir()))
        if not sidecar.is_file():
            yield Rejected(obj.resolve().as_uri(), f"{obj.name}: no {SIDECAR} sidecar", listing)
            continue
        raw = sidecar.read_bytes().decode("utf-8", "replace")
        try:
            meta = json.loads(raw)
            if not isinstance(meta, dict):
                raise RecordError(f"{obj.name}/{SIDECAR} is not a JSON object")
            record = _record(obj, meta, source_url, provider)
            record.check()
        except json.JSONDecodeError as exc:
            yield Rejected(source_url, f"{obj.name}/{SIDECAR} is not JSON: {exc}", raw)
            continue
        except RecordError as exc:
            yield Rejected(source_url, exc.message, raw)
            continue
        except (TypeError, AttributeError, ValueError) as exc:
            yield Rejected(source_url, f"{obj.name}/{SIDECAR} has a value of the wrong kind: {exc}", raw)
            continue
        yield record


def read_image(path: Path) -> tuple[int, int]:
    """(width, height) of an image that fully decodes; RecordError otherwise, decompression bombs included."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                im.load()
                return im.size
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombWarning,
            PILImage.DecompressionBombError) as exc:
        raise RecordError(f"{path.parent.name}/{path.name} is not a readable image: {exc}") from None


def _natural(name: str) -> list[Any]:
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def _pages(obj: Path, meta: dict[str, Any]) -> list[Path]:
    listed = meta.get("pages")
    if isinstance(listed, list):
        paths = [obj / str(name) for name in listed]
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            raise RecordError(f"{obj.name}: pages listed in {SIDECAR} are missing: {', '.join(missing)}")
        return paths
    return sorted((p for p in obj.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES), key=lambda p: _natural(p.name))


def _texts(value: Any) -> list[Text]:
    if isinstance(value, str):
        return [Text(nfc(value))] if nfc(value) else []
    if isinstance(value, dict) and "value" in value:
        return [Text(nfc(str(value["value"])), value.get("lang"))] if nfc(str(value["value"])) else []
    if isinstance(value, dict):
        return [Text(nfc(str(v)), k) for k, v in value.items() if nfc(str(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _agent(value: Any) -> Agent:
    if not isinstance(value, dict):
        return parse_agent(str(value))
    if not nfc(value.get("name")):
        raise RecordError(f"a creator without a name: {value!r}")
    years = [value.get(k) for k in ("birth", "death")]
    if any(y is not None and (not isinstance(y, int) or isinstance(y, bool)) for y in years):
        raise RecordError(f"{value['name']}: birth and death must be years (numbers), not {years!r}")
    return Agent(nfc(value["name"]), birth=years[0], death=years[1], role=nfc(value.get("role")) or None)


def _strings(value: Any) -> list[str]:
    return [nfc(str(v)) for v in (value if isinstance(value, list) else [value] if value else []) if nfc(str(v))]


def _record(obj: Path, meta: dict[str, Any], source_url: str, provider: str) -> Record:
    pages = _pages(obj, meta)
    if not pages:
        raise RecordError(f"{obj.name}: no page images ({', '.join(IMAGE_SUFFIXES)})")
    images = []
    for page in pages:
        width, height = read_image(page)
        images.append(Image(local_path=str(page.resolve()), width=width, height=height, label=page.stem))
    date, year_from, year_to = parse_date(meta.get("date"))
    genre = genre_of(meta.get("genre")) or (nfc(meta.get("genre")).lower() or None)
    langs = [c for c in (language_code(v) for v in _strings(meta.get("languages") or meta.get("language"))) if c]
    descriptions = _texts(meta.get("description"))
    descriptions += [Text(f"Source: {s}", "en") for s in _strings(meta.get("source"))]
    return Record(
        provider=provider, local_id=nfc(str(meta.get("id") or obj.name)), titles=_texts(meta.get("title")),
        source_url=source_url, source_format="local-scans", loader=LOADER, edm_type=edm_type_of(genre, "IMAGE"),
        genre=genre, creators=[_agent(c) for c in meta.get("creators") or []], date=date,
        date_display=nfc(meta.get("date")) or None, year_from=year_from, year_to=year_to, languages=langs,
        place_of_origin=Place(nfc(meta["place_of_origin"])) if nfc(meta.get("place_of_origin")) else None,
        descriptions=descriptions, publisher=nfc(meta.get("publisher")) or None, extent=nfc(meta.get("extent")) or None,
        identifiers=_strings(meta.get("identifiers")), same_as=_strings(meta.get("same_as")),
        data_provider=nfc(meta.get("data_provider")) or None, is_shown_at=nfc(meta.get("is_shown_at")) or None,
        images=images, rights_text=_texts(meta.get("rights")), rights_uri=nfc(meta.get("rights_uri")) or None,
    )
