"""WCAG 2.1 AA in a real browser: axe-core on every kind of public page, phones at 375 px, keyboard, no JavaScript.

axe-core comes from the npm registry (served at /vendor/axe.min.js); Chromium
is Debian's, driven by Playwright.
"""
from __future__ import annotations

from tests.axe import axe_violations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "search": "/search?q=qara",
    "search-facets": "/search?q=journal&genre=periodical&sort=date",
    "item": "/item/gallica-btv1b55012939c",
    "item-kazakh": "/item/curated-abai-qara-sozder?lang=kk",
    "browse": "/browse",
    "browse-century": "/browse/century",
    "browse-place": "/browse/place",
    "exhibitions": "/exhibitions",
    "exhibition": "/exhibitions/books-of-central-asia",
}




@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(live_server: str, page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + PAGES[name], wait_until="load")
    violations = [v for v in axe_violations(page, live_server) if v["impact"] in ("serious", "critical")]
    assert violations == [], violations
    assert page.locator("html").get_attribute("lang")
    assert page.locator("main#main").count() == 1 and page.locator("header").count() >= 1
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


@pytest.mark.parametrize("name", ["search", "item", "item-kazakh", "exhibition", "browse-place", "home"])
def test_a_375_px_phone_needs_no_horizontal_scrolling(browser, live_server: str, name: str,  # type: ignore[no-untyped-def]
                                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, is_mobile=True)
    try:
        pg = context.new_page()
        pg.goto(live_server + PAGES[name], wait_until="load")
        shot = Path(tmp_path_factory.mktemp("screens")) / f"{name}-375.png"
        pg.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name}: the page is {width} px wide"
        wide = pg.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.leaflet-container'))  // the map clips its own layers
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && getComputedStyle(e).position !== 'absolute')
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert wide == [], f"{name}: elements past the right edge: {wide}"
    finally:
        context.close()


def test_search_and_item_work_without_javascript(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(live_server + "/")
        pg.fill("#home-q", "Ўткан кунлар")
        pg.press("#home-q", "Enter")
        pg.wait_for_url("**/search?q=*")
        pg.click("a.result-title")
        pg.wait_for_url("**/item/curated-qodiriy-otkan-kunlar")
        assert pg.locator("h1").inner_text() == "O‘tkan kunlar"
        pg.goto(live_server + "/search?q=journal")
        pg.select_option("#sort", "title")
        pg.click("form.sort button")
        pg.wait_for_url("**sort=title**")
        assert pg.locator("ol.results li").count() > 0
    finally:
        context.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/search?q=carte")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    for _ in range(6):  # menu, search box, button, languages: all reachable by Tab
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON", "SELECT")


def test_the_place_map_draws_markers_without_tiles(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server + "/browse/place", wait_until="load")
    page.wait_for_selector(".leaflet-container")
    assert page.locator("path.leaflet-interactive").count() >= 4  # one circle per place with coordinates
    assert all(url.startswith(live_server) for url in requests), [u for u in requests if not u.startswith(live_server)]
    assert page.locator("ul.places li").count() >= 4  # the same places as a list
