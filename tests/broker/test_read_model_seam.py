"""The web adapters render the domain's read models and never hold an ORM class by name.

``lint-imports`` forbids ``accord_broker.db`` in ``api/``, ``ui/`` and ``web/``, but it cannot
see a model class re-exported through a domain module (as ``domain/records.py`` once did), so
this walks the adapters' imports and compares every imported name with the models' classes.
"""

import ast
from pathlib import Path

import accord_broker

BROKER = Path(accord_broker.__file__).parent
ADAPTERS = ("api", "ui", "web")


def _model_classes() -> set[str]:
    names = set()
    for path in (BROKER / "db").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return names


def _imports_from_accord_broker(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("accord_broker")
        for alias in node.names
    ]


def test_the_model_classes_are_found() -> None:
    assert {"Pacticipant", "Version", "Verification", "Environment", "Webhook"} <= _model_classes()


def test_no_adapter_imports_a_stored_record() -> None:
    models = _model_classes()
    leaks = [
        f"{path.relative_to(BROKER)}: from {module} import {name}"
        for adapter in ADAPTERS
        for path in sorted((BROKER / adapter).rglob("*.py"))
        for module, name in _imports_from_accord_broker(path)
        if name in models
    ]
    assert leaks == [], "adapters render read models (domain/*/views.py), not ORM records"


def test_the_records_re_export_is_gone() -> None:
    assert not (BROKER / "domain" / "records.py").exists()
