"""The packaging recipes as files (fast, part of the normal run): the desktop entry and the AppStream
metainfo pass their validators, the macOS Info.plist parses, the Inno Setup script has what an
installer needs, the icons are the sizes they claim and the pins cover the app's dependencies."""

from __future__ import annotations

import importlib.util
import plistlib
import re
import subprocess
import tomllib

import pytest
from PySide6.QtGui import QImage

from tests.conftest import ROOT, have

PACKAGING = ROOT / "packaging"
APP_ID = "se.likvard.Likvard"


@pytest.mark.skipif(not have("desktop-file-validate"), reason="desktop-file-utils not installed")
def test_the_desktop_entry_is_valid():
    result = subprocess.run(["desktop-file-validate", str(PACKAGING / f"{APP_ID}.desktop")], capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(not have("appstreamcli"), reason="appstream not installed")
def test_the_appstream_metainfo_is_valid():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(PACKAGING / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_macos_info_plist_parses_and_names_the_app():
    with open(PACKAGING / "macos" / "Info.plist", "rb") as file:
        info = plistlib.load(file)
    assert info["CFBundleIdentifier"] == APP_ID
    assert info["CFBundleIconFile"] == "likvard.icns" and (PACKAGING / "icons" / "likvard.icns").exists()
    version = re.search(r'__version__ = "([^"]+)"', (ROOT / "app" / "__init__.py").read_text()).group(1)
    assert info["CFBundleShortVersionString"] == version
    extensions = info["UTExportedTypeDeclarations"][0]["UTTypeTagSpecification"]["public.filename-extension"]
    assert extensions == ["likvard-template.json"]


def test_the_inno_setup_script_has_start_menu_association_and_uninstaller():
    text = (PACKAGING / "windows" / "likvard.iss").read_text(encoding="utf-8")
    sections = set(re.findall(r"^\[(\w+)\]", text, flags=re.M))
    assert {"Setup", "Files", "Icons", "Registry"} <= sections
    assert "{group}" in text and "{uninstallexe}" in text  # start menu, uninstaller entry
    assert "OpenWithProgids" in text and 'templates import ""%1""' in text
    for source in re.findall(r'(?:SetupIconFile=|Source: ")([^"\r\n*]+)', text):
        if "dist" not in source:  # built on Windows
            assert (PACKAGING / "windows" / source.replace("\\", "/")).resolve().exists(), source
    app_version = re.search(r'#define AppVersion "([^"]+)"', text).group(1)
    assert app_version in (ROOT / "app" / "__init__.py").read_text()


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256, 512])
def test_the_png_icons_are_rendered_at_their_sizes(qapp, size):
    image = QImage(str(PACKAGING / "icons" / f"likvard-{size}.png"))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0  # rounded corners are transparent


def test_the_constraints_pin_every_dependency_and_pyinstaller():
    spec = importlib.util.spec_from_file_location("likvard_packaging_build", PACKAGING / "build.py")
    packaging_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(packaging_build)
    pins = packaging_build.read_constraints()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in [*project["dependencies"], "pyinstaller"]:
        name = re.split(r"[<>=!;\[ ]", requirement, maxsplit=1)[0]
        assert packaging_build._canonical(name) in pins, name
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+-]*", v) for v in pins.values())
