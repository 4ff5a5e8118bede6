"""The search box's language — words, "phrases", prefix*, -excluded — turned into a tantivy query.

Every clause must match (AND); a clause matches in any of the skeleton fields
(titles, names, the other texts; the same `scripts.fold` as at index time) or in the
French/Russian stemmed text. Parsing is ours, so no input is a syntax error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import tantivy

from .params import SearchParams
from .schema import SKELETON_FIELDS, STEMMED_FIELDS, key
from .scripts import fold, normalise

_CLAUSE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MIN_PREFIX = 2
Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


@dataclass(frozen=True)
class Clause:
    kind: str  # "word" | "phrase" | "prefix"
    text: str
    negated: bool = False


def parse(q: str) -> list[Clause]:
    """The clauses of a query string.

    >>> parse('qara "petit journal" -burlesque carte*')
    [Clause(kind='word', text='qara', negated=False), Clause(kind='phrase', text='petit journal', negated=False), \
Clause(kind='word', text='burlesque', negated=True), Clause(kind='prefix', text='carte', negated=False)]
    """
    out = []
    for m in _CLAUSE.finditer(q):
        if m.group(2) is not None:
            if m.group(2).strip():
                out.append(Clause("phrase", m.group(2), bool(m.group(1))))
            continue
        token = m.group(3)
        negated = token.startswith("-") and len(token) > 1
        token = token.lstrip("+-") if negated or token.startswith("+") else token
        if token.endswith("*") and len(token.rstrip("*")) >= MIN_PREFIX:
            out.append(Clause("prefix", token.rstrip("*"), negated))
        elif token.strip("*"):
            out.append(Clause("word", token.strip("*"), negated))
    return out


class QueryBuilder:
    """Builds queries against one index (its schema and analyzers)."""

    def __init__(self, schema: tantivy.Schema, analyzers: dict[str, tantivy.TextAnalyzer]) -> None:
        self.schema = schema
        self.skeleton = analyzers["skeleton"]
        self.stemmers = {"text_fr": analyzers["meros_fr"], "text_ru": analyzers["meros_ru"]}

    def _terms(self, field: str, tokens: list[str]) -> tantivy.Query:
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, tokens)

    def clause(self, c: Clause) -> tantivy.Query | None:
        tokens = self.skeleton.analyze(fold(c.text))
        if not tokens:
            return None
        alternatives: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for field, boost in SKELETON_FIELDS:
            if c.kind == "prefix":
                prefix = tantivy.Query.regex_query(self.schema, field, re.escape(tokens[-1]) + ".*")
                if len(tokens) > 1:
                    prefix = tantivy.Query.boolean_query([(Must, self._terms(field, tokens[:-1])), (Must, prefix)])
                q = prefix
            else:
                q = self._terms(field, tokens)
            alternatives.append((Should, tantivy.Query.boost_query(q, boost) if boost != 1.0 else q))
        if c.kind != "prefix":
            for field in STEMMED_FIELDS:
                stems = self.stemmers[field].analyze(normalise(c.text))
                if stems:
                    alternatives.append((Should, self._terms(field, stems)))
        return tantivy.Query.boolean_query(alternatives)

    def text_query(self, q: str) -> tantivy.Query:
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for c in parse(q):
            built = self.clause(c)
            if built is not None:
                parts.append((MustNot if c.negated else Must, built))
        if not any(occur == Must for occur, _ in parts):
            parts.append((Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(parts)

    def _any_of(self, field: str, values: tuple[str, ...]) -> tantivy.Query:
        terms = [tantivy.Query.term_query(self.schema, field, v) for v in values]
        return terms[0] if len(terms) == 1 else tantivy.Query.boolean_query([(Should, t) for t in terms])

    def build(self, p: SearchParams) -> tantivy.Query:
        """The full query: text clauses and every filter of `p`."""
        parts: list[tuple[tantivy.Occur, tantivy.Query]] = [(Must, self.text_query(p.q))] if p.q else []
        for field, values in (("type", p.type), ("genre", p.genre), ("provider", p.provider),
                              ("language", p.language), ("century", p.century)):
            if values:
                parts.append((Must, self._any_of(field, values)))
        for field, values in (("creator_key", p.creator), ("subject_key", p.subject), ("place_key", p.place)):
            if values:
                parts.append((Must, self._any_of(field, tuple(key(v) for v in values))))
        if p.rights != "any":
            parts.append((Must, tantivy.Query.term_query(self.schema, "rights", p.rights)))
        if p.year_from is not None:
            parts.append((Must, tantivy.Query.range_query(self.schema, "year_to", tantivy.FieldType.Integer,
                                                          p.year_from, None)))
        if p.year_to is not None:
            parts.append((Must, tantivy.Query.range_query(self.schema, "year_from", tantivy.FieldType.Integer,
                                                          None, p.year_to)))
        if not parts:
            return tantivy.Query.all_query()
        return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)
