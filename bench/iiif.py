"""IIIF benchmark: tiles from a 6000×4000 JPEG through our Image API over HTTP, and manifests per second.

Baselines measured in the same run: (a) the raw Pillow floor (open, crop or
draft, resize, encode; no HTTP, no pyramid) and (b) the reference
implementation, the `iiif` package's PIL manipulator, on the same requests.
Run: `.venv/bin/python bench/iiif.py` (about a minute on 2 cores).
"""
from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyvips  # noqa: E402
import requests  # noqa: E402
from PIL import Image  # noqa: E402

from loaders.images import parse_scans  # noqa: E402
from loaders.runner import RejectLog, load_records  # noqa: E402
from ontology.mapping import Uris  # noqa: E402
from sparql.objects import get_object  # noqa: E402
from sparql.store import open_store  # noqa: E402

W, H = 6000, 4000
TILE = 512
RUNS = 15
TARGETS = {"uncached_full_res_ms": 20.0, "cached_ms": 5.0, "speedup_vs_reference": 10.0, "manifests_per_s": 500.0}


def make_master(folder: Path) -> Path:
    """A 6000×4000 JPEG with photographic texture (smoothed noise over gradients), quality 90."""
    noise = pyvips.Image.gaussnoise(W, H, mean=128, sigma=60).gaussblur(2)
    grad = pyvips.Image.xyz(W, H)[0] * (255 / W)
    image = noise.bandjoin([(noise + grad) / 2, grad]).cast("uchar").copy(interpretation="srgb")
    scan = folder / "scans" / "bench-6000"
    scan.mkdir(parents=True)
    image.jpegsave(str(scan / "page1.jpg"), Q=90)
    (scan / "metadata.json").write_text(json.dumps({"title": {"en": "Benchmark scan"}, "pages": ["page1.jpg"],
                                                    "rights_uri": "http://creativecommons.org/publicdomain/zero/1.0/"}))
    return scan / "page1.jpg"


def median_ms(fn: Callable[[int], Any], runs: int = RUNS) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def tile_regions(full_res: bool) -> list[tuple[int, int, int, int]]:
    """Distinct tiles, so every uncached request really is a miss."""
    size, step = (TILE, TILE) if full_res else (2048, 512)
    return [(x, y, size, size) for y in range(0, H - size + 1, step) for x in range(0, W - size + 1, step)]


def pillow_floor(master: Path, region: tuple[int, int, int, int]) -> bytes:
    x, y, w, h = region
    with Image.open(master) as im:
        scale = TILE / w
        if scale < 1:
            im.draft("RGB", (int(W * scale), int(H * scale)))
        f = im.size[0] / W
        crop = im.crop((int(x * f), int(y * f), int((x + w) * f), int((y + h) * f)))
        if crop.size != (TILE, TILE):
            crop = crop.resize((TILE, TILE), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        crop.save(buf, "JPEG", quality=85)
    return buf.getvalue()


REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "bench-reference"
REFERENCE_SCRIPT = r"""
import json, statistics, sys, time
from iiif.manipulator_pil import IIIFManipulatorPIL
from iiif.request import IIIFRequest
master, out, size, regions = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
times = []
for region in regions:
    req = IIIFRequest(api_version="3.0", identifier="bench", region=",".join(map(str, region)), size=size,
                      rotation="0", quality="default", format="jpg")
    t = time.perf_counter()
    req.parse_parameters()
    IIIFManipulatorPIL(api_version="3.0").derive(srcfile=master, request=req, outfile=out)
    times.append((time.perf_counter() - t) * 1000)
print(statistics.median(times))
"""


def reference_ms(master: Path, regions: list[tuple[int, int, int, int]], out: Path) -> float:
    """The `iiif` package (zimeon's reference implementation) on the same requests, median ms.

    It is installed on its own (`pip install --target data/bench-reference`) and run in a child process:
    its top-level package is also called `iiif` and must never shadow ours in the project's environment.
    """
    if not (REFERENCE_DIR / "iiif" / "manipulator_pil.py").is_file():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                        str(REFERENCE_DIR), "iiif==1.0.10"], check=True)
    run = subprocess.run([sys.executable, "-c", REFERENCE_SCRIPT, str(master), str(out), f"{TILE},", json.dumps(regions)],
                         capture_output=True, text=True, check=True, cwd=str(REFERENCE_DIR),
                         env={**os.environ, "PYTHONPATH": str(REFERENCE_DIR), "PYTHONNOUSERSITE": "1"})
    return float(run.stdout.strip().splitlines()[-1])


