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
    Setting("IMAGES", "./data/images", str, "Folder of local scans (masters and derived tiles) served by the IIIF Image API."),
    Setting("REJECTS", "./data/rejects.jsonl", str, "JSON-lines file where loaders write rejected records with their reason and raw text."),
    Setting("SECRET_KEY", "", str, "Flask secret key; required by `meros serve` (the demo makes a random one)."),
    Setting("THUMBNAIL_SIZE", 300, int, "Long side in pixels of the largest image served for a restricted object."),
    Setting("SPARQL_TIMEOUT", 30.0, float, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("SPARQL_MAX_ROWS", 100000, int, "Most result rows a SPARQL query returns; the cap is announced."),
    Setting("STORE_TIMEOUT", 30.0, float, "Seconds to wait for a remote store's answer."),
    Setting("PAGE_SIZE", 20, int, "Default number of search results per page."),
    Setting("LANGUAGES", "en,uz,kk,ru,fr", str, "Interface languages, the first being the default."),
    Setting("VENDOR_DIR", str(Path(__file__).resolve().parents[1] / "node_modules"), str, "Folder of the front-end libraries installed from the npm registry (viewer, SPARQL editor, map)."),
    Setting("HOST", "127.0.0.1", str, "Address `meros serve` listens on."),
    Setting("PORT", 5000, int, "Port `meros serve` listens on."),
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
