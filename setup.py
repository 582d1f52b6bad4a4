"""Build hook: compile the gettext catalogs and bundle checklists inside the wheel.

Everything else is in pyproject.toml. Resources land in ``app/_resources/`` of the built
package, where ``app.paths.resource_path`` finds them in an installed wheel.
"""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithResources(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "app" / "_resources"
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            from i18n import compile_catalogs
        finally:
            sys.path.pop(0)
        compile_catalogs(target / "translations")
        shutil.copytree(ROOT / "checklists", target / "checklists", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithResources})