def main() -> int:
    from werkzeug.serving import make_server

    from iiif.manifest import ManifestOptions, build_manifest
    from portal.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        master_src = make_master(root)
        holder: dict[str, Any] = {}
        server = make_server("127.0.0.1", 0, lambda e, s: holder["app"](e, s), threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        store = open_store(str(root / "store"))
        t = time.perf_counter()
        load_records(store, parse_scans(root / "scans"), uris=Uris(base), jurisdiction="KZ",
                     images_dir=root / "images", rejects=RejectLog(None))
        ingest_s = time.perf_counter() - t
        holder["app"] = create_app({"BASE_URL": base, "STORE": str(root / "store"), "IMAGES": str(root / "images"),
                                    "SECRET_KEY": "bench"}, store=store)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        image_id = "local-bench-6000-1"
        master = root / "images" / image_id / "master.jpg"
        results: dict[str, float] = {"ingest_with_pyramid_s": ingest_s}
        try:
            with requests.Session() as http:
                def get(region: tuple[int, int, int, int]) -> bytes:
                    url = f"{base}/iiif/image/{image_id}/{','.join(map(str, region))}/{TILE},/0/default.jpg"
                    r = http.get(url, timeout=60)
                    assert r.status_code == 200, (url, r.status_code, r.text[:200])
                    return r.content

                get((0, 0, TILE, TILE))  # warm up: open the pyramid, the store, the connection
                for name, full_res in (("full_res", True), ("reduced", False)):
                    regions = tile_regions(full_res)
                    runs = min(RUNS, len(regions))
                    results[f"{name}_uncached_ms"] = median_ms(lambda i: get(regions[i + (1 if full_res else 0)]), runs - 1)
                    results[f"{name}_cached_ms"] = median_ms(lambda i: get(regions[1 + i % (runs - 2)]), runs)
                    results[f"{name}_pillow_floor_ms"] = median_ms(lambda i: pillow_floor(master, regions[i % runs]), 7)
                    results[f"{name}_reference_ms"] = reference_ms(master, regions[:7], root / "ref.jpg")
                m = holder["app"].extensions["meros"]
                opts = ManifestOptions()

                def rate(fn: Callable[[], Any], seconds: float = 2.0) -> float:
                    n, t0 = 0, time.perf_counter()
                    while time.perf_counter() - t0 < seconds:
                        fn()
                        n += 1
                    return n / (time.perf_counter() - t0)

                results["manifests_per_s_generation"] = rate(
                    lambda: build_manifest(get_object(store, m.uris, "local-bench-6000"), m.uris, opts))
                client = holder["app"].test_client()
                results["manifests_per_s_app"] = rate(lambda: client.get("/iiif/local-bench-6000/manifest"))
                results["manifests_per_s_http"] = rate(
                    lambda: http.get(f"{base}/iiif/local-bench-6000/manifest", timeout=30))
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
            store.close()
    report(results)
    return 0


def report(r: dict[str, float]) -> None:
    print(f"6000×{H} JPEG, {TILE} px tiles, medians of {RUNS} (HTTP through Flask/werkzeug on 127.0.0.1)")
    print(f"  ingest incl. pyramid build       {r['ingest_with_pyramid_s']:8.2f} s")
    for name, label in (("full_res", "512 px tile at full resolution"), ("reduced", "reduced tile 0,0,2048,2048 → 512,")):
        print(f"  {label}")
        print(f"    ours, uncached (HTTP)          {r[f'{name}_uncached_ms']:8.1f} ms")
        print(f"    ours, cached (HTTP)            {r[f'{name}_cached_ms']:8.1f} ms")
        print(f"    raw Pillow floor (no HTTP)     {r[f'{name}_pillow_floor_ms']:8.1f} ms"
              f"   → ours is {r[f'{name}_pillow_floor_ms'] / r[f'{name}_uncached_ms']:.1f}× faster")
        print(f"    reference `iiif` (no HTTP)     {r[f'{name}_reference_ms']:8.1f} ms"
              f"   → ours is {r[f'{name}_reference_ms'] / r[f'{name}_uncached_ms']:.1f}× faster")
    print(f"  manifests/s: generated (store read + iiif-prezi3) {r['manifests_per_s_generation']:.0f}; "
          f"through the app (cached) {r['manifests_per_s_app']:.0f}; over HTTP, one client on werkzeug's "
          f"development server {r['manifests_per_s_http']:.0f}")
    checks = [
        ("uncached full-res tile ≤ 20 ms", r["full_res_uncached_ms"] <= TARGETS["uncached_full_res_ms"]),
        ("cached tile ≤ 5 ms", max(r["full_res_cached_ms"], r["reduced_cached_ms"]) <= TARGETS["cached_ms"]),
        ("≥ 10× the reference", min(r["full_res_reference_ms"] / r["full_res_uncached_ms"],
                                    r["reduced_reference_ms"] / r["reduced_uncached_ms"]) >= TARGETS["speedup_vs_reference"]),
        ("≥ 500 manifests/s generated", r["manifests_per_s_generation"] >= TARGETS["manifests_per_s"]),
    ]
    for text, ok in checks:
        print(f"  target {text:<34} {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
