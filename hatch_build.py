"""Hatchling build hook: a wheel carries the parser and the text cleaner compiled by Cython."""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _load(path: Path) -> ModuleType:
    # newsetl/compiled.py alone: the build environment has none of newsetl's dependencies.
    spec = importlib.util.spec_from_file_location("newsetl_compiled", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CompiledCleanerHook(BuildHookInterface):
    """Compile COMPILED_MODULES (newsetl/compiled.py) apart and add them to the wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # a checkout compiles in place: `make install`
        compiled = _load(Path(self.root) / "newsetl" / "compiled.py")
        self._work = Path(tempfile.mkdtemp(prefix="newsetl-wheel-"))
        package = self._work / "newsetl"
        package.mkdir()
        (package / "__init__.py").write_text("")  # Cython names the modules newsetl.*
        for name in compiled.COMPILED_MODULES:
            copy = package / name
            if not copy.parent.exists():  # a subpackage: Cython names it by its __init__.py
                copy.parent.mkdir(parents=True)
                (copy.parent / "__init__.py").write_text("")
            shutil.copy2(Path(self.root) / "newsetl" / name, copy)
        compiled.compile_modules(package, self._work / "build")
        for binary in compiled.compiled_files(package):
            relative = binary.relative_to(package).as_posix()
            build_data["force_include"][str(binary)] = f"newsetl/{relative}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
