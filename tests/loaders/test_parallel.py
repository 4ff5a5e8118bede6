"""Parsing files in worker processes gives what parsing them here gives: same items, same order, same failures."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import parallel
from loaders.base import Parser, Rejected
from loaders.edm import parse_edm
from loaders.marc import parse_marc
from loaders.mods import parse_mods
from loaders.parallel import Parsed, Unit, parse_files
from ontology.record import Record

FIXTURES = Path(__file__).parents[1] / "fixtures"
FILES = FIXTURES / "recorded" / "files"
MALFORMED = FIXTURES / "malformed"


def units(paths: list[Path]) -> list[Unit]:
    return [(p.as_uri(), p.read_bytes) for p in paths]


def outcome(parsed: list[Parsed]) -> list[tuple[list[object], object]]:
    out = []
    for p in parsed:
        items = list(p.items)  # a streamed file's failure is known once its items are read
        out.append((items, p.failure))
    return out


CASES = {
    "marc": (parse_marc, [*sorted(p for p in (FILES / "marc").rglob("*") if p.is_file()),
                          MALFORMED / "marc_rkp_cp1251_third_record_truncated.mrc",
                          MALFORMED / "marc_rsl_01002988236_marc21_truncated.mrc"]),
    "mods": (parse_mods, [*sorted((FILES / "mods").rglob("*.xml")), MALFORMED / "mods_stanford_suez_truncated.xml",
                          MALFORMED / "mods_harvard_lughat_without_recordinfo.xml"]),
    "edm": (parse_edm, [MALFORMED / "edm_rijksmuseum_truncated.xml", *sorted((FILES / "edm").rglob("*.xml")),
                        MALFORMED / "html_error_page_503.html"]),
}


@pytest.mark.parametrize("name", CASES)
def test_workers_give_what_this_process_gives(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    parser, paths = CASES[name]
    monkeypatch.setattr(parallel, "GROUP_FILES", 2)  # several groups: their order must hold
    here = outcome(list(parse_files(parser, units(paths), workers=0)))
    there = outcome(list(parse_files(parser, units(paths), workers=2)))
    assert there == here
    assert any(isinstance(item, Record) for items, _ in here for item in items)
    assert any(failure is not None or any(isinstance(item, Rejected) for item in items) for items, failure in here)


def test_a_large_file_is_streamed_here_in_its_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over STREAM_FROM is parsed in this process between the groups before and after it."""
    parser: Parser = parse_marc
    paths = sorted(p for p in (FILES / "marc").rglob("*") if p.is_file())
    big = max(paths, key=lambda p: p.stat().st_size)
    monkeypatch.setattr(parallel, "STREAM_FROM", big.stat().st_size)
    monkeypatch.setattr(parallel, "GROUP_FILES", 3)
    parsed = list(parse_files(parser, units(paths), workers=2))
    kinds = [type(p.items).__name__ for p in parsed]
    assert kinds[paths.index(big)] == "generator" and kinds.count("generator") == 1
    assert outcome(parsed) == outcome(list(parse_files(parser, units(paths), workers=0)))


def test_few_files_are_parsed_here() -> None:
    assert parallel.worker_count(parallel.PARALLEL_FROM - 1) == 0
    assert parallel.worker_count(parallel.PARALLEL_FROM) != 1  # one core: no worker; more: one per core
