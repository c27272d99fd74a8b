"""Finding the target: import strings (modules or file paths), factories, build conventions."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["LoadedTarget", "TargetError", "importable_spec", "load_factory", "load_target"]


class TargetError(Exception):
    """Raised when the target cannot be imported or built (the CLI exits with 2)."""


@dataclass(frozen=True)
class LoadedTarget:
    """A factory, how it was named, and a string a fresh interpreter can import it by."""

    factory: Callable[..., Any]
    name: str
    spec: str | None


def load_target(target: object) -> LoadedTarget:
    """Resolve ``target`` (a callable or ``"module:attr"`` / ``"file.py:attr"``)."""
    if isinstance(target, str):
        factory = load_factory(target)
        return LoadedTarget(factory, target, target)
    if not callable(target):
        raise TargetError(
            f"target {target!r} is not callable; pass a factory (a class or a function "
            f"that builds the implementation) or an import string 'module:attr'"
        )
    return LoadedTarget(target, _display(target), importable_spec(target))


def _display(factory: object) -> str:
    module = getattr(factory, "__module__", None)
    qualname = getattr(factory, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str):
        return f"{module}:{qualname}"
    return repr(factory)


def load_factory(spec: str) -> Callable[..., Any]:
    """Import ``"module:attr"`` or ``"path/to/file.py:attr"`` and return the attribute."""
    module_part, sep, attr = spec.rpartition(":")
    if not sep or not module_part or not attr:
        raise TargetError(
            f"target {spec!r} is not an import string; expected 'module:attr' or "
            f"'path/to/file.py:attr'"
        )
    _ensure_cwd_on_path()
    if module_part.endswith(".py") or os.sep in module_part or "/" in module_part:
        module = _import_file(module_part, spec)
    else:
        try:
            module = importlib.import_module(module_part)
        except Exception as exc:
            raise TargetError(
                f"cannot import module {module_part!r} of target {spec!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            names = sorted(n for n in dir(module) if not n.startswith("_"))[:12]
            raise TargetError(
                f"{module_part!r} has no attribute {attr!r} (target {spec!r}); it defines "
                f"{', '.join(names) or 'no public names'}"
            ) from None
    if not callable(obj):
        raise TargetError(
            f"{spec!r} is {type(obj).__name__} {obj!r}, not a factory; point the target at "
            f"a class or function that builds the implementation"
        )
    return obj  # type: ignore[no-any-return]


def _ensure_cwd_on_path() -> None:
    # A console script does not put the working directory on sys.path, python -m does;
    # targets like 'conformance.targets.good:factory' must import the same either way.
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.append(cwd)


def _import_file(path_text: str, spec: str) -> Any:
    path = Path(path_text)
    if not path.is_file():
        raise TargetError(f"target {spec!r}: no such file {path_text!r}")
    dotted = _package_name(path.resolve())
    if dotted is not None:
        try:
            return importlib.import_module(dotted)
        except Exception as exc:
            raise TargetError(
                f"cannot import {path_text!r} (as {dotted}) for target {spec!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    name = f"_aiecs_target_{path.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    loader_spec = importlib.util.spec_from_file_location(name, path)
    if loader_spec is None or loader_spec.loader is None:
        raise TargetError(f"target {spec!r}: {path_text!r} is not a Python file")
    module = importlib.util.module_from_spec(loader_spec)
    # As `python file.py` would: the file's own folder comes first on sys.path, so a target
    # that imports a module beside it (or lazily, from its factory) finds it.
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    sys.modules[name] = module  # dataclasses and pickling look classes up here
    try:
        loader_spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise TargetError(
            f"importing {path_text!r} for target {spec!r} raised {type(exc).__name__}: {exc}"
        ) from exc
    return module


def _package_name(path: Path) -> str | None:
    """The dotted name of a file inside packages rooted at a sys.path entry, if any."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    if len(parts) == 1:
        return None
    roots = {str(Path(p or os.getcwd()).resolve()) for p in sys.path}
    return ".".join(parts) if str(folder) in roots else None


def importable_spec(factory: object) -> str | None:
    """An import string a fresh interpreter can load ``factory`` by, or ``None``."""
    module_name = getattr(factory, "__module__", None)
    qualname = getattr(factory, "__qualname__", None)
    if not isinstance(module_name, str) or not isinstance(qualname, str):
        return None
    if "<locals>" in qualname or "<lambda>" in qualname or module_name == "__main__":
        return None
    module = sys.modules.get(module_name)
    if module is None:
        return None
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if obj is not factory:
        return None
    if module_name.startswith("_aiecs_target_"):
        file = getattr(module, "__file__", None)
        return f"{file}:{qualname}" if isinstance(file, str) else None
    return f"{module_name}:{qualname}"
