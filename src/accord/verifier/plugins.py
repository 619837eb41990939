"""Find the interactions that need a Pact plugin, so the verifier can refuse them.

accord runs no Pact plugins (protobuf, gRPC, Avro, …). Verifying such an interaction without
its plugin would compare bytes accord cannot read, or skip them, and a green verdict would be a
lie; so a pact that needs a plugin stops the run before the provider is asked anything
(:class:`accord.errors.PluginRequiredError`, exit 2). A V4 pact says it needs one in four ways:
the interaction's ``pluginConfiguration`` (keyed by plugin name) or ``interactionMarkup``
(written by a plugin), a transport other than HTTP, a ``plugins`` list in the pact's metadata,
or a body whose content type only a plugin reads.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from accord.errors import PluginRequiredError
from accord.pact import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    Pact,
    SynchronousHttp,
    SynchronousMessages,
)
from accord.pact.bodies import is_json_type, media_type

# Content types whose bodies only a plugin can read, and the plugin that reads them.
_PLUGIN_CONTENT_TYPES = {
    "application/protobuf": "protobuf",
    "application/x-protobuf": "protobuf",
    "application/vnd.google.protobuf": "protobuf",
    "application/grpc": "protobuf",
    "application/avro": "avro",
    "avro/binary": "avro",
}
# Transports of the plugins' own protocols (HTTP is accord's).
_HTTP_TRANSPORTS = frozenset({"http", "https"})
_TRANSPORT_PLUGINS = {"grpc": "protobuf"}


@dataclass(frozen=True, slots=True)
class PluginNeed:
    """One interaction that needs a plugin: where it is, which plugin, and how the pact says so.

    ``plugins`` holds ``"name version"`` labels (the version when the pact's metadata gives it);
    it is empty when the pact does not say which plugin.
    """

    source: str
    consumer: str
    provider: str
    interaction: str
    plugins: tuple[str, ...]
    reason: str


def _declared_plugins(pact: Pact) -> dict[str, str]:
    """The pact metadata's ``plugins`` as ``{name: "name version"}``, in the order written."""
    declared: dict[str, str] = {}
    listed = pact.metadata.get("plugins")
    if not isinstance(listed, list):
        return declared
    for entry in listed:
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
            name = str(entry["name"])
            version = entry.get("version")
            declared[name] = f"{name} {version}" if isinstance(version, str) and version else name
    return declared


def _bodies(interaction: AnyInteraction) -> Iterator[Body]:
    if isinstance(interaction, SynchronousHttp):
        yield interaction.request.body
        yield interaction.response.body
    elif isinstance(interaction, AsynchronousMessage):
        yield interaction.message.contents
    elif isinstance(interaction, SynchronousMessages):
        yield interaction.request.contents
        for response in interaction.response:
            yield response.contents


def _content_type_plugin(content_type: str | None) -> str | None:
    """The plugin that reads ``content_type`` (``application/grpc+proto`` counts as gRPC)."""
    if is_json_type(content_type):
        return None
    media = media_type(content_type)
    return _PLUGIN_CONTENT_TYPES.get(media) or _PLUGIN_CONTENT_TYPES.get(media.split("+", 1)[0])


def _reasons(interaction: AnyInteraction) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Why an interaction needs a plugin, each with the plugin names that reason gives."""
    extensions = interaction.extensions
    configuration = extensions.get("pluginConfiguration")
    if isinstance(configuration, Mapping) and configuration:
        yield "its pluginConfiguration is for that plugin", tuple(str(k) for k in configuration)
    if extensions.get("interactionMarkup"):
        yield "its interactionMarkup is written by a plugin", ()
    transport = extensions.get("transport")
    if isinstance(transport, str) and transport.lower() not in _HTTP_TRANSPORTS:
        plugin = _TRANSPORT_PLUGINS.get(transport.lower())
        yield f"its transport is {transport!r}", (plugin,) if plugin else ()
    for body in _bodies(interaction):
        plugin = _content_type_plugin(body.content_type)
        if plugin is not None:
            yield f"content type {body.content_type} is read by a plugin", (plugin,)


def _label(names: Iterable[str], declared: Mapping[str, str]) -> tuple[str, ...]:
    labels: list[str] = []
    for name in names:
        label = declared.get(name, name)
        if label not in labels:
            labels.append(label)
    return tuple(labels)


def plugin_needs(pact: Pact, interactions: Iterable[AnyInteraction]) -> list[PluginNeed]:
    """The interactions among ``interactions`` (of ``pact``) that need a plugin."""
    declared = _declared_plugins(pact)
    needs: list[PluginNeed] = []
    for interaction in interactions:
        reasons = list(_reasons(interaction))
        if not reasons and declared:
            # the pact loads plugins but does not say which interactions use them
            reasons = [("the pact's metadata lists plugins", tuple(declared))]
        if not reasons:
            continue
        named = [name for _, names in reasons for name in names]
        needs.append(
            PluginNeed(
                source=pact.source,
                consumer=pact.consumer,
                provider=pact.provider,
                interaction=interaction.description,
                plugins=_label(named or declared, declared),
                reason="; ".join(reason for reason, _ in reasons),
            )
        )
    return needs


def refuse_plugins(selected: Iterable[tuple[Pact, Iterable[AnyInteraction]]]) -> None:
    """Raise :class:`PluginRequiredError` naming every selected interaction that needs a plugin.

    Called with the interactions that would be verified (after the filters), so a user can
    leave the plugin interactions out with a description filter and verify the rest.
    """
    needs = [need for pact, interactions in selected for need in plugin_needs(pact, interactions)]
    if needs:
        raise PluginRequiredError(needs)
