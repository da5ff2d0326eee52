"""Late-bound services: what a lower layer offers and a higher one provides.

The engine offers ``Network.analyse()`` and a notebook display of its records, but the
analysis and the views sit above it and the engine must not import them. Each such
service is a name here; the package's facade (``symcnn/__init__.py``) says which function
of which module provides it, and the module is imported on the first call only.

>>> provide("demo", "os.path:basename")
>>> call("demo", "/a/b.txt")
'b.txt'
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

_PROVIDERS: dict[str, str] = {}
_LOADED: dict[str, Callable[..., Any]] = {}


def provide(name: str, target: str) -> None:
    """Let ``target`` (``"package.module:function"``) provide the service ``name``."""
    _PROVIDERS[name] = target
    _LOADED.pop(name, None)


def call(name: str, *args: Any, **kwargs: Any) -> Any:
    """Call the provider of ``name`` (imported on first use)."""
    fn = _LOADED.get(name)
    if fn is None:
        module, _, attr = _PROVIDERS[name].partition(":")
        fn = _LOADED[name] = getattr(import_module(module), attr)
    return fn(*args, **kwargs)


__all__ = ["provide", "call"]
