"""Build Likvärd for distribution: the one build script, for people and for CI.

    python packaging/build.py                 # bundle + tar.gz + .deb (Linux) into dist/
    python packaging/build.py --install       # first install the pinned versions (packaging/constraints.txt)
    python packaging/build.py bundle          # only the PyInstaller one-folder bundle dist/likvard/
    python packaging/build.py wheel           # the wheel (python -m pip wheel, the catalogs compiled inside)
    python packaging/build.py --freeze-constraints   # rewrite constraints.txt from this environment

Steps: the installed versions are checked against packaging/constraints.txt (a build from the same
commit holds the same versions; --allow-unpinned to build anyway), the gettext catalogs are compiled,
PyInstaller builds dist/likvard/ from packaging/likvard.spec, then ``tarball`` packs it as
dist/likvard-<version>-linux-<arch>.tar.gz and ``deb`` makes dist/likvard_<version>_<arch>.deb:

    /opt/likvard/                                       the bundle
    /usr/bin/likvard -> ../../opt/likvard/likvard       the launcher (relative: works below any root)
    /usr/share/applications/se.likvard.Likvard.desktop
    /usr/share/metainfo/se.likvard.Likvard.metainfo.xml
    /usr/share/icons/hicolor/{scalable,48x48,128x128,256x256}/apps/se.likvard.Likvard.{svg,png}

Windows (packaging/windows/likvard.iss, Inno Setup) and macOS (the BUNDLE in likvard.spec,
packaging/macos/Info.plist) build on their own systems: see README "Installing".
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
CONSTRAINTS = PACKAGING / "constraints.txt"
APP_ID = "se.likvard.Likvard"
ICON_SIZES = (48, 128, 256)
# what the distribution must provide for Qt's xcb platform plugin and fonts (the bundle has the rest)
DEB_DEPENDS = ("libc6, libegl1, libgl1, libfontconfig1, libfreetype6, libxkbcommon0, libxkbcommon-x11-0, "
               "libdbus-1-3, libglib2.0-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, "
               "libxcb-render-util0, libxcb-shape0, libxcb-xkb1, libx11-xcb1, fonts-dejavu-core")
# the app's dependencies (pyproject's [project] dependencies) and the build tool: their closure is
# what constraints.txt pins
BUILD_TOOLS = ("pyinstaller",)


def roots() -> tuple[str, ...]:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as fh:
        return (*tomllib.load(fh)["project"]["dependencies"], *BUILD_TOOLS)


class BuildError(Exception):
    pass


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__ = "([^"]+)"', text)
    if not match:
        raise BuildError("no __version__ in app/__init__.py")
    return match.group(1)


def source_date_epoch() -> int:
    """Timestamps in the archives: SOURCE_DATE_EPOCH, else the commit's time (same commit, same archive)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 315532800  # 1980-01-01, the earliest a zip or deb tool accepts everywhere


def run(args: list[str], **kwargs: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run(args, check=True, cwd=kwargs.pop("cwd", ROOT), **kwargs)  # type: ignore[arg-type]


# --- pinned versions -----------------------------------------------------------------------------

def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_constraints(path: Path = CONSTRAINTS) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            if not pinned:
                raise BuildError(f"{path.name}: {line!r} is not pinned with ==")
            pins[_canonical(name)] = pinned.strip()
    return pins


def check_pins(pins: dict[str, str]) -> list[str]:
    """The differences between the environment and the pins (empty: the build is reproducible)."""
    problems = []
    for name, pinned in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}: not installed (pinned {pinned})")
            continue
        if installed != pinned:
            problems.append(f"{name}: {installed} installed, {pinned} pinned")
    return problems


