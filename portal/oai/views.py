"""The /oai endpoint: argument checking, the six verbs, and the protocol's error answers (always HTTP 200)."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request
from lxml import etree

from .metadata import FORMATS, metadata
from .repository import SET_SPEC, Header, Repository, utc
from .tokens import BadToken, Position, Tokens

bp = Blueprint("oai", __name__)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
# verb → (required, optional) arguments besides the verb; a resumptionToken is exclusive
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DOMAIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")


class OAIError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def E(tag: str, text: str | None = None, **attrs: str) -> etree._Element:  # noqa: N802 - reads like the XML
    el = etree.Element(f"{{{OAI_NS}}}{tag}", {k: v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = E(tag, text, **attrs)
    parent.append(el)
    return el


class Provider:
    """One request's context: settings, store, tokens, the repository's identifier scheme."""

    def __init__(self) -> None:
        m = current_app.extensions["meros"]
        self.settings, self.uris = m.settings, m.uris
        self.repo = Repository(m.store, m.uris)
        self.store = m.store
        self.base_url = f"{m.uris.base}/oai"
        host = urlsplit(m.uris.base).hostname or ""
        self.domain = host if DOMAIN.match(host) else ""
        self.repository_id = self.domain or "meros"
        self.tokens = Tokens(current_app.config["SECRET_KEY"], self.settings["OAI_TOKEN_TTL"])

    def identifier(self, object_id: str) -> str:
        return f"oai:{self.repository_id}:{object_id}"

    def object_id(self, identifier: str) -> str:
        """Our id from an OAI identifier (or the persistent URI); idDoesNotExist otherwise."""
        for prefix in (f"oai:{self.repository_id}:", f"{self.uris.base}/id/"):
            if identifier.startswith(prefix):
                return identifier[len(prefix):]
        raise OAIError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository "
                                         f"(they look like {self.identifier('gallica-btv1b8449691v')}).")

    # -- verbs ------------------------------------------------------------------------------------------------
    def Identify(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        el = E("Identify")
        sub(el, "repositoryName", "Meros")
        sub(el, "baseURL", self.base_url)
        sub(el, "protocolVersion", "2.0")
        host = urlsplit(self.uris.base).hostname or "localhost"
        sub(el, "adminEmail", self.settings["OAI_ADMIN_EMAIL"] or f"webmaster@{host}")
        sub(el, "earliestDatestamp", self.repo.earliest())
        sub(el, "deletedRecord", "persistent")
        sub(el, "granularity", GRANULARITY)
        if self.domain:
            desc = sub(el, "description")
            oid = etree.SubElement(desc, f"{{{ID_NS}}}oai-identifier", nsmap={None: ID_NS, "xsi": XSI_NS})
            oid.set(f"{{{XSI_NS}}}schemaLocation", f"{ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
            for tag, text in (("scheme", "oai"), ("repositoryIdentifier", self.domain), ("delimiter", ":"),
                              ("sampleIdentifier", self.identifier("gallica-btv1b8449691v"))):
                etree.SubElement(oid, f"{{{ID_NS}}}{tag}").text = text
        return el

    def ListMetadataFormats(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        if "identifier" in args and self.repo.header(self.object_id(args["identifier"])) is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier {args['identifier']!r}.")
        el = E("ListMetadataFormats")
        for prefix, (schema, namespace) in FORMATS.items():
            fmt = sub(el, "metadataFormat")
            sub(fmt, "metadataPrefix", prefix)
            sub(fmt, "schema", schema)
            sub(fmt, "metadataNamespace", namespace)
        return el

    def ListSets(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "ListSets is answered in one piece; this repository issued no token.")
        el = E("ListSets")
        for spec, name in self.repo.sets():
            s = sub(el, "set")
            sub(s, "setSpec", spec)
            sub(s, "setName", name)
        return el

    def GetRecord(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        prefix = self._prefix(args["metadataPrefix"])
        header = self.repo.header(self.object_id(args["identifier"]))
        if header is None:
            raise OAIError("idDoesNotExist", f"No record has the identifier {args['identifier']!r}.")
        el = E("GetRecord")
        el.append(self._record(header, prefix))
        return el

    def ListIdentifiers(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        return self._list("ListIdentifiers", args, lambda h, p: self._header(h))

    def ListRecords(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        return self._list("ListRecords", args, self._record)

    # -- pieces -------------------------------------------------------------------------------------------------
    def _prefix(self, prefix: str) -> str:
        if prefix not in FORMATS:
            raise OAIError("cannotDisseminateFormat", f"metadataPrefix {prefix!r} is not offered; "
                                                      f"use one of {', '.join(FORMATS)}.")
        return prefix

    def _header(self, h: Header) -> etree._Element:
        el = E("header", status="deleted") if h.deleted else E("header")
        sub(el, "identifier", self.identifier(h.id))
        sub(el, "datestamp", utc(h.datestamp))
        for spec in h.sets:
            sub(el, "setSpec", spec)
        return el

    def _record(self, h: Header, prefix: str) -> etree._Element:
        el = E("record")
        el.append(self._header(h))
        if not h.deleted:
            meta = sub(el, "metadata")
            meta.append(metadata(prefix, self.store, self.uris, h.id))
        return el

    def _list(self, verb: str, args: dict[str, str], item: Callable[[Header, str], etree._Element]) -> etree._Element:
        if "resumptionToken" in args:
            try:
                pos = self.tokens.load(args["resumptionToken"], verb)
            except BadToken as e:
                raise OAIError("badResumptionToken", str(e)) from None
            after: tuple[str, str] | None = (pos.after_t, pos.after_id)
        else:
            prefix = self._prefix(args["metadataPrefix"])
            from_, until = dates(args.get("from"), args.get("until"))
            spec = args.get("set")
            if spec is not None and not SET_SPEC.match(spec):
                raise OAIError("badArgument", f"set={spec!r} is not a setSpec of this repository "
                                              "(provider:KEY, genre:KEY or type:TYPE; see ListSets).")
            size = self.repo.count(spec, from_, until)
            if size == 0:
                raise OAIError("noRecordsMatch", "No record matches these arguments.")
            pos = Position(verb, prefix, spec, from_, until, "", "", 0, size)
            after = None
        page = self.settings["OAI_PAGE_SIZE"]
        headers = self.repo.headers(pos.set, pos.from_, pos.until, after, page + 1)
        el = E(verb)
        for h in headers[:page]:
            el.append(item(h, pos.prefix))
        more = len(headers) > page
        if more or after is not None:  # a split list ends with an empty token
            sent = pos.cursor + min(len(headers), page)
            token = self.tokens.dump(Position(verb, pos.prefix, pos.set, pos.from_, pos.until, headers[page - 1].datestamp,
                                              headers[page - 1].id, sent, pos.size)) if more else ""
            attrs = {"completeListSize": str(pos.size), "cursor": str(pos.cursor)}
            if more:
                attrs["expirationDate"] = self.tokens.expiration()
            sub(el, "resumptionToken", token, **attrs)
        return el


def dates(from_: str | None, until: str | None) -> tuple[str | None, str | None]:
    """from/until as full xsd:dateTime bounds; both must use the same granularity (day or second)."""
    out = []
    for name, value, end in (("from", from_, False), ("until", until, True)):
        if value is None:
            out.append(None)
        elif DAY.match(value) or SECOND.match(value):
            try:
                datetime.strptime(value[:10], "%Y-%m-%d")
            except ValueError:
                raise OAIError("badArgument", f"{name}={value!r} is not a valid date") from None
            out.append(value if "T" in value else value + ("T23:59:59Z" if end else "T00:00:00Z"))
        else:
            raise OAIError("badArgument", f"{name}={value!r}: use {GRANULARITY} or YYYY-MM-DD")
    if from_ and until:
        if len(from_) != len(until):
            raise OAIError("badArgument", "from and until must have the same granularity")
        if out[0] > out[1]:  # type: ignore[operator]
            raise OAIError("badArgument", "from is later than until")
    return out[0], out[1]


def read_arguments() -> tuple[str | None, dict[str, str]]:
    """The verb and the other arguments; repeated or unknown arguments are errors of the protocol."""
    source = request.form if request.method == "POST" else request.args
    for key in source:
        if len(source.getlist(key)) > 1:
            raise OAIError("badVerb" if key == "verb" else "badArgument", f"The argument {key!r} is repeated.")
    args = {k: v for k, v in source.items()}
    verb = args.pop("verb", None)
    if verb not in VERBS:
        raise OAIError("badVerb", "The verb argument is missing." if verb is None else f"{verb!r} is not an OAI-PMH verb.")
    required, optional = VERBS[verb]
    unknown = set(args) - required - optional
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(sorted(unknown))}.")
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
    else:
        missing = required - set(args)
        if missing:
            raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    return verb, args


def envelope(request_attrs: dict[str, str], body: etree._Element) -> Response:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    sub(root, "responseDate", datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    sub(root, "request", f"{current_app.extensions['meros'].uris.base}/oai", **request_attrs)
    root.append(body)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    resp = Response(xml, mimetype="text/xml")
    resp.charset = "utf-8"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@bp.route("/oai", methods=["GET", "POST"])
def oai() -> Response:
    attrs: dict[str, str] = {}
    try:
        verb, args = read_arguments()
        attrs = {"verb": verb, **args}  # type: ignore[dict-item]
        provider = Provider()
        body = getattr(provider, verb)(args)  # type: ignore[arg-type]
    except OAIError as e:
        if e.code in ("badVerb", "badArgument"):
            attrs = {}  # the protocol: no attributes echoed when the request itself is wrong
        body = E("error", e.message, code=e.code)
    return envelope(attrs, body)

