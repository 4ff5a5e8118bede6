"""The portal in a real browser: pages render with no console errors."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_renders_in_chromium_without_console_errors(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text().startswith("Manuscripts")
    page.fill("#q", "nouvelle")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=nouvelle")
    assert page.locator("ol.results li").count() > 0
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []
