"""The six steps of the demo, each a few real commands with the outcome the story expects.

A step raises :class:`StorySurprise` when a command ends otherwise than the story says (a
verification that should pass fails, can-i-deploy says yes to a breaking change, ...), naming
the step and the command, so ``run_demo.py`` can exit non-zero with a useful message.
"""

import json
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from demo.narration import Narrator
from demo.shell import CommandResult, Shell

# consumer contract tests: web and notifications, and transfers as a consumer of accounts
CONSUMER_TESTS = ("consumers", "providers/transfers/tests/test_accounts_pact.py")
PROVIDER_VERIFICATIONS = {
    "accounts": "providers/accounts/tests/test_accounts_broker_verification.py",
    "transfers": "providers/transfers/tests/test_transfers_broker_verification.py",
}
# statements publishes its OpenAPI document instead of replaying pacts (bi-directional)
OPENAPI_PROVIDER = "statements"
OPENAPI_APP = "providers.statements.app:app"
OPENAPI_SELF_TESTS = "providers/statements/tests"
# deployed providers first, so that each consumer finds what it needs already in production
DEPLOY_ORDER = ("accounts", "transfers", "statements", "notifications", "web", "mobile")
ENVIRONMENT = "production"
BREAKING_SUFFIX = "-rename-balance"
OPENAPI_BREAKING_SUFFIX = "-rename-description"
PACT_FILES = 5


class StorySurprise(Exception):  # noqa: N818 - "the story was surprised" reads as intended
    """A step did not go as the story expects."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"step {step!r}: {message}")
        self.step = step


@dataclass(frozen=True)
class StorySettings:
    repository: Path
    workdir: Path
    broker_url: str
    python: Path
    accord: Path
    version: str
    branch: str

    @property
    def pact_dir(self) -> Path:
        return self.workdir / "pacts"

    @property
    def reports_dir(self) -> Path:
        return self.workdir / "reports"

    @property
    def breaking_version(self) -> str:
        return self.version + BREAKING_SUFFIX


def expect(
    step: str, result: CommandResult, *, exit_code: int, mentions: Iterable[str] = ()
) -> None:
    """Check a command's exit code and that its output mentions each of ``mentions``."""
    first_line = result.display.splitlines()[0]
    if result.exit_code != exit_code:
        raise StorySurprise(
            step,
            f"`{first_line} …` exited with {result.exit_code}, the story expects {exit_code}; "
            f"its output ends with:\n{result.output[-2500:]}",
        )
    for text in mentions:
        if text not in result.output:
            raise StorySurprise(step, f"`{first_line} …` did not mention {text!r}")


