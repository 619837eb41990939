"""YAML (or JSON, which is YAML) text as data, with the line and column of a syntax error."""

from typing import Any

import yaml

from accord.errors import OpenApiError


def parse_yaml(text: str, source: str) -> Any:
    """``text`` parsed; an :class:`OpenApiError` naming ``source`` and the position if not."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise OpenApiError(
            source,
            "",
            f"is neither valid YAML nor JSON{' (' + where + ')' if where else ''}: "
            f"{getattr(exc, 'problem', None) or exc}",
            "fix the syntax; `python -c 'import yaml,sys; yaml.safe_load(open(sys.argv[1]))' "
            "FILE` shows the same error",
        ) from exc