def dependency_closure(requirements: tuple[str, ...] | None = None) -> dict[str, str]:
    """Every distribution the requirements pull in (with their extras, e.g. psycopg[binary])."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    found: dict[str, tuple[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    todo = [Requirement(text) for text in (requirements or roots())]
    while todo:
        req = todo.pop()
        extras = sorted(req.extras) or [""]
        if all((_canonical(req.name), extra) in seen for extra in extras):
            continue
        dist = metadata.distribution(req.name)
        found[_canonical(req.name)] = (dist.metadata["Name"], dist.version)
        for extra in extras:
            seen.add((_canonical(req.name), extra))
            env = {**default_environment(), "extra": extra}
            for text in dist.requires or []:
                dep = Requirement(text)
                if dep.marker is None or dep.marker.evaluate(env):
                    todo.append(dep)
    return {display: pinned for display, pinned in sorted(found.values(), key=lambda v: v[0].lower())}


def freeze_constraints() -> None:
    header = [line for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    body = [f"{name}=={pinned}" for name, pinned in dependency_closure().items()]
    CONSTRAINTS.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {CONSTRAINTS} ({len(body)} pins)")


def install_pinned() -> None:
    run([sys.executable, "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS), "pyinstaller", "-e", str(ROOT)])


# --- steps ---------------------------------------------------------------------------------------

def compile_catalogs() -> Path:
    target = ROOT / "build" / "resources" / "translations"
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from i18n import compile_catalogs as compile_all
    finally:
        sys.path.pop(0)
    for path in compile_all(target):
        print("compiled", path.relative_to(ROOT))
    return target


def bundle(dist: Path) -> Path:
    """The PyInstaller one-folder bundle dist/likvard/ (its executable dist/likvard/likvard)."""
    compile_catalogs()
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(ROOT / "build" / "pyinstaller"), str(PACKAGING / "likvard.spec")])
    folder = dist / "likvard"
    if not (folder / "likvard").exists() and not (folder / "likvard.exe").exists():
        raise BuildError(f"PyInstaller made no executable in {folder}")
    return folder


def _reset(info: tarfile.TarInfo, mtime: int) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mtime = min(info.mtime, mtime)
    return info


def _add_sorted(tar: tarfile.TarFile, folder: Path, arcname: str, mtime: int) -> None:
    """Add ``folder`` in sorted order with fixed owners and clamped times (the same bytes every build)."""
    tar.add(folder, arcname, recursive=False, filter=lambda i: _reset(i, mtime))
    for path in sorted(folder.rglob("*")):
        tar.add(path, f"{arcname}/{path.relative_to(folder).as_posix()}", recursive=False,
                filter=lambda i: _reset(i, mtime))


def deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def tarball(folder: Path, dist: Path, fast: bool = False) -> Path:
    mtime = source_date_epoch()
    path = dist / f"likvard-{version()}-linux-{platform.machine()}.tar.gz"
    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=mtime,
                                                 compresslevel=1 if fast else 9) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
        _add_sorted(tar, folder, f"likvard-{version()}", mtime)
    print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return path


def _installed_size_kib(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def deb(folder: Path, dist: Path, fast: bool = False) -> Path:
    """dist/likvard_<version>_<arch>.deb, made with dpkg-deb from a staged root."""
    if not shutil.which("dpkg-deb"):
        raise BuildError("dpkg-deb is not installed (apt-get install dpkg)")
    stage = ROOT / "build" / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    root = stage / "root"
    shutil.copytree(folder, root / "opt" / "likvard", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "likvard").symlink_to("../../opt/likvard/likvard")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(PACKAGING / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(parents=True)
    shutil.copy2(PACKAGING / f"{APP_ID}.metainfo.xml", share / "metainfo" / f"{APP_ID}.metainfo.xml")
    icons = share / "icons" / "hicolor"
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(PACKAGING / "icons" / "likvard.svg", icons / "scalable" / "apps" / f"{APP_ID}.svg")
    for size in ICON_SIZES:
        target = icons / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(PACKAGING / "icons" / f"likvard-{size}.png", target / f"{APP_ID}.png")
    docs = share / "doc" / "likvard"
    docs.mkdir(parents=True)
    (docs / "copyright").write_text("Likvärd\nCopyright: the Likvärd team. All rights reserved.\n", encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or os.access(path, os.X_OK)
        path.chmod(0o755 if executable else 0o644)
    control = root / "DEBIAN"
    control.mkdir()
    sums = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and control not in p.parents):
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}")
    (control / "md5sums").write_text("\n".join(sums) + "\n", encoding="utf-8")
    arch = deb_arch()
    (control / "control").write_text(
        f"Package: likvard\nVersion: {version()}\nArchitecture: {arch}\nMaintainer: The Likvärd team <it@likvard.se>\n"
        f"Installed-Size: {_installed_size_kib(root)}\nDepends: {DEB_DEPENDS}\nSection: misc\nPriority: optional\n"
        "Homepage: https://likvard.se/\n"
        "Description: equal-opportunity checklists for credit and business advice\n"
        " Likvärd leads credit agents and business advisors through the same checklist in every\n"
        " meeting, flags answers that need a second look and exports signed PDF summaries.\n"
        " The application is self-contained below /opt/likvard.\n", encoding="utf-8")
    for path in control.iterdir():
        path.chmod(0o644)
    epoch = source_date_epoch()
    for path in [root, *root.rglob("*")]:
        os.utime(path, (epoch, epoch), follow_symlinks=False)
    out = dist / f"likvard_{version()}_{arch}.deb"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz", "-z6"]
    run(["dpkg-deb", "--root-owner-group", *compression, "--build", str(root), str(out)], env=env)
    return out


def wheel(dist: Path) -> Path:
    """The wheel, built from a copy of the tracked files (what a clean checkout holds)."""
    clean = ROOT / "build" / "clean-checkout"
    shutil.rmtree(clean, ignore_errors=True)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (clean / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clean / name)
    before = set(dist.glob("likvard-*.whl"))
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(clean)])
    made = sorted(set(dist.glob("likvard-*.whl")) - before) or sorted(dist.glob(f"likvard-{version()}-*.whl"))
    if not made:
        raise BuildError("pip wheel made no likvard wheel")
    print("wrote", made[-1])
    return made[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Likvärd: bundle, tar.gz, .deb, wheel.")
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help="bundle, tarball, deb and/or wheel (default: bundle, tarball and deb)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--install", action="store_true", help="pip install the pinned versions first")
    parser.add_argument("--allow-unpinned", action="store_true",
                        help="build even if the environment differs from packaging/constraints.txt")
    parser.add_argument("--fast", action="store_true",
                        help="light compression (the same files, bigger archives): for the CI smoke test")
    parser.add_argument("--freeze-constraints", action="store_true",
                        help="rewrite packaging/constraints.txt from this environment and stop")
    args = parser.parse_args(argv)
    if args.freeze_constraints:
        freeze_constraints()
        return 0
    targets = args.targets or ["bundle", "tarball", "deb"]
    unknown = set(targets) - {"bundle", "tarball", "deb", "wheel"}
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    dist = args.dist.resolve()
    dist.mkdir(parents=True, exist_ok=True)
    try:
        if args.install:
            install_pinned()
        if set(targets) & {"bundle", "tarball", "deb"}:
            problems = check_pins(read_constraints())
            if problems:
                print("The environment differs from packaging/constraints.txt:", *problems, sep="\n  ", file=sys.stderr)
                if not args.allow_unpinned:
                    print("(run with --install, or --allow-unpinned for a build that is not reproducible)",
                          file=sys.stderr)
                    return 2
        folder = dist / "likvard"
        if "bundle" in targets or (set(targets) & {"tarball", "deb"} and not folder.is_dir()):
            folder = bundle(dist)
        if "tarball" in targets:
            tarball(folder, dist, args.fast)
        if "deb" in targets:
            print("wrote", deb(folder, dist, args.fast))
        if "wheel" in targets:
            wheel(dist)
    except (BuildError, subprocess.CalledProcessError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
