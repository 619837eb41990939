"""The verification loop: states -> replay -> match -> verdict, one interaction at a time.

This is the hot path. Per interaction it builds the request from the model (no JSON unless the
request has generators), sends it on a keep-alive session, and hands the model's expected part
and what the provider returned (status, headers, body bytes) straight to the matching engine.
No thread pools, no copies of the pact.
"""

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accord.errors import AccordError
from accord.matching import ActualResponse, match_message, match_response
from accord.pact import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    BodyKind,
    MessageContents,
    SynchronousHttp,
    SynchronousMessages,
    message_to_json,
)
from accord.pact.bodies import body_to_plain_json, is_text_type
from accord.verifier.messages import (
    Message,
    MessageProducers,
    fetch_message_over_http,
    message_to_actual,
    plain_contents,
)
from accord.verifier.previews import byte_preview
from accord.verifier.replay import body_to_plain, build_request
from accord.verifier.results import BodyDiff, InteractionResult, Mismatch
from accord.verifier.sources import LoadedPact
from accord.verifier.states import StateRunner
from accord.verifier.transport import ReplayRequest, Transport, TransportError

RequestFilter = Callable[[ReplayRequest], ReplayRequest | None]

_ATTRIBUTES = {
    "method": "method",
    "path": "path",
    "status": "status",
    "query": "query",
    "header": "header",
    "headers": "header",
    "body": "body",
    "bodytype": "body",
    "contents": "body",
    "content": "body",
    "metadata": "metadata",
}


def attribute_of(kind: str) -> str:
    """The Pact Broker's ``attribute`` name for an engine mismatch kind (``BodyMismatch``...)."""
    key = kind.lower().replace("_", "").replace("-", "")
    key = key.removesuffix("mismatch")
    return _ATTRIBUTES.get(key, key or "body")


def _json_safe(value: Any) -> Any:
    """Binary bodies (and bytes that are not the UTF-8 their type declares) reach mismatches as
    bytes; every report (console, JSON, JUnit, the broker's ``testResults``) writes mismatches
    as JSON, so bytes become a short preview with their length, never the whole body."""
    if isinstance(value, bytes | bytearray):
        return byte_preview(value)
    return value


def _convert(mismatches: Sequence[Any]) -> tuple[Mismatch, ...]:
    return tuple(
        Mismatch(
            attribute_of(str(m.kind)),
            str(m.path),
            _json_safe(m.expected),
            _json_safe(m.actual),
            str(m.message),
        )
        for m in mismatches
    )


def _body_text(body: Any) -> str:
    if isinstance(body, Mapping) and "content" in body:
        body = body["content"]
    if isinstance(body, bytes | bytearray):
        # text that is not UTF-8: its readable part, each bad byte as \xNN
        return bytes(body).decode("utf-8", "backslashreplace")
    if isinstance(body, str):
        return body
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False)


def _body_diff(body: Body, actual: Callable[[], Any]) -> BodyDiff | None:
    """A text diff of the expected ``body`` and the ``actual`` one (as a pact would carry it,
    made only when needed); none for binary content, whose Base64 lines say nothing a reader
    can use (the mismatch already gives both sizes)."""
    if body.kind is BodyKind.ABSENT or (
        body.content_type is not None and not is_text_type(body.content_type)
    ):
        return None
    return BodyDiff(_body_text(body_to_plain_json(body)), _body_text(actual()))


def _comment_texts(comments: Mapping[str, Any]) -> tuple[str, ...]:
    """The V4 ``comments.text`` entries (a list of strings; a lone string is taken too)."""
    text = comments.get("text")
    if isinstance(text, str):
        return (text,)
    if isinstance(text, list):
        return tuple(str(item) for item in text)
    return ()


def _test_name(comments: Mapping[str, Any]) -> str | None:
    """The V4 ``comments.testname``: the consumer test that recorded the interaction."""
    name = comments.get("testname")
    return name if isinstance(name, str) and name else None


@dataclass(frozen=True, slots=True)
class Filters:
    """Which interactions a run verifies (``--filter-description/-state/-no-state``)."""

    description: re.Pattern[str] | None = None
    state: re.Pattern[str] | None = None
    no_state: bool = False

    def accepts(self, interaction: AnyInteraction) -> bool:
        if self.description is not None and not self.description.search(interaction.description):
            return False
        if self.no_state and interaction.provider_states:
            return False
        return self.state is None or any(
            self.state.search(state.name) for state in interaction.provider_states
        )


