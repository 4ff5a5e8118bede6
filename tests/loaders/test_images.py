"""Local scans: the two sample objects built from real images, and folders that cannot be loaded."""
from __future__ import annotations

import shutil
import struct
import warnings
import zlib
from pathlib import Path

from PIL import Image as PILImage

from loaders.base import Rejected
from loaders.images import parse_scans
from ontology.record import Record, Text

SAMPLES = Path(__file__).parents[2] / "loaders" / "sample_collection"
SCANS = SAMPLES / "scans"
MALFORMED = Path(__file__).parents[1] / "fixtures" / "malformed"
GALLICA_JPG = SAMPLES / "gallica" / "images" / "gallica_bpt6k5603637g_f1_full_w150_native.jpg"


def test_sample_scans_are_two_objects_with_their_real_images() -> None:
    out = list(parse_scans(SCANS))
    assert all(isinstance(r, Record) for r in out), out
    recs = {r.id: r for r in out}  # type: ignore[union-attr]
    assert set(recs) == {"local-gallica-bpt6k5603637g", "local-berckenrode-amsterdam-map"}

    journal = recs["local-gallica-bpt6k5603637g"]
    assert journal.titles == [Text("La Nouvelle France : journal de la colonie libre de Port-Breton, Océanie", "fr")]
    assert (journal.genre, journal.edm_type, journal.date) == ("periodical", "TEXT", "1879-07-15")
    assert journal.languages == ["fr"]
    assert journal.rights_text == [Text("domaine public", "fr"), Text("public domain", "en")]
    assert journal.is_shown_at == "https://gallica.bnf.fr/ark:/12148/bpt6k5603637g"
    (page,) = journal.images
    assert (page.width, page.height, page.service, page.url) == (117, 150, None, None)
    assert page.local_path and Path(page.local_path).read_bytes() == GALLICA_JPG.read_bytes()

    amsterdam = recs["local-berckenrode-amsterdam-map"]
    assert (amsterdam.genre, amsterdam.edm_type, amsterdam.date) == ("map", "IMAGE", "1630/1639")
    assert [(a.name, a.death) for a in amsterdam.creators][0] == ("Berckenrode, Balthasar Florisz. van", 1645)
    assert amsterdam.titles[0].lang == "la" and amsterdam.data_provider == "Allard Pierson, University of Amsterdam"
    (sheet,) = amsterdam.images
    assert (sheet.width, sheet.height) == (612, 543)
    original = SAMPLES / "images" / "berckenrode_amsterdam_map_1625_full_612px.jpg"
    assert Path(sheet.local_path or "").read_bytes() == original.read_bytes()
    for rec in recs.values():
        assert (rec.provider, rec.source_format, rec.loader) == ("local", "local-scans", "loaders.images")
        assert rec.source_url.startswith("file://") and rec.source_url.endswith("/metadata.json")
        assert any(d.value.startswith("Source: ") for d in rec.descriptions)


def test_folder_without_sidecar_is_rejected() -> None:
    (rej,) = parse_scans(MALFORMED / "scans_missing_sidecar")
    assert isinstance(rej, Rejected) and "no metadata.json" in rej.reason
    assert rej.raw == "gallica_bpt6k5603637g_f1_full_w150_native.jpg"


def test_corrupt_image_rejects_its_object_only() -> None:
    out = list(parse_scans(MALFORMED / "scans_corrupt_image"))
    assert [type(r).__name__ for r in out] == ["Record", "Rejected"]
    reason = out[1].reason  # type: ignore[union-attr]
    assert "gallica-f1-truncated-jpeg" in reason and "not a readable image" in reason
    assert '"title"' in out[1].raw  # type: ignore[union-attr]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares a huge size: Pillow reads the size before any pixel."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_without_touching_global_state(tmp_path: Path) -> None:
    obj = tmp_path / "bomb"
    obj.mkdir()
    (obj / "metadata.json").write_text('{"title": "A very large scan"}')
    side = int((PILImage.MAX_IMAGE_PIXELS or 89_478_485) ** 0.5) + 100  # above the limit, below twice it
    (obj / "page1.png").write_bytes(_png_header(side, side))
    limit, filters = PILImage.MAX_IMAGE_PIXELS, list(warnings.filters)
    (rej,) = parse_scans(tmp_path)
    assert isinstance(rej, Rejected) and "decompression bomb" in rej.reason.lower()
    assert (PILImage.MAX_IMAGE_PIXELS, list(warnings.filters)) == (limit, filters)


def test_pages_in_natural_order_and_bad_sidecars(tmp_path: Path) -> None:
    book = tmp_path / "a-book"
    book.mkdir()
    for name in ("page10.jpg", "page2.jpg", "page1.jpg"):
        shutil.copy(GALLICA_JPG, book / name)
    (book / "metadata.json").write_text('{"title": {"fr": "Un livre"}, "creators": ["Verniquet, Edme (1727-1804)"],'
                                        ' "genre": "book", "date": "ca. 1850"}', encoding="utf-8")
    notjson = tmp_path / "b-broken"
    notjson.mkdir()
    shutil.copy(GALLICA_JPG, notjson / "f1.jpg")
    (notjson / "metadata.json").write_text("{not json")
    badyear = tmp_path / "c-bad-year"
    badyear.mkdir()
    shutil.copy(GALLICA_JPG, badyear / "f1.jpg")
    (badyear / "metadata.json").write_text('{"title": "x", "creators": [{"name": "A", "death": "1900s"}]}')
    book_rec, broken, bad = parse_scans(tmp_path)
    assert isinstance(book_rec, Record)
    assert [i.label for i in book_rec.images] == ["page1", "page2", "page10"]
    assert (book_rec.creators[0].name, book_rec.creators[0].death, book_rec.date) == ("Verniquet, Edme", 1804, "1850~")
    assert book_rec.titles == [Text("Un livre", "fr")] and book_rec.id == "local-a-book"
    assert isinstance(broken, Rejected) and "not JSON" in broken.reason and broken.raw == "{not json"
    assert isinstance(bad, Rejected) and "years" in bad.reason
