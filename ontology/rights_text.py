"""The rights reason as sentences a reader can check, in all five interface languages.

The rules (`rights_rules`) and the decision (`rights`) say *what* was found as
`Clause`s — a message key and its facts (years, a country code, a rule); this
module says it in uz (Latin), kk, ru, en and fr, from the messages of
`rights_messages`. Country names are kept in the grammatical forms the
sentences need ("in" and "of"), so no sentence has to inflect a name.

>>> render([Clause("died", death=1902), Clause("pd", country="KZ", year=1973, rule="life", n=70)], "en")
'Author died 1902: public domain in Kazakhstan since 1 January 1973 (life + 70).'
>>> render([Clause("died", death=1902), Clause("pd", country="KZ", year=1973, rule="life", n=70)], "kk")
'Автор 1902 жылы қайтыс болған: Қазақстанда 1973 жылғы 1 қаңтардан бастап қоғамдық игілік (автордың өмірі + 70 жыл).'
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .rights_messages import BASES, COUNTRY_IN, COUNTRY_OF, JOIN, LANGUAGES, QUOTE, RESULTS, RULES, SENTENCES


@dataclass(frozen=True)
class Clause:
    """One finding: a message key and its facts (ints, country codes, rule keys, quoted text)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def __init__(self, key: str, **params: object) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", tuple(sorted(params.items())))

    def get(self, name: str) -> object:
        return dict(self.params).get(name)


def _ru_years(n: int) -> str:
    """'год', 'года' or 'лет' after a number, as Russian wants.

    >>> [f"{n} {_ru_years(n)}" for n in (1, 4, 25, 50, 70, 74, 95, 121)]
    ['1 год', '4 года', '25 лет', '50 лет', '70 лет', '74 года', '95 лет', '121 год']
    """
    if n % 10 == 1 and n % 100 != 11:
        return "год"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "года"
    return "лет"


# Names of the statements Meros writes or reads, for reasons and the "Can I use it?" box.
STATEMENT_NAMES: dict[str, dict[str, str]] = {
    "PDM": {"en": "Public Domain Mark", "ru": "Знак общественного достояния", "kk": "Қоғамдық игілік белгісі",
            "uz": "Jamoat mulki belgisi", "fr": "Marque du domaine public"},
    "CC0": {"en": "CC0 Public Domain Dedication", "ru": "CC0 — передача в общественное достояние",
            "kk": "CC0 — қоғамдық игілікке беру", "uz": "CC0 — jamoat mulkiga oʻtkazish",
            "fr": "CC0 – transfert dans le domaine public"},
    "NoC-US": {"en": "No Copyright – United States", "ru": "Нет авторского права — США",
               "kk": "Авторлық құқық жоқ — АҚШ", "uz": "Mualliflik huquqi yoʻq — AQSh",
               "fr": "Pas de droit d'auteur – États-Unis"},
    "NoC-OKLR": {"en": "No Copyright – Other Known Legal Restrictions",
                 "ru": "Нет авторского права — иные известные правовые ограничения",
                 "kk": "Авторлық құқық жоқ — басқа белгілі құқықтық шектеулер",
                 "uz": "Mualliflik huquqi yoʻq — boshqa maʼlum huquqiy cheklovlar",
                 "fr": "Pas de droit d'auteur – autres restrictions juridiques connues"},
    "NoC-NC": {"en": "No Copyright – Non-Commercial Use Only",
               "ru": "Нет авторского права — только некоммерческое использование",
               "kk": "Авторлық құқық жоқ — тек коммерциялық емес пайдалану",
               "uz": "Mualliflik huquqi yoʻq — faqat notijorat foydalanish",
               "fr": "Pas de droit d'auteur – utilisation non commerciale uniquement"},
    "NoC-CR": {"en": "No Copyright – Contractual Restrictions", "ru": "Нет авторского права — договорные ограничения",
               "kk": "Авторлық құқық жоқ — шарттық шектеулер", "uz": "Mualliflik huquqi yoʻq — shartnomaviy cheklovlar",
               "fr": "Pas de droit d'auteur – restrictions contractuelles"},
    "NKC": {"en": "No Known Copyright", "ru": "Известных авторских прав нет", "kk": "Белгілі авторлық құқық жоқ",
            "uz": "Maʼlum mualliflik huquqi yoʻq", "fr": "Pas de droit d'auteur connu"},
    "InC": {"en": "In Copyright", "ru": "Охраняется авторским правом", "kk": "Авторлық құқықпен қорғалған",
            "uz": "Mualliflik huquqi bilan himoyalangan", "fr": "Protégé par le droit d'auteur"},
    "InC-EDU": {"en": "In Copyright – Educational Use Permitted",
                "ru": "Охраняется авторским правом — разрешено использование в образовании",
                "kk": "Авторлық құқықпен қорғалған — білім беруде пайдалануға рұқсат етілген",
                "uz": "Mualliflik huquqi bilan himoyalangan — taʼlimda foydalanishga ruxsat etilgan",
                "fr": "Protégé par le droit d'auteur – utilisation à des fins éducatives autorisée"},
    "InC-NC": {"en": "In Copyright – Non-Commercial Use Permitted",
               "ru": "Охраняется авторским правом — разрешено некоммерческое использование",
               "kk": "Авторлық құқықпен қорғалған — коммерциялық емес пайдалануға рұқсат етілген",
               "uz": "Mualliflik huquqi bilan himoyalangan — notijorat foydalanishga ruxsat etilgan",
               "fr": "Protégé par le droit d'auteur – utilisation non commerciale autorisée"},
    "InC-RUU": {"en": "In Copyright – Rights-holder(s) Unlocatable or Unidentifiable",
                "ru": "Охраняется авторским правом — правообладатель не найден или не установлен",
                "kk": "Авторлық құқықпен қорғалған — құқық иесі табылмаған немесе анықталмаған",
                "uz": "Mualliflik huquqi bilan himoyalangan — huquq egasi topilmagan yoki aniqlanmagan",
                "fr": "Protégé par le droit d'auteur – ayant(s) droit introuvable(s) ou non identifiable(s)"},
    "InC-OW-EU": {"en": "In Copyright – EU Orphan Work", "ru": "Охраняется авторским правом — «сиротское» произведение ЕС",
                  "kk": "Авторлық құқықпен қорғалған — ЕО-ның «жетім» шығармасы",
                  "uz": "Mualliflik huquqi bilan himoyalangan — YeI „yetim“ asari",
                  "fr": "Protégé par le droit d'auteur – œuvre orpheline de l'UE"},
    "CNE": {"en": "Copyright Not Evaluated", "ru": "Авторское право не оценено", "kk": "Авторлық құқық бағаланбаған",
            "uz": "Mualliflik huquqi baholanmagan", "fr": "Droit d'auteur non évalué"},
    "UND": {"en": "Copyright Undetermined", "ru": "Авторское право не определено",
            "kk": "Авторлық құқық анықталмаған", "uz": "Mualliflik huquqi aniqlanmagan",
            "fr": "Droit d'auteur indéterminé"},
}

