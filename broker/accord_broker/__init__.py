"""The accord broker: a Pact Broker-compatible service (FastAPI + SQLAlchemy).

Public names: :func:`create_app`, :class:`Settings`, :func:`serve`, :func:`migrate`.

They are imported on first use (PEP 562), so that importing a light submodule such as
``accord_broker.cli`` (which the ``accord`` CLI loads for ``accord --help``) does not import
FastAPI, SQLAlchemy and the whole web application first.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord_broker.app import create_app
    from accord_broker.db.migrate import migrate
    from accord_broker.serve import serve
    from accord_broker.settings import Settings

__all__ = ["Settings", "create_app", "migrate", "serve"]

_HOMES = {
    "Settings": "accord_broker.settings",
    "create_app": "accord_broker.app",
    "migrate": "accord_broker.db.migrate",
    "serve": "accord_broker.serve",
}


def __getattr__(name: str) -> object:
    """A public name, imported from its module the first time it is asked for.

    ``serve`` is also the name of a submodule: importing that submodule binds the module as the
    package attribute, so this pins the function after the import. Code inside the package
    imports ``from accord_broker import serve`` for that reason.
    """
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord_broker' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
