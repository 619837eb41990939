"""mkdocs hook: reference tables generated from the code at build time, so they cannot drift.

A page writes a marker such as ``<!-- accord:broker-settings -->`` where the table belongs; the
hook replaces it with the table read from the settings model. (The command-line reference uses
the mkdocs-click extension the same way.)
"""

from __future__ import annotations

import re
from typing import Any

_MARKERS = {
    "<!-- accord:broker-settings -->": "broker_settings_table",
    "<!-- accord:verifier-options -->": "verifier_options_table",
    "<!-- accord:error-exit-codes -->": "error_exit_codes_table",
}


def error_exit_codes_table() -> str:
    """Every error class of ``accord.errors`` with the exit code it carries.

    The CLI turns an error into its class's ``exit_code``, so this table is the rule itself.
    """
    import inspect

    from accord import errors

    rows = ["| error | exit code | when |", "|---|---|---|"]
    classes = [
        value
        for value in vars(errors).values()
        if inspect.isclass(value)
        and issubclass(value, errors.AccordError)
        and value.__module__ == errors.__name__
    ]
    for cls in sorted(classes, key=lambda c: (c.exit_code, c.__name__)):
        doc = " ".join((cls.__doc__ or "").split())
        first = doc.split(". ")[0].rstrip(".")
        first = re.sub(r"``([^`]+)``", r"`\1`", first).replace("|", "\\|")
        first = re.sub(r":(class|func|meth):`~?([^`]+)`", r"`\2`", first)
        rows.append(f"| `{cls.__name__}` | {cls.exit_code} | {first} |")
    return "\n".join(rows)


def verifier_options_table() -> str:
    """Each ``VerifierConfig`` field that ``accord verify`` has a flag for, with that flag's help.

    The marker keyword and the flag are the same option under two spellings; reading both from
    the code keeps the page true when either changes.
    """
    from dataclasses import fields

    from accord.cli.commands.verify import COMMANDS
    from accord.verifier.config import VerifierConfig

    (command,) = [c for c in COMMANDS if c.name == "verify"]
    flags = {param.name: param for param in command.params}
    rows = ["| marker keyword | flag | meaning |", "|---|---|---|"]
    for field in fields(VerifierConfig):
        param = flags.get(field.name)
        if param is None:
            continue
        spelled = ", ".join(f"`{opt}`" for opt in param.opts)
        help_text = " ".join((getattr(param, "help", None) or "").split()).replace("|", "\\|")
        rows.append(f"| `{field.name}` | {spelled} | {help_text} |")
    return "\n".join(rows)


def broker_settings_table() -> str:
    """Every ``ACCORD_BROKER_*`` variable: its type, default and meaning, from ``Settings``."""
    from accord_broker.settings import Settings

    rows = ["| variable | type | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        annotation = _type_name(field.annotation)
        default = field.default
        if isinstance(default, bool):
            shown = str(default).lower()
        elif isinstance(default, list):
            shown = " ".join(str(item) for item in default) or "(empty)"
        elif default is None:
            shown = "(not set)"
        else:
            shown = str(default)
        meaning = " ".join((field.description or "").split())
        meaning = re.sub(r"``([^`]+)``", r"`\1`", meaning).replace("|", "\\|")
        rows.append(f"| `ACCORD_BROKER_{name.upper()}` | {annotation} | `{shown}` | {meaning} |")
    return "\n".join(rows)


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    text = text.replace("typing.", "").replace("pydantic.types.", "")
    text = re.sub(r"Annotated\[(.+?), .*\]$", r"\1", text)
    return {"SecretStr | None": "secret", "SecretStr": "secret"}.get(text, text).replace("|", "or")


def on_page_markdown(markdown: str, **_: Any) -> str:
    for marker, builder in _MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, globals()[builder]())
    return markdown
