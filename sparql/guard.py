"""What a query is, found by reading its tokens, before any engine sees it.

pyoxigraph fetches the URL a `SERVICE` clause names and has no notion of a
read-only endpoint, so the public endpoint decides from the text itself:
strings, IRIs and comments are recognised first (they may contain any word),
then the keywords that matter are looked at. The tokenizer follows the
SPARQL 1.1 grammar's terminals (IRIREF, the four string forms, PNAME_LN,
VAR, comments); the tests hold it to rdflib's parser on the tricky cases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ontology.errors import BadRequest, MerosError

_TOKENS = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][^\W]+)
  | (?P<bnode>_:[^\W]+(?:[\w.\-]*[\w\-])?)
  | (?P<pname>(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:
              (?:(?:[\w:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])
                 (?:(?:[\w.:\-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*
                    (?:[\w:\-]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]))?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})


class ReadOnly(MerosError):
    """An update sent to the public endpoint."""

    status = 403


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE, or the update keyword
    has_dataset: bool  # FROM / FROM NAMED in the query itself
    services: tuple[str | None, ...] = field(default=())  # SERVICE targets; None for a variable

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def is_graph(self) -> bool:
        return self.form in GRAPH_FORMS


def tokens(text: str) -> list[Token]:
    """The query's meaningful tokens (whitespace and comments dropped).

    >>> [t.text for t in tokens('SELECT * { ?s <http://x#a> "#SERVICE" } # SERVICE')]
    ['SELECT', '*', '{', '?s', '<http://x#a>', '"#SERVICE"', '}']
    """
    out = []
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, m.group(), m.start()))
    return out


def _prefixes(toks: list[Token]) -> tuple[dict[str, str], str]:
    """PREFIX declarations and the last BASE, from the prologue (IRIs resolved against BASE)."""
    prefixes: dict[str, str] = {}
    base = ""
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            prefixes[toks[i + 1].text[:-1]] = urljoin(base, toks[i + 2].text[1:-1])
    return prefixes, base


def _service_target(toks: list[Token], i: int, prefixes: dict[str, str], base: str) -> str | None:
    """The endpoint IRI after the SERVICE keyword at `i` (SILENT skipped); None when it is a variable."""
    j = i + 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
        j += 1
    if j >= len(toks):
        return None
    tok = toks[j]
    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def unescape_codepoints(text: str) -> str:
    r"""The query with `\uXXXX` / `\UXXXXXXXX` escapes replaced, as SPARQL 1.1 (19.2) does before parsing.

    pyoxigraph only honours them inside strings, other engines (Jena) anywhere:
    the check reads both the raw and the unescaped text.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", repl, text)


# Outside strings a backslash only escapes a prefixed name's character (`ex:a\#b`): keep it from starting a comment.
_HIDDEN = re.compile(
    r"""\\.|\#[^\n\r]*|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>""",
    re.DOTALL,
)
_KEYWORD = re.compile(r"(?<![\w:?$])(" + "|".join(sorted(QUERY_FORMS | UPDATE_FORMS)) + r"|FROM|SERVICE)(?![\w:-])",
                      re.IGNORECASE)


def visible_keywords(text: str) -> list[str]:
    """Upper-cased keywords outside strings, IRIs and comments (the fast pass, a few µs).

    >>> visible_keywords('SELECT * FROM <http://x/SERVICE> { ?s ?p "SERVICE" } # SERVICE')
    ['SELECT', 'FROM']
    """
    return [m.group(1).upper() for m in _KEYWORD.finditer(_HIDDEN.sub(" ", text))]


def _targets(text: str) -> tuple[str | None, ...]:
    toks = tokens(text)
    prefixes, base = _prefixes(toks)
    return tuple(_service_target(toks, i, prefixes, base) for i, t in enumerate(toks)
                 if t.kind == "word" and t.text.upper() == "SERVICE")


def analyse(text: str) -> QueryShape:
    """The query's form, whether it names its own dataset, and every SERVICE it would call.

    The fast keyword pass decides unless it sees SERVICE (or codepoint
    escapes); then the full tokenizer finds the endpoints.
    """
    words = visible_keywords(text)
    unescaped = unescape_codepoints(text) if "\\u" in text or "\\U" in text else text
    if unescaped != text:
        words += visible_keywords(unescaped)
    form = next((w for w in words if w in QUERY_FORMS or w in UPDATE_FORMS), "")
    if not form:
        raise BadRequest("Malformed SPARQL: no SELECT, ASK, CONSTRUCT or DESCRIBE found.")
    services: tuple[str | None, ...] = ()
    if "SERVICE" in words:
        services = _targets(text)
        if unescaped != text:
            services += tuple(s for s in _targets(unescaped) if s not in services)
    return QueryShape(form=form, has_dataset="FROM" in words, services=services)


def check(text: str, allowed_services: frozenset[str] = frozenset()) -> QueryShape:
    """The query's shape if the public endpoint may run it; 403 for an update, 400 for a refused SERVICE."""
    if not text.strip():
        raise BadRequest("The query is empty.")
    shape = analyse(text)
    if shape.is_update:
        raise ReadOnly(f"The endpoint is read-only: {shape.form} (a SPARQL update) is not accepted here.")
    for target in shape.services:
        if target is None:
            raise BadRequest("SERVICE with a variable endpoint is refused: the server never fetches a URL "
                             "that a query names.")
        if target not in allowed_services:
            allowed = ", ".join(sorted(allowed_services)) or "none (MEROS_SPARQL_SERVICES is empty)"
            raise BadRequest(f"SERVICE <{target}> is refused: the server never fetches a URL that a query names. "
                             f"Endpoints the operator allows: {allowed}.")
    return shape
