"""The "Can I use it?" box: statement name and link, status, reason and public-domain year in the interface
language, on the real item page over the session store (loaded under KZ), and the partial on its own."""
from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from flask import render_template

from ontology.record import Text
from ontology.rights import STATEMENTS, decide
from ontology.rights_messages import LANGUAGES
from ontology.rights_text import STATEMENT_NAMES
from sparql.objects import ObjectView

from .test_decision import sample


def box(html: str) -> Any:
    (section,) = lxml.html.fromstring(html).xpath("//section[contains(@class, 'rights')]")
    return section


def text_of(section: Any, xpath: str) -> str:
    return " ".join(" ".join(e.text_content().split()) for e in section.xpath(xpath))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_restricted_work_box_in_every_interface_language(client: Any, lang: str) -> None:
    resp = client.get("/item/curated-auezov-abai-zholy", query_string={"lang": lang})
    assert resp.status_code == 200
    section = box(resp.get_data(as_text=True))
    expected = decide(sample("curated-auezov-abai-zholy"), "KZ")  # what the load stored
    (reason,) = section.xpath(".//p[@class='reason']")
    assert reason.get("lang") == lang and reason.text_content() == expected.reason[lang]
    (link,) = section.xpath(".//a[@class='rights-statement']")
    assert link.get("href") == STATEMENTS["InC"] and link.get("rel") == "license"
    assert link.text_content() == STATEMENT_NAMES["InC"][lang]
    assert section.xpath(".//strong[@class='status-restricted']")
    assert "2032" in text_of(section, ".//p[@class='public-domain-from']")
    assert section.xpath(".//p[@class='rights-note']")  # what a reader may still do


def test_open_work_box(client: Any) -> None:
    section = box(client.get("/item/curated-abai-qara-sozder", query_string={"lang": "en"}).get_data(as_text=True))
    assert section.xpath(".//strong[@class='status-open']")
    (link,) = section.xpath(".//a[@class='rights-statement']")
    assert (link.get("href"), link.text_content()) == (STATEMENTS["PDM"], "Public Domain Mark")
    assert text_of(section, ".//p[@class='reason']") == (
        "Author died 1904: public domain in Kazakhstan since 1 January 1975 (life + 70).")
    assert "1975" in text_of(section, ".//p[@class='public-domain-from']")
    assert not section.xpath(".//p[@class='rights-note']")


def view(statement: str | None, reasons: list[Text], status: str = "restricted") -> ObjectView:
    return ObjectView(id="x-1", uri="http://127.0.0.1:5000/id/x-1", titles=[Text("X")], edm_type="TEXT",
                      provider_key="x", rights_statement=statement, rights_status=status, rights_reason=reasons)


@pytest.mark.parametrize("key", STATEMENT_NAMES)
def test_the_partial_names_every_statement_as_rights_text_does(app: Any, key: str) -> None:
    with app.test_request_context("/"):
        for lang in LANGUAGES:
            section = box(render_template("_rights_box.html", obj=view(STATEMENTS[key], []), lang=lang))
            assert text_of(section, ".//a[@class='rights-statement']") == STATEMENT_NAMES[key][lang], (key, lang)


def test_the_partial_falls_back_to_english_then_any_reason_and_names_licences(app: Any) -> None:
    reasons = [Text("Raison", "fr"), Text("Reason", "en")]
    licence = "http://creativecommons.org/licenses/by-sa/3.0/"
    with app.test_request_context("/"):
        section = box(render_template("_rights_box.html", obj=view(licence, reasons, "open"), lang="kk"))
        assert text_of(section, ".//p[@class='reason']") == "Reason"
        assert text_of(section, ".//a[@class='rights-statement']") == "CC BY-SA 3.0"
        section = box(render_template("_rights_box.html", obj=view(None, [Text("Sebab", "uz")]), lang="ru"))
        assert text_of(section, ".//p[@class='reason']") == "Sebab" and not section.xpath(".//a")
