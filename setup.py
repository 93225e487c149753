"""Packaging of the agglo Python module (see pyproject.toml).

The extension is built by the project's CMake build, never by setuptools: this file only
configures/builds the targets agglo_python and agglo_python_stubs (in build/, or
$AGGLO_BUILD_DIR) and copies build/python/agglo plus data/ into the wheel. Offline: nothing
is downloaded.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = pathlib.Path(__file__).parent.resolve()
BUILD = pathlib.Path(os.environ.get("AGGLO_BUILD_DIR", ROOT / "build")).resolve()
# setuptools' own scratch files (build/lib…, the egg-info) go inside the CMake build directory,
# so that an install writes nothing else into the checkout.
SCRATCH = BUILD / "setuptools"
SCRATCH.mkdir(parents=True, exist_ok=True)


class CMakeBuildPy(build_py):
    def run(self):
        build = BUILD
        if not (build / "CMakeCache.txt").exists():
            cmd = ["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                   f"-DPython_EXECUTABLE={sys.executable}"]
            if shutil.which("ninja"):
                cmd += ["-G", "Ninja"]
            subprocess.check_call(cmd)
        subprocess.check_call(["cmake", "--build", str(build), "-j", os.environ.get("AGGLO_JOBS", "2"),
                               "--target", "agglo_python", "agglo_python_stubs"])
        super().run()
        dest = pathlib.Path(self.build_lib) / "agglo"
        shutil.copytree(build / "python" / "agglo", dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
        # The bundled data (code names, geography, taxonomy, reference tables) beside the
        # package; agglo/__init__.py points the engine at it.
        shutil.copytree(ROOT / "data", dest / "data", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.sh", "*.py", "__pycache__"))


class BinaryDistribution(Distribution):
    def has_ext_modules(self):  # a platform wheel: the package holds a compiled module
        return True


setup(
    packages=["agglo"],
    package_dir={"": "python"},
    package_data={"agglo": ["py.typed", "*.pyi"]},
    cmdclass={"build_py": CMakeBuildPy},
    distclass=BinaryDistribution,
    zip_safe=False,
    options={"build": {"build_base": str(SCRATCH)}, "egg_info": {"egg_base": str(SCRATCH)}},
)
