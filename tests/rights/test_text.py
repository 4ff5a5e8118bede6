"""Every reason message exists in uz, kk, ru, en and fr, with the same facts in each, and renders."""
from __future__ import annotations

import re
import string

import pytest

from ontology.rights_messages import BASES, COUNTRY_IN, COUNTRY_OF, LANGUAGES, RESULTS, RULES, SENTENCES
from ontology.rights_text import STATEMENT_NAMES, Clause, render, render_all, sentence

TABLES = {"basis": BASES, "result": RESULTS, "sentence": SENTENCES, "rule": RULES, "statement": STATEMENT_NAMES,
          "country in": COUNTRY_IN, "country of": COUNTRY_OF}
PARAMS = {"death": 1902, "birth": 1650, "bound": 1775, "made": 1799, "rehab": 1988, "pub": 1934, "year": 1973,
          "last": 1972, "latest": 2074, "amended": 2021, "country": "KZ", "rule": "life", "n": 70,
          "quote": (("en", "public domain"), ("fr", "domaine public")), "curator": "A. Seitkali", "text": "Cleared."}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("table", TABLES)
def test_every_message_is_in_all_five_languages_with_the_same_placeholders(table: str) -> None:
    for key, by_lang in TABLES[table].items():
        assert set(by_lang) == set(LANGUAGES), (table, key)
        assert all(text.strip() for text in by_lang.values()), (table, key)
        assert len({frozenset(fields(t) - {"ru_years"}) for t in by_lang.values()}) == 1, (table, key, by_lang)


@pytest.mark.parametrize("key", [*BASES, *RESULTS, *SENTENCES])
def test_every_message_renders_in_every_language(key: str) -> None:
    clause = Clause(key, **PARAMS)
    for lang in LANGUAGES:
        text = sentence(clause, lang)
        assert "{" not in text and "}" not in text, (key, lang, text)


def test_uzbek_is_latin_with_the_modifier_letters() -> None:
    every_uz = " ".join(by_lang["uz"] for table in TABLES.values() for by_lang in table.values())
    assert not re.search(r"[\u0400-\u04FF]", every_uz)
    assert "ʻ" in every_uz and "'" not in every_uz.replace("l'", "")  # oʻ gʻ with U+02BB, not an apostrophe


def test_quotes_follow_each_languages_conventions_and_pick_the_language() -> None:
    clause = Clause("source_states", quote=(("en", "public domain"), ("fr", "domaine public")))
    assert render([clause], "en") == "The source states “public domain”."
    assert render([clause], "fr") == "La source indique « domaine public »."
    assert render([clause], "ru") == "Источник указывает: «public domain»."


def test_russian_years_agree_with_the_number() -> None:
    reasons = render_all([Clause("died", death=1961), Clause("protected", country="RU", last=2035, year=2036,
                                                              rule="life", n=74)])
    assert reasons["ru"].endswith("(жизнь автора + 74 года).")
    assert reasons["en"].endswith("(life + 74).")
    assert reasons["fr"] == ("Décès de l'auteur en 1961 : protégée en Russie jusqu'à la fin de 2035, domaine public "
                             "à partir du 1er janvier 2036 (vie de l'auteur + 74 ans).")
