"""MARC documents → pymarc records: ISO 2709 or MARCXML (MARCXchange too), UTF-8, MARC-8 or Windows-1251.

The encoding of each ISO 2709 record is decided from its bytes, not only its
leader, because Russian libraries send RUSMARC in UTF-8 with a blank leader/09
and cp1251 exports exist; decoding the wrong way stores mojibake for good.
Bytes that are valid UTF-8 are UTF-8 whatever the leader says; else bytes that
read as Cyrillic words in cp1251 are cp1251; else MARC-8.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

from lxml import etree
from pymarc import Field, Indicators, Leader, Subfield
from pymarc import Record as MarcRecord
from pymarc.exceptions import PymarcException

from ontology.errors import RecordError

from .normalise import parse_xml, split_tag

# MARCXML, and MARCXchange (ISO 25577, how UNIMARC is often sent as XML); None: no namespace at all.
_MARC_NAMESPACES = ("http://www.loc.gov/MARC21/slim", "info:lc/xmlns/marcxchange-v1",
                    "info:lc/xmlns/marcxchange-v2", "http://www.loc.gov/standards/iso25577/marcxchange-1-1", None)


def read_marc(data: bytes) -> Iterator[tuple[MarcRecord | str, str, str]]:
    """Each record of the document: (the pymarc record, or why it cannot be read; its raw text; "iso" or "xml").

    A record that cannot be read does not stop the ones after it; a document that is not MARC raises RecordError.
    """
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise RecordError("MARC document is empty")
    if body[:1] == b"<":
        yield from _read_xml(data)
    elif body[:5].isdigit():
        yield from _read_iso(body)
    else:
        raise RecordError("not MARC: neither ISO 2709 (a leader starting with the record length) nor MARCXML")


def _read_xml(data: bytes) -> Iterator[tuple[MarcRecord | str, str, str]]:
    root = parse_xml(data, "MARCXML document")
    records = [el for el in root.iter() if isinstance(el.tag, str) and split_tag(el.tag)[1] == "record"
               and split_tag(el.tag)[0] in _MARC_NAMESPACES]
    if not records:
        raise RecordError(f"no MARC record in the XML document (root element {etree.QName(root).localname})")
    for el in records:
        raw = etree.tostring(el, encoding="unicode")
        try:
            yield _from_xml(el), raw, "xml"
        except (PymarcException, ValueError) as exc:
            yield f"unreadable MARCXML record: {exc or type(exc).__name__}", raw, "xml"


def _from_xml(el: etree._Element) -> MarcRecord:
    rec = MarcRecord()
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name, tag = split_tag(child.tag)[1], child.get("tag", "")
        if name == "leader":
            rec.leader = Leader((child.text or "").ljust(24)[:24])
        elif name == "controlfield":
            rec.add_field(Field(tag=tag, data=child.text or ""))
        elif name == "datafield":
            subs = [Subfield(code=s.get("code") or " ", value=s.text or "") for s in child
                    if isinstance(s.tag, str) and split_tag(s.tag)[1] == "subfield"]
            rec.add_field(Field(tag=tag, indicators=Indicators(child.get("ind1") or " ", child.get("ind2") or " "),
                                subfields=subs))
    return rec


def _read_iso(body: bytes) -> Iterator[tuple[MarcRecord | str, str, str]]:
    chunks = body.split(b"\x1d")
    for i, chunk in enumerate(chunks):
        chunk = chunk.lstrip(b" \t\r\n")  # some exports put line breaks between records
        if not chunk:
            continue
        raw = chunk.decode("latin-1")
        if i == len(chunks) - 1:
            yield f"truncated ISO 2709 record: {len(chunk)} bytes and no record terminator", raw, "iso"
            continue
        encoding = _encoding(chunk)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a bad subfield code: reject rather than guess
                yield _decode_iso(chunk + b"\x1d", encoding), raw, "iso"
        except (PymarcException, UnicodeDecodeError, ValueError, Warning) as exc:
            yield f"unreadable ISO 2709 record ({encoding}): {exc or type(exc).__name__}", raw, "iso"


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]{3,}")


def _encoding(chunk: bytes) -> str:
    """'utf-8', 'cp1251' or 'marc-8' for one ISO 2709 record, from its bytes (see the module docstring)."""
    if not re.search(rb"[\x80-\xff]", chunk):
        return "utf-8"
    try:
        chunk.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x1b" not in chunk:  # MARC-8 switches character sets with ESC; cp1251 never does
        text = chunk.decode("cp1251", "replace")
        high = sum(1 for ch in text if ord(ch) > 0x7F)
        if sum(len(w) for w in _CYRILLIC_WORD.findall(text)) >= 0.8 * high:
            return "cp1251"
    return "marc-8"


def _decode_iso(chunk: bytes, encoding: str) -> MarcRecord:
    if encoding == "utf-8":
        return MarcRecord(chunk, force_utf8=True)
    if encoding == "cp1251":
        if chunk[9:10] == b"a":  # the leader claims UTF-8; pymarc would obey it
            chunk = chunk[:9] + b" " + chunk[10:]
        return MarcRecord(chunk, file_encoding="cp1251")
    return MarcRecord(chunk, hide_utf8_warnings=True)
