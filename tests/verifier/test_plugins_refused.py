"""Interactions that need a Pact plugin are refused, never verified silently.

accord runs no Pact plugins. A V4 pact says an interaction needs one through the interaction's
``pluginConfiguration`` or ``interactionMarkup``, through a ``plugins`` entry in the pact's
metadata, or through a content type only a plugin understands (protobuf, gRPC). Such a pact
must stop the run with exit 2 and a message naming the interaction and the plugin, before the
provider is asked anything: a green verdict there would be a lie.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from verifier_providers import pact_document

from accord.cli.app import cli
from accord.errors import AccordError, PluginRequiredError
from accord.verifier import Message, verify

PROTOBUF_PLUGIN = {"name": "protobuf", "version": "0.3.15", "configuration": {}}


def _http(description: str = "a request for an account", **extra: Any) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": "/accounts/1"},
        "response": {"status": 200},
        **extra,
    }


def _event(
    description: str = "an account-opened event",
    content_type: str = "application/json",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "type": "Asynchronous/Messages",
        "description": description,
        "contents": {"content": "CgNhYmM=", "contentType": content_type, "encoded": "base64"}
        if content_type != "application/json"
        else {"content": {"id": 1}, "contentType": content_type},
        **extra,
    }


def _pact(write_pact: Any, *interactions: dict[str, Any], plugins: Any = None) -> Path:
    document = pact_document(list(interactions), spec="4.0")
    if plugins is not None:
        document["metadata"]["plugins"] = plugins
    path: Path = write_pact(document)
    return path


class Calls:
    """Counts the messages produced (an HTTP request would fail: nothing listens there)."""

    def __init__(self) -> None:
        self.count = 0

    def producer(self, *_: Any) -> Message:
        self.count += 1
        return Message({"id": 1})


def _verify(pact: Path, calls: Calls, **options: Any) -> Any:
    return verify(
        files=[pact],
        message_producers={
            "an account-opened event": calls.producer,
            "a plain event": calls.producer,
        },
        provider_base_url="http://127.0.0.1:9",  # nothing listens: a request would error
        output=None,
        raise_on_failure=False,
        **options,
    )


def _refusal(pact: Path) -> tuple[PluginRequiredError, Calls]:
    calls = Calls()
    with pytest.raises(PluginRequiredError) as raised:
        _verify(pact, calls)
    return raised.value, calls


def test_plugin_configuration_names_the_interaction_and_the_plugin_version(
    write_pact: Any,
) -> None:
    pact = _pact(
        write_pact,
        _event(
            "an account-opened event",
            "application/protobuf",
            pluginConfiguration={"protobuf": {"message": "AccountOpened"}},
        ),
        plugins=[PROTOBUF_PLUGIN],
    )
    error, calls = _refusal(pact)
    assert error.exit_code == 2
    assert "'an account-opened event'" in str(error)
    assert "protobuf 0.3.15" in str(error)
    assert calls.count == 0  # refused before anything was produced
    [need] = error.needs
    assert (need.interaction, need.plugins) == ("an account-opened event", ("protobuf 0.3.15",))


def test_interaction_markup_alone_is_refused_even_without_plugin_metadata(
    write_pact: Any,
) -> None:
    markup = {"markup": "```protobuf\nmessage X {}\n```", "markupType": "COMMON_MARK"}
    pact = _pact(write_pact, _http(interactionMarkup=markup), _event("a plain event"))
    error, calls = _refusal(pact)
    assert [need.interaction for need in error.needs] == ["a request for an account"]
    assert "interactionMarkup" in str(error)
    assert calls.count == 0


def test_plugins_in_the_pact_metadata_refuse_every_interaction_of_that_pact(
    write_pact: Any,
) -> None:
    pact = _pact(write_pact, _http(), _event(), plugins=[PROTOBUF_PLUGIN])
    error, _ = _refusal(pact)
    assert [need.interaction for need in error.needs] == [
        "a request for an account",
        "an account-opened event",
    ]
    assert all(need.plugins == ("protobuf 0.3.15",) for need in error.needs)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/protobuf",
        "application/x-protobuf",
        "application/grpc",
        "application/grpc+proto",
    ],
)
def test_a_content_type_only_a_plugin_reads_is_refused(write_pact: Any, content_type: str) -> None:
    pact = _pact(write_pact, _event(content_type=content_type))
    error, calls = _refusal(pact)
    assert "'an account-opened event'" in str(error)
    assert content_type in str(error)
    assert "protobuf" in str(error)
    assert calls.count == 0


def test_a_grpc_request_of_a_synchronous_message_is_refused(write_pact: Any) -> None:
    interaction = {
        "type": "Synchronous/Messages",
        "description": "a balance call",
        "request": {
            "contents": {"content": "CgEx", "contentType": "application/grpc", "encoded": "base64"}
        },
        "response": [{"contents": {"content": {"balance": 1}, "contentType": "application/json"}}],
        "transport": "grpc",
    }
    error, _ = _refusal(_pact(write_pact, interaction))
    assert [need.interaction for need in error.needs] == ["a balance call"]


def test_pacts_without_plugins_still_verify(write_pact: Any) -> None:
    # an empty plugins list, a JSON type named after protobuf and an HTTP transport need none
    pact = _pact(
        write_pact,
        _event(transport="https"),
        _event("a plain event", "application/vnd.protobuf-schema+json"),
        plugins=[],
    )
    calls = Calls()
    result = verify(
        files=[pact],
        message_producers={
            "an account-opened event": calls.producer,
            "a plain event": Message(
                b"CgNhYmM=", content_type="application/vnd.protobuf-schema+json"
            ),
        },
        output=None,
        raise_on_failure=False,
    )
    assert calls.count == 1
    assert len(result.interactions) == 2


def test_the_refusal_is_an_accord_error_the_library_user_can_catch(write_pact: Any) -> None:
    pact = _pact(write_pact, _event(), plugins=[{"name": "avro"}])
    with pytest.raises(AccordError, match=r"'an account-opened event' needs the plugin avro\b"):
        _verify(pact, Calls())


def test_accord_verify_exits_2_naming_the_interaction_and_plugin(
    write_pact: Any, tmp_path: Path
) -> None:
    pact = _pact(
        write_pact,
        _event(pluginConfiguration={"protobuf": {}}),
        plugins=[PROTOBUF_PLUGIN],
    )
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        ["verify", "--file", str(pact), "--provider-base-url", "http://127.0.0.1:9",
         "--json", str(report)],
        env={"PACT_BROKER_BASE_URL": None, "PACT_DO_NOT_TRACK": "true"},
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "'an account-opened event'" in result.output
    assert "protobuf 0.3.15" in result.output
    assert not report.exists()  # nothing was verified, so nothing was reported as verified


def test_the_installed_command_refuses_too(write_pact: Any) -> None:
    pact = _pact(write_pact, _event(content_type="application/protobuf"))
    accord = Path(sys.executable).with_name("accord")
    finished = subprocess.run(
        [str(accord), "verify", "--file", str(pact), "--provider-base-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PACT_DO_NOT_TRACK": "true"},
        check=False,
    )
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "'an account-opened event'" in finished.stderr
    assert "application/protobuf" in finished.stderr


def test_filtering_out_the_plugin_interactions_verifies_the_rest(write_pact: Any) -> None:
    pact = _pact(
        write_pact,
        _event("an account-opened event", "application/protobuf"),
        _event("a plain event"),
    )
    calls = Calls()
    result = _verify(pact, calls, filter_description="plain")
    assert [i.description for i in result.interactions] == ["a plain event"]
    assert result.success
    assert calls.count == 1


def test_the_pytest_plugin_refuses_a_pact_that_needs_a_plugin(tmp_path: Path) -> None:
    pacts = tmp_path / "pacts"
    pacts.mkdir()
    document = pact_document([_event(content_type="application/grpc")], spec="4.0")
    (pacts / "web-accounts.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["accord.verifier.pytest_plugin"]\n'
        "import pytest\n"
        "@pytest.fixture(scope='session')\n"
        "def accord_provider():\n"
        "    return 'http://127.0.0.1:9'\n",
        encoding="utf-8",
    )
    (tmp_path / "test_contract.py").write_text(
        "import pytest\n"
        'pytestmark = pytest.mark.accord_pacts(dirs=["pacts"], provider_name="accounts")\n'
        "def test_contract(accord_interaction):\n"
        "    accord_interaction.verify()\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = run.stdout + run.stderr
    # a collection error: the session stops (exit 2, as accord verify), nothing passes
    assert run.returncode == pytest.ExitCode.INTERRUPTED, output
    assert " passed" not in output
    assert "'an account-opened event' needs the plugin protobuf" in output
    assert "application/grpc" in output
