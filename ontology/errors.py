"""The one error type of Meros: every layer raises it, the portal turns it into one response shape."""
from __future__ import annotations


class MerosError(Exception):
    """An error with a message meant for the person who caused it and an HTTP-like status."""

    status: int = 500

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class ConfigError(MerosError):
    """Bad configuration: found at start-up, names the setting and the valid values."""

    status = 500


class StoreError(MerosError):
    """The store could not be opened or did not answer."""

    status = 503


class StoreLockedError(StoreError):
    """The embedded store is held read-write by another process (usually a running server)."""


class BadRequest(MerosError):
    status = 400


class NotFound(MerosError):
    status = 404


class RecordError(MerosError):
    """A source record that cannot be mapped; the loader reports it and goes on."""

    status = 422


class QueryError(MerosError):
    """A SPARQL query the store rejects (syntax, unsupported feature, or a result format it cannot take)."""

    status = 400
