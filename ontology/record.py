"""The normalised record: what every loader produces and the EDM mapping consumes.

Loaders parse a source's own format into a `Record`; `ontology.mapping` turns a
`Record` into one named graph. Nothing here knows about any source.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import RecordError

EDM_TYPES = ("TEXT", "IMAGE", "SOUND", "VIDEO", "3D")

_ID_BAD = re.compile(r"[^a-z0-9-]+")


def make_id(provider: str, local: str) -> str:
    """The stable local id `{provider}-{local}` made of [a-z0-9-].

    >>> make_id("gallica", "ark:/12148/btv1b8449691v")
    'gallica-ark-12148-btv1b8449691v'
    >>> make_id("loc", "2021668234"), make_id("iiif-cookbook", "0001-mvm-image")
    ('loc-2021668234', 'iiifcookbook-0001-mvm-image')
    """
    def clean(text: str) -> str:
        ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return _ID_BAD.sub("-", ascii_.lower()).strip("-")

    p, l = clean(provider).replace("-", ""), clean(local)  # the provider key is the id's first segment
    if not p or not l:
        raise RecordError(f"cannot make an id from provider {provider!r} and local id {local!r}")
    return f"{p}-{l}"


@dataclass(frozen=True)
class Text:
    """A literal with an optional BCP 47 language tag (e.g. 'kk-Cyrl', 'uz-Latn', 'fr')."""

    value: str
    lang: str | None = None


@dataclass
class Agent:
    """A person or organisation; life years drive the rights decision."""

    name: str
    birth: int | None = None
    death: int | None = None
    role: str | None = None  # as the source says it: "Cartographe", "dedicatee", …
    is_organisation: bool = False
    same_as: list[str] = field(default_factory=list)  # VIAF, id.loc.gov, data.bnf.fr, Wikidata
    names: list[Text] = field(default_factory=list)  # other forms (other scripts)
    # Facts some copyright laws turn on, set only when a source says so (see docs/rights.md):
    repressed: bool = False  # executed, died in a camp, repressed
    rehabilitated: int | None = None  # year of (posthumous) rehabilitation
    war_participant: bool | None = None  # worked or fought in the Great Patriotic War; None = not said
    mort_pour_la_france: bool = False  # the French official mention


@dataclass
class Place:
    name: str
    lat: float | None = None
    lon: float | None = None
    same_as: list[str] = field(default_factory=list)


@dataclass
class Concept:
    label: str
    lang: str | None = None
    same_as: list[str] = field(default_factory=list)


@dataclass
class Image:
    """One view of the object (a page, a sheet).

    Images that stay at the source carry the source's IIIF image `service`
    (with its `service_profile`, e.g. Image API 1.1 level 2); local scans carry
    `local_path` (the master file) and get our own image service at load time.
    """

    url: str | None = None  # a direct image URL (full or a derivative)
    service: str | None = None  # the IIIF Image service base URI
    service_type: str | None = None  # ImageService1 | ImageService2 | ImageService3
    service_profile: str | None = None
    width: int | None = None
    height: int | None = None
    label: str | None = None
    local_path: str | None = None  # a local master file: served by our Image API
    thumbnail: str | None = None


@dataclass
class Record:
    """A source record normalised; ids, dates and strings already cleaned by the loader."""

    provider: str  # id prefix: gallica, loc, kazneb, …
    local_id: str  # the source's own id (ark, LCCN, control number…)
    titles: list[Text]
    source_url: str  # where the record came from (prov:wasDerivedFrom)
    source_format: str  # e.g. "gallica-sru", "marc21", "iiif-manifest-2"
    loader: str  # module that produced it, e.g. "loaders.gallica"
    edm_type: str = "TEXT"
    genre: str | None = None  # manuscript, map, book, periodical, photograph, music score …
    creators: list[Agent] = field(default_factory=list)
    contributors: list[Agent] = field(default_factory=list)
    date: str | None = None  # EDTF where possible ("1686", "179X", "1804/1807", "1850~")
    date_display: str | None = None  # as the source wrote it
    year_from: int | None = None
    year_to: int | None = None
    languages: list[str] = field(default_factory=list)  # ISO 639 (639-1 where it exists)
    subjects: list[Concept] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # what the object is about / depicts
    place_of_origin: Place | None = None  # where it was made or published
    descriptions: list[Text] = field(default_factory=list)
    publisher: str | None = None
    identifiers: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    is_part_of: list[Text] = field(default_factory=list)
    extent: str | None = None
    data_provider: str | None = None  # the holding institution
    provider_name: str | None = None  # the aggregator we got it from
    is_shown_at: str | None = None  # the object's page at the source
    manifest_url: str | None = None  # the source's own IIIF manifest
    images: list[Image] = field(default_factory=list)
    rights_text: list[Text] = field(default_factory=list)  # the source's statement, verbatim
    rights_uri: str | None = None  # rightsstatements.org / creativecommons.org, when the source gives one
    anonymous: bool = False
    published: bool | None = None  # False for a work never published (a manuscript); None = not said

    @property
    def id(self) -> str:
        return make_id(self.provider, self.local_id)

    def check(self) -> None:
        """Refuse a record that cannot become an object (reported, never guessed)."""
        if not any(t.value.strip() for t in self.titles):
            raise RecordError(f"{self.provider}:{self.local_id}: no title")
        if self.edm_type not in EDM_TYPES:
            raise RecordError(f"{self.provider}:{self.local_id}: edm:type {self.edm_type!r} is not one of {', '.join(EDM_TYPES)}")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise RecordError(f"{self.provider}:{self.local_id}: date range {self.year_from}–{self.year_to} runs backwards")
