"""``multipart/*`` bodies: each expected part must be present and agree (spec §3.6.7).

Parts pair by their ``Content-Disposition`` name (else position); a field compares as text
under the rules at ``$.<name>``, a file as bytes (typically under a ``contentType`` rule there).
Extra actual parts are ignored.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accord.matching.matchers import evaluate
from accord.matching.mismatch import Mismatch, show
from accord.matching.selection import RuleIndex


@dataclass(frozen=True, slots=True)
class _Part:
    """One part of a multipart body."""

    name: str | None
    filename: str | None
    content_type: str
    data: bytes


def _split(data: bytes, content_type: str) -> list[_Part] | None:
    # imported here: email.policy costs ~10 ms of every verifier start, for multipart pacts only
    from email.message import EmailMessage
    from email.parser import BytesParser
    from email.policy import HTTP

    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + data)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return None
    parts = []
    for part in message.iter_parts():
        if not isinstance(part, EmailMessage):
            continue
        payload = part.get_payload(decode=True)
        name = part.get_param("name", header="content-disposition")
        parts.append(
            _Part(
                name=name if isinstance(name, str) else None,
                filename=part.get_filename(),
                content_type=part.get_content_type(),
                data=payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts


def compare_multipart(
    expected: bytes,
    *,
    expected_type: str,
    actual: bytes,
    actual_type: str,
    rules: RuleIndex,
    report: Callable[[Mismatch], None],
) -> None:
    expected_parts = _split(expected, expected_type)
    actual_parts = _split(actual, actual_type)
    if expected_parts is None:
        if expected != actual:
            report(
                Mismatch(
                    "body",
                    "$.body",
                    expected,
                    actual,
                    "Expected the multipart body to equal the contract's",
                )
            )
        return
    if actual_parts is None:
        report(
            Mismatch(
                "body",
                "$.body",
                expected_type,
                actual_type,
                "Expected a multipart body with a boundary but could not split it",
            )
        )
        return
    by_name = {p.name: p for p in actual_parts if p.name is not None}
    for position, part in enumerate(expected_parts):
        label = part.name or f"#{position}"
        where = f"$.body.{label}"
        found = by_name.get(part.name) if part.name is not None else None
        if found is None and part.name is None and position < len(actual_parts):
            found = actual_parts[position]
        if found is None:
            report(
                Mismatch(
                    "body",
                    where,
                    label,
                    None,
                    f"Expected multipart part '{label}' but it was missing",
                )
            )
            continue
        if (part.filename is None) != (found.filename is None):
            report(
                Mismatch(
                    "body",
                    where,
                    part.filename,
                    found.filename,
                    f"Expected multipart part '{label}' to be a "
                    f"{'field' if part.filename is None else 'file'}",
                )
            )
            continue
        rule = rules.select(("$", label)) if rules else None
        if part.filename is None:
            e_value: object = part.data.decode("utf-8", "replace")
            a_value: object = found.data.decode("utf-8", "replace")
        else:
            e_value, a_value = part.data, found.data
        if rule is not None and not rule.exact:
            for message in evaluate(rule, e_value, a_value, f"part '{label}'", text=True):
                report(Mismatch("body", where, e_value, a_value, message))
        elif e_value != a_value:
            report(
                Mismatch(
                    "body",
                    where,
                    e_value,
                    a_value,
                    f"Expected part '{label}' to equal {show(e_value)} but got {show(a_value)}",
                )
            )
