"""docs/rights.md states the same rules as the code, each with its source, and the overrides format."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontology.rights import OVERRIDE_COLUMNS, STATEMENTS
from ontology.rights_laws import JURISDICTIONS, Jurisdiction

DOC = (Path(__file__).parents[2] / "docs" / "rights.md").read_text(encoding="utf-8")


def section(code: str) -> str:
    m = re.search(rf"^### {code} — .*?(?=^### |^## )", DOC, re.S | re.M)
    assert m, f"docs/rights.md has no section for {code}"
    return m.group(0)


@pytest.mark.parametrize("j", JURISDICTIONS.values(), ids=list(JURISDICTIONS))
def test_every_rule_is_documented_with_its_source(j: Jurisdiction) -> None:
    text = section(j.code)
    assert j.law.citation in text and (j.law.url is None or j.law.url in text)
    for rule in j.rules:
        row = re.search(rf"^\| {re.escape(rule.key)} \| {re.escape(rule.summary)} \| (.+) \|$", text, re.M)
        assert row, f"{j.code} {rule.key}: no table row with the code's summary"
        cited = row.group(1)
        first = cited.split(" (<")[0]
        law = j.rules[0].source.citation.split(", art.")[0]  # "same, art. N": the first row's law, article N
        assert first == rule.source.citation or (
            first.startswith("same") and rule.source.citation.startswith(law)
            and rule.source.citation.endswith(first.removeprefix("same").lstrip(", "))
        ), (j.code, rule.key, cited)


def test_overrides_format_and_statement_keys_are_documented() -> None:
    assert ",".join(OVERRIDE_COLUMNS) in DOC
    for key in STATEMENTS:
        assert f"`{key}`" in DOC, key
