"""Settings: layered, checked at start-up, and every one documented in docs/operations.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontology.errors import ConfigError
from portal.settings import SETTINGS, load_settings
from sparql.store import open_store

DOCS = Path(__file__).parents[2] / "docs" / "operations.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"`MEROS_([A-Z_]+)`", text))
    assert {s.name for s in SETTINGS} <= documented, {s.name for s in SETTINGS} - documented


def test_layers_override_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "meros.toml"
    cfg.write_text('jurisdiction = "FR"\nthumbnail_size = 200\nbase_url = "https://meros.example.kz/"\n', encoding="utf-8")
    env = {"MEROS_CONFIG": str(cfg), "MEROS_THUMBNAIL_SIZE": "250"}
    s = load_settings({"PAGE_SIZE": 30}, environ=env)
    assert (s["JURISDICTION"], s["THUMBNAIL_SIZE"], s["PAGE_SIZE"]) == ("FR", 250, 30)
    assert s["BASE_URL"] == "https://meros.example.kz"
    assert load_settings(environ={})["STORE"] == "./data/store"


@pytest.mark.parametrize("env, fragment", [
    ({"MEROS_JURISDICTION": "XX"}, "valid: KZ, UZ, RU, FR, US"),
    ({"MEROS_THUMBNAIL_SIZE": "big"}, "THUMBNAIL_SIZE='big' is not a valid int"),
    ({"MEROS_STOR": "x"}, "unknown setting 'STOR'"),
    ({"MEROS_CONFIG": "/nonexistent/meros.toml"}, "cannot read it"),
])
def test_bad_settings_fail_at_start_up_naming_the_setting(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        load_settings(environ=env)


def test_unknown_store_scheme_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as err:
        open_store("ftp://example/store")
    assert "http://" in str(err.value) and "directory" in str(err.value)


def test_interface_language_follows_a_regional_accept_language(client) -> None:  # type: ignore[no-untyped-def]
    """"kk-KZ" first means Kazakh even when Russian is also accepted."""
    import re as _re

    html = client.get("/", headers={"Accept-Language": "kk-KZ,ru;q=0.8"}).get_data(as_text=True)
    assert _re.search(r'<html lang="kk"', html)
    html = client.get("/?lang=fr", headers={"Accept-Language": "kk-KZ"}).get_data(as_text=True)
    assert _re.search(r'<html lang="fr"', html)
