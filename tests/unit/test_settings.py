"""Settings: validation, atomic save, recovery from damaged files; paths honour the home override."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop import paths
from desktop.settings import Settings, SettingsError, load_settings, save_settings


def test_paths_live_under_the_home_override(isolated_home: Path) -> None:
    assert paths.home() == isolated_home
    assert paths.data_dir() == isolated_home / "data"
    assert paths.config_dir() == isolated_home / "config"
    assert paths.log_dir() == isolated_home / "logs"
    assert paths.db_path().parent == isolated_home / "data"
    assert paths.settings_path() == isolated_home / "config" / "settings.json"
    assert all(d.is_dir() for d in (paths.data_dir(), paths.config_dir(), paths.log_dir()))


def test_paths_without_override_use_platform_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COZE_DESKTOP_HOME")
    assert "CozeDesktop" in str(paths.home())


def test_resource_path_checkout_and_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths.resource_path("icons") == Path(__file__).parents[2] / "resources" / "icons"
    monkeypatch.setattr("sys.frozen", True, raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert paths.resource_path("icons", "app.svg") == tmp_path / "resources" / "icons" / "app.svg"


def test_missing_file_gives_defaults_without_warning() -> None:
    settings = load_settings(paths.settings_path())
    assert settings == Settings()
    assert settings.warning == ""


def test_round_trip_keeps_every_field_and_no_token(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = Settings(
        language="zh",
        theme="dark",
        proxy_mode="custom",
        proxy_url="http://127.0.0.1:7890",
        open_log_on_error=False,
        last_profile_id="0f" * 16,
        last_session_id=42,
    )
    save_settings(path, original)
    assert load_settings(path) == original
    text = path.read_text(encoding="utf-8")
    assert "pat_" not in text
    assert "warning" not in json.loads(text)
    assert original.proxy() == "http://127.0.0.1:7890"


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    save_settings(path, Settings(theme="light"))
    save_settings(path, Settings(theme="dark"))
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]
    assert load_settings(path).theme == "dark"


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="light"))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated crash before rename"):
        save_settings(path, Settings(theme="dark"))
    monkeypatch.undo()
    assert load_settings(path).theme == "light"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


@pytest.mark.expect_log("desktop.settings")
@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "", "\x00\x01garbage"])
def test_corrupt_file_gives_defaults_warning_and_is_kept(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    settings = load_settings(path)
    assert settings == Settings()
    assert "damaged" in settings.warning
    corrupt = tmp_path / "settings.json.corrupt"
    assert corrupt.read_text(encoding="utf-8") == content
    assert not path.exists()


@pytest.mark.expect_log("desktop.settings")
def test_invalid_values_fall_back_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    data = {"language": "fr", "theme": "dark", "proxy_url": "not a url", "open_log_on_error": "yes"}
    path.write_text(json.dumps(data), encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "dark"
    assert settings.language == "system"
    assert settings.proxy_url == ""
    assert settings.open_log_on_error is True
    assert "language" in settings.warning
    assert "proxy_url" in settings.warning


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 9, "future_option": 1, "theme": "light"}), "utf-8")
    settings = load_settings(path)
    assert settings.theme == "light"
    assert settings.warning == ""


@pytest.mark.parametrize(
    "kwargs",
    [
        {"language": "de"},
        {"theme": "blue"},
        {"proxy_mode": "auto"},
        {"proxy_url": "ftp://proxy:21"},
        {"last_session_id": True},
    ],
)
def test_constructor_validates(kwargs: dict[str, object]) -> None:
    with pytest.raises(SettingsError):
        Settings(**kwargs)  # type: ignore[arg-type]


def test_proxy_only_applies_in_custom_mode() -> None:
    assert Settings(proxy_mode="system", proxy_url="http://p:1").proxy() is None
    assert Settings(proxy_mode="custom", proxy_url="socks5://p:1080").proxy() == "socks5://p:1080"