_TABLES = (BASES, RESULTS, SENTENCES)


def _fill(template: str, clause: Clause, lang: str) -> str:
    values: dict[str, object] = dict(clause.params)
    country = values.get("country")
    if isinstance(country, str):
        values["in"], values["of"] = COUNTRY_IN[country][lang], COUNTRY_OF[country][lang]
    rule = values.get("rule")
    if isinstance(rule, str):
        n = int(values.get("n") or 0)  # type: ignore[call-overload]
        values["rule"] = RULES[rule][lang].format(n=n, ru_years=_ru_years(n))
    quote = values.get("quote")
    if isinstance(quote, tuple):  # ((lang, words), …): the words in this language, else the first given
        by_lang = dict(quote)
        quote = by_lang.get(lang) or next((w for code, w in quote if code.split("-")[0] == lang), quote[0][1])
    if quote is not None:
        values["quote"] = QUOTE[lang].format(quote)
    return template.format(**values)


def sentence(clause: Clause, lang: str) -> str:
    """One clause in one language (a basis or result without its punctuation, or a whole sentence)."""
    for table in _TABLES:
        if clause.key in table:
            return _fill(table[clause.key][lang], clause, lang)
    raise KeyError(f"no rights message {clause.key!r}")


def render(clauses: Sequence[Clause], lang: str) -> str:
    """A reason: a basis and its result joined as one sentence, then whole sentences, in `lang`."""
    parts: list[str] = []
    pending: str | None = None
    for clause in clauses:
        if clause.key in BASES:
            pending = sentence(clause, lang)
        elif clause.key in RESULTS:
            text = sentence(clause, lang)
            parts.append(JOIN[lang].format(pending, text) if pending else _capital(text) + ".")
            pending = None
        else:
            parts.append(sentence(clause, lang))
    if pending:
        parts.append(pending + ".")
    return " ".join(parts)


def render_all(clauses: Iterable[Clause]) -> dict[str, str]:
    """The reason in every interface language."""
    return dict(_render_all(tuple(clauses)))


@lru_cache(maxsize=4096)
def _render_all(clauses: tuple[Clause, ...]) -> dict[str, str]:
    # a collection repeats a few thousand reasons (the same authors, years, sources): a load fills each once
    return {lang: render(clauses, lang) for lang in LANGUAGES}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def statement_name(key: str, lang: str) -> str | None:
    names = STATEMENT_NAMES.get(key)
    return names[lang] if names else None
