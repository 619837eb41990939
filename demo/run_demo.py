"""``make demo``: the example bank's whole contract-testing pipeline, narrated, in about 35 seconds.

Starts a broker on SQLite on a free port (its files in ``.accord-demo/`` at the repository's root,
ignored by git and replaced by the next run, so repeated demos leave nothing behind and "where to
look" still points at real files), then tells the story in six steps, showing each real command
before running it:
consumers publish pacts, providers verify them from the broker, a release asks can-i-deploy
and records the deployment, a breaking provider change is refused, an incompatible OpenAPI
change (bi-directional contracts) is refused with the field named, and where to look.

Exit code 0 when the story went as expected; 1 naming the step that surprised it. Nothing is
left running: the broker is stopped in ``finally``, also on Ctrl-C or SIGTERM.
"""

import argparse
import shlex
import shutil
import signal
import sys
import time
from pathlib import Path
from types import FrameType

REPOSITORY = Path(__file__).resolve().parents[1]
if str(REPOSITORY) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPOSITORY))

from demo.broker_process import running_broker  # noqa: E402
from demo.narration import Narrator, wants_colour  # noqa: E402
from demo.shell import Shell  # noqa: E402
from demo.story import Story, StorySettings, StorySurprise  # noqa: E402
from demo.versions import detect_version  # noqa: E402


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through ``finally``: the broker is stopped


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="run_demo.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where the broker database, pacts and reports go (default: .accord-demo/ at the "
        "repository's root, replaced on each run)",
    )
    return parser.parse_args(argv)


DEFAULT_WORKDIR = REPOSITORY / ".accord-demo"
_MARK = ".made-by-accord-demo"


def fresh_default_workdir(workdir: Path = DEFAULT_WORKDIR) -> Path:
    """Empty the demo's own folder, and only it: a folder without the demo's mark is left alone."""
    if workdir.exists():
        if not (workdir / _MARK).exists():
            raise SystemExit(
                f"{workdir} exists but was not made by the demo; move it away or pass --workdir"
            )
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    (workdir / _MARK).touch()
    return workdir


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    narrator = Narrator(sys.stdout, colour=wants_colour(sys.stdout))
    workdir = arguments.workdir or fresh_default_workdir()
    workdir.mkdir(parents=True, exist_ok=True)
    bin_dir = Path(sys.executable).parent
    accord = bin_dir / "accord"
    source = detect_version(REPOSITORY)
    started = time.monotonic()

    narrator.title("accord demo — consumer-driven contracts for a small bank")
    narrator.say(
        "web (a client) and notifications (an event handler) use two services, accounts and\n"
        "transfers; transfers also uses accounts. Each side tests on its own; the broker\n"
        f"connects them. Version {source.version}, branch {source.branch} ({source.origin}).\n"
        f"Work directory: {workdir}"
    )
    try:
        with running_broker(accord, workdir) as broker:
            narrator.say("\nA broker on SQLite is up (its database is in the work directory):")
            shell = Shell(narrator, REPOSITORY, {"PACT_BROKER_BASE_URL": broker.url})
            shown = shlex.join([shell.shown(accord), *broker.argv[1:]])
            narrator.command(f"{shown}   # started for you")
            narrator.command(f"export PACT_BROKER_BASE_URL={broker.url}")
            settings = StorySettings(
                repository=REPOSITORY,
                workdir=workdir,
                broker_url=broker.url,
                python=Path(sys.executable),
                accord=accord,
                version=source.version,
                branch=source.branch,
            )
            story = Story(settings, shell, narrator)
            story.publish_pacts()
            story.verify_providers()
            story.release()
            story.break_accounts()
            story.break_statements()
            story.where_to_look(broker.argv)
    except StorySurprise as surprise:
        narrator.bad(f"The demo did not go as expected at {surprise}")
        return 1
    except KeyboardInterrupt:
        narrator.bad("Interrupted; the broker was stopped.")
        return 130
    narrator.say("")
    narrator.good(f"The story went as expected in {time.monotonic() - started:.0f}s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
