"""Every setting, declared once: name, default, type, meaning.

Layered: these defaults → a TOML file (`MEROS_CONFIG`) → `MEROS_*` environment
variables → a test mapping. Checked at start-up: a bad value stops the
process with a message naming the setting. docs/operations.md documents each
one (a test keeps the two in step).
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ontology.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("STORE", "./data/store", str, "The store: a directory for the embedded Oxigraph store, or an http(s):// URL of a SPARQL 1.1 + Graph Store Protocol server (e.g. `oxigraph serve`)."),
    Setting("BASE_URL", "http://127.0.0.1:5000", str, "Public base URL: every persistent URI (`BASE/id/…`) is made from it."),
    Setting("JURISDICTION", "KZ", str, "Country whose copyright rules decide open/restricted.", ("KZ", "UZ", "RU", "FR", "US")),
    Setting("RIGHTS_OVERRIDES", "", str, "Curators' rights decisions (CSV: id, statement, reason, curator) that `meros rights` applies when no --overrides is given; empty: none. See docs/rights.md."),
    Setting("IMAGES", "./data/images", str, "Folder of local scans (masters and derived tiles) served by the IIIF Image API."),
    Setting("REJECTS", "./data/rejects.jsonl", str, "JSON-lines file where loaders write rejected records with their reason and raw text."),
    Setting("SECRET_KEY", "", str, "Flask secret key; required by `meros serve` (the demo makes a random one)."),
    Setting("THUMBNAIL_SIZE", 300, int, "Long side in pixels of the largest image served for a restricted object."),
    Setting("IIIF_MAX_AREA", 40_000_000, int, "Most pixels (width × height) one IIIF Image API answer may have, upscaled (`^`) or not; announced as `maxArea` in info.json."),
    Setting("SPARQL_TIMEOUT", 30.0, float, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("SPARQL_MAX_ROWS", 100000, int, "Most result rows a SPARQL query returns; the cap is announced."),
    Setting("SPARQL_WORKERS", 2, int, "Query worker processes of the SPARQL endpoint: how many queries run at once."),
    Setting("SPARQL_MEMORY_MB", 4096, int, "Most memory (heap, MB) one SPARQL query worker may use; a query needing more is stopped (503). 0: no limit."),
    Setting("SPARQL_QUEUE", 8, int, "SPARQL queries that may wait for a free worker; more at once are answered 429 with Retry-After."),
    Setting("SPARQL_SERVICES", "", str, "Comma-separated SPARQL endpoints a query may call with SERVICE; empty: SERVICE is refused and the workers run without network."),
    Setting("DUMPS", "./data/dumps", str, "Folder where `meros dump` writes the full dumps (gzipped N-Triples and Turtle) listed at /dumps/."),
    Setting("OAI_PAGE_SIZE", 100, int, "Records (or headers) per OAI-PMH ListRecords / ListIdentifiers page."),
    Setting("OAI_TOKEN_TTL", 86400, int, "Seconds an OAI-PMH resumption token stays valid (it is signed with SECRET_KEY, so it survives a restart)."),
    Setting("OAI_ADMIN_EMAIL", "", str, "Contact address in the OAI-PMH Identify answer; empty: webmaster@ the BASE_URL's host."),
    Setting("STORE_TIMEOUT", 30.0, float, "Seconds to wait for a remote store's answer."),
    Setting("PAGE_SIZE", 20, int, "Default number of search results per page."),
    Setting("LANGUAGES", "en,uz,kk,ru,fr", str, "Interface languages, the first being the default."),
    Setting("VENDOR_DIR", str(Path(__file__).resolve().parents[1] / "node_modules"), str, "Folder of the front-end libraries installed from the npm registry (viewer, SPARQL editor, map)."),
    Setting("HOST", "127.0.0.1", str, "Address `meros serve` listens on."),
    Setting("PORT", 5000, int, "Port `meros serve` listens on."),
    Setting("INDEX", "", str, "Folder of the full-text search index (derived from the store, rebuilt by `meros index`); empty: beside an embedded store (`STORE` + `.index`), or `./data/index` for a remote store."),
    Setting("EXHIBITIONS", str(Path(__file__).resolve().parents[1] / "exhibitions"), str, "Folder of curated exhibitions, one YAML file each (title, Markdown sections, chosen objects)."),
    Setting("CHECKPOINTS", "./data/checkpoints", str, "Folder where `meros load` keeps each harvest's checkpoint (resumption token, page, last datestamp), so an interrupted load resumes and the next one is incremental."),
    Setting("HTTP_TIMEOUT", 60.0, float, "Seconds a harvester waits for a source's answer (read timeout; connecting has 10 s)."),
    Setting("HTTP_RETRIES", 4, int, "Times a harvester retries a request that failed with a 5xx answer, a 429 or a connection error, backing off in between."),
    Setting("HTTP_BACKOFF", 1.0, float, "Seconds of the first back-off before a retry; each further retry waits twice as long."),
    Setting("HTTP_MAX_WAIT", 300.0, float, "Longest pause (seconds) a harvester accepts from a source's Retry-After; a longer one stops the load, which resumes from its checkpoint when run again."),
    Setting("HTTP_CONTACT", "", str, "Contact (mailto: or URL) added to the harvesters' User-Agent so a source can reach the operator."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    try:
        if setting.type is bool and isinstance(value, str):
            out: Any = value.lower() in ("1", "true", "yes", "on")
        else:
            out = setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {setting.name}={value!r} is not a valid {setting.type.__name__}") from None
    if setting.choices and out not in setting.choices:
        raise ConfigError(f"{origin}: {setting.name}={out!r}; valid: {', '.join(setting.choices)}")
    return out


def load_settings(test_config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The effective settings, each layer overriding the one before."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    layers: list[tuple[str, Mapping[str, Any]]] = []
    config_file = env.get("MEROS_CONFIG")
    if config_file:
        try:
            with open(config_file, "rb") as fh:
                layers.append((config_file, {k.upper(): v for k, v in tomllib.load(fh).items()}))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"MEROS_CONFIG={config_file}: cannot read it ({exc})") from None
    layers.append(("environment", {k[len("MEROS_"):]: v for k, v in env.items() if k.startswith("MEROS_") and k != "MEROS_CONFIG"}))
    if test_config:
        layers.append(("test config", dict(test_config)))
    for origin, layer in layers:
        for key, value in layer.items():
            setting = BY_NAME.get(key)
            if setting is None:
                raise ConfigError(f"{origin}: unknown setting {key!r}; valid: {', '.join(sorted(BY_NAME))}")
            values[key] = _coerce(setting, value, origin)
    values["BASE_URL"] = values["BASE_URL"].rstrip("/")
    return values


def store_location(settings: Mapping[str, Any]) -> str:
    """The store setting with a relative directory made absolute (so messages name the real path)."""
    loc = settings["STORE"]
    return loc if "://" in loc else str(Path(loc).resolve())
