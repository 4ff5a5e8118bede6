"""Parsing and resolving Image API requests, and the pyramid's life at ingest (no HTTP)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from iiif.image_request import Limits, parse, resolve
from ontology.errors import BadRequest, RecordError


def plan(region: str, size: str, rotation: str = "0", qf: str = "default.jpg", w: int = 6000, h: int = 4000,
         limits: Limits = Limits()):  # type: ignore[no-untyped-def]
    return resolve(parse(region, size, rotation, qf), w, h, limits)


@pytest.mark.parametrize("region,size,rotation,box,out,canonical", [
    ("full", "max", "0", (0, 0, 6000, 4000), (6000, 4000), "full/max/0/default.jpg"),
    ("square", "max", "0", (1000, 0, 4000, 4000), (4000, 4000), "1000,0,4000,4000/max/0/default.jpg"),
    ("pct:10,10,50,50", "pct:50", "!90", (600, 400, 3000, 2000), (1500, 1000), "600,400,3000,2000/1500,1000/!90/default.jpg"),
    ("0,0,512,512", "512,", "22.50", (0, 0, 512, 512), (512, 512), "0,0,512,512/512,512/22.5/default.jpg"),
    ("5900,3900,512,512", "max", "360", (5900, 3900, 100, 100), (100, 100), "5900,3900,100,100/max/0/default.jpg"),
    ("full", ",1000", "0", (0, 0, 6000, 4000), (1500, 1000), "full/1500,1000/0/default.jpg"),
    ("full", "!1000,1000", "0", (0, 0, 6000, 4000), (1000, 667), "full/1000,667/0/default.jpg"),
    ("full", "^!9000,9000", "0", (0, 0, 6000, 4000), (9000, 6000), "full/^9000,6000/0/default.jpg"),
])
def test_resolve_and_canonical(region: str, size: str, rotation: str, box: tuple[int, ...], out: tuple[int, int],
                               canonical: str) -> None:
    p = plan(region, size, rotation)
    assert p.box == box and p.out == out
    assert p.canonical((6000, 4000)) == canonical


@pytest.mark.parametrize("args,parameter", [
    (("full", "max", "0", "default"), "quality and format"),
    (("full", "max", "0", "best.jpg"), "quality"),
    (("full", "max", "0", "default.jp2"), "format"),
    (("full", "max", "x", "default.jpg"), "rotation"),
    (("full", "max", "361", "default.jpg"), "rotation"),
    (("full", "w,h", "0", "default.jpg"), "size"),
    (("full", "!100,", "0", "default.jpg"), "size"),
    (("full", "pct:0", "0", "default.jpg"), "size"),
    (("full", "^", "0", "default.jpg"), "size"),
    (("pct:10,10,10", "max", "0", "default.jpg"), "region"),
    (("10,10,0,5", "max", "0", "default.jpg"), "region"),
    (("-1,0,5,5", "max", "0", "default.jpg"), "region"),
])
def test_syntax_errors_name_the_parameter(args: tuple[str, str, str, str], parameter: str) -> None:
    with pytest.raises(BadRequest) as err:
        parse(*args)
    assert err.value.message.startswith(parameter) and err.value.status == 400


def test_limits_bound_max_and_reject_more() -> None:
    assert plan("full", "max", limits=Limits(max_area=6_000_000)).out == (3000, 2000)
    assert plan("full", "^max", w=1000, h=500, limits=Limits(max_area=2_000_000)).out == (2000, 1000)
    restricted = Limits(max_width=300, max_height=300, max_scale=300 / 6000)
    assert plan("0,0,1000,1000", "max", limits=restricted).out == (50, 50)  # a crop stays at thumbnail resolution
    with pytest.raises(BadRequest):
        plan("6000,0,10,10", "max")


def test_pyramid_is_idempotent_and_refuses_an_unreadable_master(tmp_path: Path) -> None:
    from loaders.pyramid import build_pyramid

    master = tmp_path / "img-1" / "master.jpg"
    master.parent.mkdir()
    Image.new("RGB", (1100, 700), (10, 120, 200)).save(master)
    before = master.read_bytes()
    pyramid = build_pyramid(master)
    stamp = pyramid.stat().st_mtime_ns
    assert build_pyramid(master) == pyramid and pyramid.stat().st_mtime_ns == stamp  # current: left alone
    os.utime(master, ns=(stamp + 10**9, stamp + 10**9))  # a newer master is rebuilt
    assert build_pyramid(master).stat().st_mtime_ns > stamp
    assert master.read_bytes() == before
    broken = tmp_path / "img-2" / "master.jpg"
    broken.parent.mkdir()
    broken.write_bytes(before[: len(before) // 3])
    with pytest.raises(RecordError):
        build_pyramid(broken)
    assert not any(p.name.endswith(".tmp") for p in broken.parent.iterdir())
