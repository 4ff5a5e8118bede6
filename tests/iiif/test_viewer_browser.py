"""The embedded viewer in headless Chromium: Mirador draws a local scan's tiles, with no console errors.

The session app's public base URL is http://127.0.0.1:5000 while the test
server listens on another port, so requests to the base URL are routed to the
test server: what a reverse proxy in front of the portal does.
"""
from __future__ import annotations

import io
import time
from typing import Any

import pytest
from PIL import Image, ImageStat

pytestmark = pytest.mark.browser

BASE = "http://127.0.0.1:5000"
ITEM = "/item/local-berckenrode-amsterdam-map"
# Mirador 4.0.0's prebuilt dist/mirador.min.js bundles React in development mode (its build replaced
# `process.env` by `{}`), and React 19 logs this deprecation notice from inside Mirador's own components.
# It is not an error of the page; any other console message fails the test.
KNOWN_LIBRARY_NOTICES = ("Accessing element.ref was removed in React 19.",)


def _route_base_to(page: Any, live_server: str) -> list[str]:
    served: list[str] = []

    def forward(route: Any) -> None:
        served.append(route.request.url)
        route.continue_(url=route.request.url.replace(BASE, live_server, 1))

    page.route(f"{BASE}/**", forward)
    return served


def test_viewer_draws_the_scan_without_console_errors(live_server: str, page: Any) -> None:
    served = _route_base_to(page, live_server)
    page.goto(live_server + ITEM)
    viewer = page.locator("#iiif-viewer")
    assert viewer.get_attribute("data-manifest") == f"{BASE}/iiif/local-berckenrode-amsterdam-map/manifest"
    page.wait_for_selector("#iiif-viewer canvas", timeout=20_000)
    deadline = time.monotonic() + 20
    drawn = False
    while time.monotonic() < deadline and not drawn:
        page.wait_for_timeout(500)
        shot = Image.open(io.BytesIO(page.locator("#iiif-viewer .openseadragon-canvas").first.screenshot()))
        stat = ImageStat.Stat(shot.convert("L"))
        colours = len(set(shot.convert("RGB").resize((200, 200)).getdata()))
        drawn = stat.stddev[0] > 20 and colours > 500  # a drawn map, not a blank or flat panel
    assert drawn, "the viewer's canvas stayed blank"
    assert any("/iiif/image/local-berckenrode-amsterdam-map-1/" in url and url.endswith(".jpg") for url in served)
    assert [e for e in page.console_errors if not e.startswith(KNOWN_LIBRARY_NOTICES)] == []
    links = page.locator("ul.iiif-links a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("iiif-content=" in h for h in hrefs)
    assert any(h.startswith(f"{BASE}/iiif/local-berckenrode-amsterdam-map/manifest?manifest=") for h in hrefs)