class Story:
    """The pipeline of the example bank, told step by step."""

    def __init__(self, settings: StorySettings, shell: Shell, narrator: Narrator) -> None:
        self.settings = settings
        self.shell = shell
        self.narrator = narrator

    def _accord(self, *args: str) -> list[str]:
        return [self.shell.shown(self.settings.accord), *args]

    def _python(self, *args: str) -> list[str]:
        return [self.shell.shown(self.settings.python), *args]

    def publish_pacts(self) -> None:
        step, s = "consumers publish pacts", self.settings
        self.narrator.step(1, "The consumers test their side and publish pacts")
        self.narrator.say(
            "web and notifications, and transfers as a consumer of accounts, run their contract\n"
            "tests on pact-python; accord's pytest plugin writes one pact per pair."
        )
        tests = self.shell.run(
            self._python("-m", "pytest", "-q", *CONSUMER_TESTS, "--pact-dir", str(s.pact_dir))
        )
        expect(step, tests, exit_code=0, mentions=["passed"])
        pacts = sorted(p.name for p in s.pact_dir.glob("*.json"))
        if len(pacts) != PACT_FILES:
            raise StorySurprise(
                step, f"expected {PACT_FILES} pact files in {s.pact_dir}, found {pacts}"
            )
        self.narrator.say(f"\nThey publish them as version {s.version} of branch {s.branch}:")
        published = self.shell.run(
            self._accord(
                "publish",
                str(s.pact_dir),
                "--consumer-app-version",
                s.version,
                "--branch",
                s.branch,
            )
        )
        expect(step, published, exit_code=0, mentions=["published"])
        self.narrator.good(f"{len(pacts)} pacts are in the broker: {', '.join(pacts)}")

    def _verify_provider(self, provider: str, version: str, *, breaking: bool) -> CommandResult:
        s = self.settings
        report = s.reports_dir / f"{provider}-{version}.xml"
        env = {"ACCORD_PROVIDER_BRANCH": s.branch}
        if breaking:
            env = {"ACCORD_DEMO_BREAKING": "1", **env}
        return self.shell.run(
            self._python(
                "-m",
                "pytest",
                "-q",
                "--tb=short",
                "-rfp",
                "-p",
                "accord.verifier.pytest_plugin",
                PROVIDER_VERIFICATIONS[provider],
                "--accord-publish",
                "--accord-provider-version",
                version,
                "--accord-provider-branch",
                s.branch,
                "--junitxml",
                str(report),
            ),
            env=env,
        )

    def verify_providers(self) -> None:
        step, s = "providers verify", self.settings
        self.narrator.step(2, "The providers verify their consumers' pacts from the broker")
        self.narrator.say(
            "Each provider asks the broker which pacts to verify (selectors: the head of each\n"
            "consumer's main branch, what is deployed or released, and the consumer branch named\n"
            "like the provider's), replays them in-process with provider states that insert rows\n"
            "through SQLAlchemy, checks the transfer-completed event from its producer function,\n"
            "and publishes the results."
        )
        for provider in PROVIDER_VERIFICATIONS:
            result = self._verify_provider(provider, s.version, breaking=False)
            expect(step, result, exit_code=0, mentions=["verification results published"])
            self.narrator.good(f"{provider} {s.version} honours every pact; results published")
        self.narrator.say(
            "\nstatements replays nothing: it runs its own schema tests, then publishes its\n"
            "OpenAPI document (FastAPI's app.openapi()) with their result; the broker compares\n"
            "it with mobile's pact (bi-directional contract testing)."
        )
        published = self._publish_openapi(s.version, breaking=False)
        expect(step, published, exit_code=0, mentions=["Compatible with the pact of mobile"])
        self.narrator.good(f"statements {s.version}: mobile's pact is compatible with its OpenAPI")

    def _publish_openapi(self, version: str, *, breaking: bool) -> CommandResult:
        """statements' pipeline: its schema tests, then its document and their exit code."""
        s = self.settings
        env = {"ACCORD_DEMO_BREAKING": "1"} if breaking else None
        tests = self.shell.run(self._python("-m", "pytest", "-q", OPENAPI_SELF_TESTS), env=env)
        expect("statements self-verification", tests, exit_code=0, mentions=["passed"])
        report = s.reports_dir / f"statements-{version}-schema-tests.txt"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(tests.output, encoding="utf-8")
        return self.shell.run(
            self._accord(
                "openapi",
                "publish",
                "--app",
                OPENAPI_APP,
                "--provider",
                OPENAPI_PROVIDER,
                "--provider-app-version",
                version,
                "--branch",
                s.branch,
                "--verification-exit-code",
                str(tests.exit_code),
                "--verification-results",
                str(report),
                "--verifier",
                "pytest",
            ),
            env=env,
        )

    def release(self) -> None:
        step, s = "release to production", self.settings
        self.narrator.step(3, "Release: can-i-deploy, then record the deployment")
        created = self.shell.run(
            self._accord("create-environment", "--name", ENVIRONMENT, "--production")
        )
        expect(step, created, exit_code=0)
        self.narrator.say(
            "\nEach service is released in dependency order; the pipeline asks the broker first."
        )
        for pacticipant in DEPLOY_ORDER:
            verdict = self.shell.run(
                self._accord(
                    "can-i-deploy",
                    "--pacticipant",
                    pacticipant,
                    "--version",
                    s.version,
                    "--to-environment",
                    ENVIRONMENT,
                )
            )
            expect(step, verdict, exit_code=0, mentions=["Computer says yes"])
            recorded = self.shell.run(
                self._accord(
                    "record-deployment",
                    "--pacticipant",
                    pacticipant,
                    "--version",
                    s.version,
                    "--environment",
                    ENVIRONMENT,
                )
            )
            expect(step, recorded, exit_code=0)
        self.narrator.good(
            f"all {len(DEPLOY_ORDER)} services run version {s.version} in {ENVIRONMENT}"
        )

    def break_accounts(self) -> None:
        step, s = "breaking change", self.settings
        self.narrator.step(4, "A breaking change: accounts renames `balance` to `amount`")
        self.narrator.say(
            f"A developer renames the field and pushes accounts {s.breaking_version}\n"
            "(ACCORD_DEMO_BREAKING=1 switches the change on). Its verification runs as before:"
        )
        result = self._verify_provider("accounts", s.breaking_version, breaking=True)
        expect(
            step,
            result,
            exit_code=1,
            mentions=["failed", "Expected key 'balance'", "verification results published"],
        )
        self.narrator.bad(
            f"accounts {s.breaking_version} fails the pacts of web and transfers; "
            "the failure is published"
        )
        self.narrator.say("\nThe release pipeline of accounts asks the broker:")
        verdict = self.shell.run(
            self._accord(
                "can-i-deploy",
                "--pacticipant",
                "accounts",
                "--version",
                s.breaking_version,
                "--to-environment",
                ENVIRONMENT,
            )
        )
        expect(
            step,
            verdict,
            exit_code=1,
            mentions=["Computer says no", "currently in production", "Expected key 'balance'"],
        )
        self.narrator.bad(
            f"can-i-deploy refuses accounts {s.breaking_version}: web and transfers in "
            f"{ENVIRONMENT} still read `balance`"
        )

    def break_statements(self) -> None:
        step, s = "incompatible OpenAPI change", self.settings
        version = s.version + OPENAPI_BREAKING_SUFFIX
        self.narrator.step(5, "An incompatible OpenAPI change: statements renames `description`")
        self.narrator.say(
            f"statements {version} calls an entry's text `memo`. Its own schema tests pass (the\n"
            "app honours its new document), so it publishes; the broker compares mobile's pact:"
        )
        published = self._publish_openapi(version, breaking=True)
        expect(step, published, exit_code=0, mentions=["NOT compatible with the pact of mobile"])
        self.narrator.bad(f"statements {version} no longer documents what mobile reads")
        self.narrator.say("\nThe release pipeline of statements asks the broker:")
        verdict = self.shell.run(
            self._accord(
                "can-i-deploy",
                "--pacticipant",
                OPENAPI_PROVIDER,
                "--version",
                version,
                "--to-environment",
                ENVIRONMENT,
            )
        )
        expect(
            step,
            verdict,
            exit_code=1,
            mentions=["Computer says no", "provider contract", "entries[0].description"],
        )
        self.narrator.bad(
            f"can-i-deploy refuses statements {version}: mobile in {ENVIRONMENT} reads "
            "`description`, which the new document does not allow"
        )

    def where_to_look(self, broker_argv: Sequence[str]) -> None:
        s = self.settings
        self.narrator.step(6, "Where to look")
        reopen = shlex.join([self.shell.shown(Path(broker_argv[0])), *broker_argv[1:]])
        self.narrator.say(
            f"broker        {s.broker_url}  (pages at {s.broker_url}/ui; stopped with the demo)\n"
            f"reopen it     {reopen}\n"
            f"pact files    {s.pact_dir}/\n"
            f"reports       {s.reports_dir}/ (JUnit XML of each verification)\n"
            f"broker log    {s.workdir / 'broker.log'}\n"
            "your own      make broker   (a standing broker on http://127.0.0.1:9292)"
        )


def pacts_published(pact_dir: Path) -> list[str]:
    """``consumer-provider`` pairs of the pact files in ``pact_dir`` (for tests and reports)."""
    pairs = []
    for path in sorted(pact_dir.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        pairs.append(f"{document['consumer']['name']}-{document['provider']['name']}")
    return pairs
