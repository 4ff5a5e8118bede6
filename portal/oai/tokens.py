"""Resumption tokens that need no server state: the position in the list, signed and timed.

A token carries the request it continues (verb, format, set, from, until),
the datestamp and id of the last record sent, the cursor and the list size.
The next page is "records after that (datestamp, id)", so a token survives
a restart (same `SECRET_KEY`), and records changed mid-harvest move to the
end of the list with their new datestamp instead of being skipped.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "meros-oai-resumption"


class BadToken(Exception):
    """The token cannot continue a list (its message says why)."""


@dataclass(frozen=True)
class Position:
    verb: str
    prefix: str
    set: str | None
    from_: str | None
    until: str | None
    after_t: str  # lexical datestamp of the last record sent
    after_id: str
    cursor: int  # records sent before the next page
    size: int  # completeListSize when the list began


class Tokens:
    def __init__(self, secret: str, ttl: int) -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.ttl = ttl

    def dump(self, position: Position) -> str:
        return self.serializer.dumps(asdict(position))

    def expiration(self) -> str:
        return (datetime.now(timezone.utc) + timedelta(seconds=self.ttl)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def load(self, token: str, verb: str) -> Position:
        try:
            data = self.serializer.loads(token, max_age=self.ttl)
        except SignatureExpired:
            raise BadToken(f"The resumptionToken has expired (tokens live {self.ttl} s); start the list again.") \
                from None
        except BadSignature:
            raise BadToken("The resumptionToken is not one this repository issued.") from None
        try:
            position = Position(**data)
        except TypeError:
            raise BadToken("The resumptionToken is not one this repository issued.") from None
        if position.verb != verb:
            raise BadToken(f"The resumptionToken continues a {position.verb} list, not {verb}.")
        return position
