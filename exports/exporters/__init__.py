"""The registry of export kinds: `kind` → Exporter class.

Every module of this package is imported on first use, so an exporter only has
to be written here and decorated with `@register`; no list to keep in sync.
"""

import importlib
import pkgutil

_registry = {}
_discovered = False


def register(exporter_class):
    if not exporter_class.kind:
        raise ValueError(f"{exporter_class.__name__} has no kind")
    _registry[exporter_class.kind] = exporter_class
    return exporter_class


def _discover():
    global _discovered
    if _discovered:
        return
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base" and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _discovered = True


def get_exporter(kind):
    """The Exporter class registered for `kind`; KeyError if there is none."""
    _discover()
    return _registry[kind]


def exporters():
    _discover()
    return dict(_registry)