class Runner:
    """Verifies interactions against one provider target."""

    def __init__(
        self,
        *,
        transport: Transport | None,
        states: StateRunner,
        producers: MessageProducers,
        custom_headers: Mapping[str, str],
        request_filter: RequestFilter | None,
    ) -> None:
        self.transport = transport
        self.states = states
        self.producers = producers
        self.custom_headers = dict(custom_headers)
        self.request_filter = request_filter
        # the spec version of the pact being verified: matching semantics differ by version
        self.spec = "V4"

    def verify(
        self,
        loaded: LoadedPact,
        interaction: AnyInteraction,
        *,
        upcoming: AnyInteraction | None = None,
    ) -> InteractionResult:
        """The verdict on ``interaction``. ``upcoming``, the interaction surely verified next,
        lets the first state change of that one start while this one's answer is matched
        (:meth:`StateRunner.send_ahead`); the provider sees the same calls in the same order.
        """
        pact = loaded.pact
        self.spec = pact.spec
        started = time.perf_counter()
        pending = loaded.pending or loaded.wip or interaction.pending
        kind = "http"
        mismatches: tuple[Mismatch, ...] = ()
        error: str | None = None
        diff: BodyDiff | None = None
        states = interaction.provider_states
        # what the verdict should warn about (generators that kept their example value),
        # collected while the request is built
        warnings: list[str] = []
        to_set_up = self.states.states_for(states) if self.states.active else ()
        # after a failed setup only in-process handlers are torn down (they may have to undo
        # part of it); a state-change URL is not called again, as the Pact verifiers do
        set_up = bool(to_set_up) and self.states.handlers is not None
        try:
            if to_set_up:
                context = self.states.setup(to_set_up)
                set_up = True
            else:
                unhandled = self.states.check_configured(states)
                if unhandled is not None:
                    warnings.append(unhandled)
                context = {k: v for state in states for k, v in state.params.items()}
            if isinstance(interaction, SynchronousHttp):
                mismatches, diff = self._verify_http(
                    interaction, context, warnings.append, upcoming
                )
            elif isinstance(interaction, AsynchronousMessage):
                kind = "message"
                mismatches, diff = self._verify_message(interaction, context)
            elif isinstance(interaction, SynchronousMessages):
                kind = "sync-message"
                mismatches, diff = self._verify_sync_message(interaction, context)
        except (AccordError, TransportError) as exc:
            error = str(exc)
        except Exception as exc:  # a request filter, producer or generator bug: report, go on
            error = f"{type(exc).__name__}: {exc}"
        finally:
            if set_up:
                try:
                    self.states.teardown(to_set_up)
                except (AccordError, TransportError) as exc:
                    error = error or str(exc)
        return InteractionResult(
            consumer=pact.consumer,
            provider=pact.provider,
            description=interaction.description,
            kind=kind,  # type: ignore[arg-type]
            states=tuple(state.name for state in states),
            interaction_id=interaction.broker_id or interaction.key,
            pending=pending,
            mismatches=mismatches,
            error=error,
            duration=time.perf_counter() - started,
            body_diff=diff
            if (mismatches and any(m.attribute == "body" for m in mismatches))
            else None,
            warnings=tuple(warnings),
            comments=_comment_texts(interaction.comments),
            test_name=_test_name(interaction.comments),
        )

    def _verify_http(
        self,
        interaction: SynchronousHttp,
        context: Mapping[str, Any],
        warn: Callable[[str], None],
        upcoming: AnyInteraction | None,
    ) -> tuple[tuple[Mismatch, ...], BodyDiff | None]:
        if self.transport is None:
            raise TransportError(
                "an HTTP interaction needs a provider: pass provider_base_url, hostname/port or app"
            )
        request = build_request(
            interaction.request,
            context=context,
            custom_headers=self.custom_headers,
            on_skip=warn,
        )
        if self.request_filter is not None:
            request = self.request_filter(request) or request
        response = self.transport.send(request)
        if upcoming is not None and self.states.active:
            self.states.send_ahead(upcoming.provider_states)
        actual = ActualResponse(response.status, response.headers, response.body)
        found = match_response(interaction.response, actual, spec=self.spec)
        if not found:
            return (), None
        content_type = next(
            (v for k, v in response.headers.items() if k.lower() == "content-type"), None
        )
        diff = _body_diff(
            interaction.response.body,
            lambda: body_to_plain(response.body, content_type) if response.body else "",
        )
        return _convert(found), diff

    def _produce(
        self, description: str, states: Any, params: Mapping[str, Any], request: Any = None
    ) -> Message | list[Message]:
        if description in self.producers or self.transport is None:
            return self.producers.produce(description, params, request)
        return fetch_message_over_http(
            self.transport,
            description,
            states,
            request,
            registered=self.producers.descriptions(),
        )

    def _verify_message(
        self, interaction: AsynchronousMessage, context: Mapping[str, Any]
    ) -> tuple[tuple[Mismatch, ...], BodyDiff | None]:
        produced = self._produce(interaction.description, interaction.provider_states, context)
        message = produced[0] if isinstance(produced, list) else produced
        return self._match_message(interaction.message, message)

    def _match_message(
        self, contents: MessageContents, message: Message
    ) -> tuple[tuple[Mismatch, ...], BodyDiff | None]:
        actual = message_to_actual(message)
        found = match_message(contents, actual, spec=self.spec)
        if not found:
            return (), None
        return _convert(found), _body_diff(contents.contents, lambda: plain_contents(actual))

    def _verify_sync_message(
        self, interaction: SynchronousMessages, context: Mapping[str, Any]
    ) -> tuple[tuple[Mismatch, ...], BodyDiff | None]:
        request_json = message_to_json(interaction.request)
        request_contents = request_json.get("contents")
        if isinstance(request_contents, Mapping) and "content" in request_contents:
            request_contents = request_contents["content"]
        produced = self._produce(
            interaction.description,
            interaction.provider_states,
            context,
            request_contents if interaction.description in self.producers else request_json,
        )
        messages = produced if isinstance(produced, list) else [produced]
        if len(messages) < len(interaction.response):
            return (
                Mismatch(
                    "body",
                    "$",
                    len(interaction.response),
                    len(messages),
                    f"expected {len(interaction.response)} response messages, got {len(messages)}",
                ),
            ), None
        all_mismatches: list[Mismatch] = []
        diff: BodyDiff | None = None
        for expected, actual in zip(interaction.response, messages, strict=False):
            found, found_diff = self._match_message(expected, actual)
            all_mismatches.extend(found)
            diff = diff or found_diff
        return tuple(all_mismatches), diff
