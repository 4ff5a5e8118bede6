"""The query editor in Debian's Chromium: YASGUI runs a query against /sparql; axe finds nothing serious;
without JavaScript the plain form still runs queries."""
from __future__ import annotations

from tests.axe import axe_violations

import pytest

pytestmark = pytest.mark.browser




def test_yasgui_runs_a_query_and_the_page_is_accessible(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/sparql", wait_until="load")
    page.wait_for_selector("#yasgui .yasqe")
    assert page.locator("form.sparql-form").is_hidden()  # YASGUI replaced the plain form
    page.locator(".load-example").nth(4).click()  # objects per language
    page.locator("#yasgui .yasqe_queryButton").click()
    page.wait_for_selector("#yasgui .yasr table tbody tr", timeout=15_000)
    assert page.locator("#yasgui .yasr table tbody tr").count() > 3
    violations = [v for v in axe_violations(page, live_server) if v["impact"] in ("serious", "critical")]
    assert violations == [], "\n".join(map(str, violations))
    assert [e for e in page.console_errors if "Failed to load resource" not in e] == []


def test_without_javascript_the_form_runs_the_query(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(live_server + "/sparql", wait_until="load")
        assert pg.locator("form.sparql-form").is_visible()
        pg.fill("#query", "SELECT ?type (COUNT(*) AS ?n) WHERE { ?c <http://www.europeana.eu/schemas/edm/type> ?type } "
                          "GROUP BY ?type")
        pg.click("form.sparql-form button[type=submit]")
        pg.wait_for_selector(".sparql-results table")
        assert pg.locator(".sparql-results tbody tr").count() >= 2
        pg.click("ul.sparql-examples li a >> nth=1")  # an example link runs without JavaScript too
        pg.wait_for_selector(".sparql-results table")
    finally:
        context.close()
