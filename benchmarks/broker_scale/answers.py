"""Capture and compare the full answers of every matrix question on a kept data set, so that a
change to how the matrix reads its rows can be shown to change no verdict, reason or row.

``python -m benchmarks.broker_scale.answers capture DIR --keep /tmp/scale-keep`` asks, in
process, every ``/matrix``, ``/can-i-deploy``, can-i-merge and UI matrix question of the
catalogue (plus the same forms with small limits, where a per-pact limit would first show an
error) on each kept SQLite data set and writes each answer to ``DIR/<scale>/<question>``;
``compare DIR`` asks again and reports every answer that differs, line by line. The statement
count of each answer is printed too (the work the question does).

Nothing is seeded here: the data sets are the ones ``--keep`` made (never deleted).
"""

import argparse
import asyncio
import difflib
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from accord_broker.app import create_app
from accord_broker.settings import Settings
from sqlalchemy import Engine, event

from benchmarks.broker_scale.catalogue_matrix import MATRIX, PAIR, matrix_questions
from benchmarks.broker_scale.catalogue_ui import ui_questions
from benchmarks.broker_scale.question import Question, get, page
from benchmarks.broker_scale.shape import Shape

UI_MATRIX = "/ui/matrix/provider/{provider}/consumer/{consumer}"
SCALES = {"0_1": 0.1, "1_0": 1.0}


def _extra_questions(shape: Shape) -> list[Question]:
    """The catalogue's matrix forms with small limits and other shapes: where a limit applied
    per pact version (rather than to the page) would first drop or reorder a row."""
    cv = shape.latest_consumer_version
    pv = shape.latest_provider_version
    pair = {"provider": "P00", "consumer": "C00"}
    asked = []
    for limit in (1, 3, 17, 250):
        asked += [
            get(f"x pair cvpv limit {limit}", MATRIX, f"{PAIR}&latestby=cvpv&limit={limit}"),
            get(f"x pair cvp limit {limit}", MATRIX, f"{PAIR}&latestby=cvp&limit={limit}"),
            get(f"x pair cp limit {limit}", MATRIX, f"{PAIR}&latestby=cp&limit={limit}"),
            get(f"x pair every row limit {limit}", MATRIX, f"{PAIR}&limit={limit}"),
            get(
                f"x branch rows limit {limit}",
                MATRIX,
                f"q[][pacticipant]=C00&q[][branch]=main&latestby=cvpv&limit={limit}",
            ),
            get(
                f"x branch pair limit {limit}",
                MATRIX,
                "q[][pacticipant]=C00&q[][branch]=main&q[][pacticipant]=P00"
                f"&q[][branch]=main&latestby=cvpv&limit={limit}",
            ),
            get(
                f"x one version limit {limit}",
                MATRIX,
                f"q[][pacticipant]=C00&q[][version]={cv}&latestby=cvpv&limit={limit}",
            ),
            get(
                f"x provider version limit {limit}",
                MATRIX,
                f"q[][pacticipant]=P00&q[][version]={pv}&latestby=cvpv&limit={limit}",
            ),
            get(
                f"x provider alone limit {limit}",
                MATRIX,
                f"q[][pacticipant]=P00&latestby=cvpv&limit={limit}",
            ),
        ]
    asked += [
        get(
            "x main branch to environment",
            MATRIX,
            "q[][pacticipant]=C00&q[][mainBranch]=true&latestby=cvpv&environment=production",
        ),
        get(
            "x provider branch",
            MATRIX,
            "q[][pacticipant]=P00&q[][branch]=main&latestby=cvp&latest=true",
        ),
        get(
            "x branch to tag",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=main&latestby=cvp&latest=true&tag=prod",
        ),
        get(
            "x branch ignore",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=main&ignore[][pacticipant]=P01"
            "&latestby=cvpv&environment=production",
        ),
        get(
            "x missing branch",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=nope&latestby=cvp&latest=true",
        ),
        get(
            "x feature branch latest",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=feat-7&latestby=cvp&latest=true",
        ),
        page(
            "x UI matrix branch only",
            UI_MATRIX,
            "consumer_branch=main&latestby=cvpv&limit=20",
            **pair,
        ),
        page(
            "x UI matrix both branches every row",
            UI_MATRIX,
            "consumer_branch=main&provider_branch=main&limit=30",
            **pair,
        ),
    ]
    return asked


def questions(shape: Shape) -> list[Question]:
    """Every matrix-answering question of the catalogue, then the extra forms."""
    ui = [
        q for q in ui_questions(shape) if q.template in (UI_MATRIX, "/ui/can-i-deploy") and q.query
    ]
    return matrix_questions(shape) + ui + _extra_questions(shape)


def _file_name(question: Question) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", question.name)


def _normalised(response: httpx.Response) -> str:
    head = f"HTTP {response.status_code}\n"
    if "json" in response.headers.get("content-type", ""):
        return head + json.dumps(response.json(), indent=1, sort_keys=True)
    # relative times ("3 minutes ago") move with the clock, not with the answer
    text = re.sub(r"\d+ (second|minute|hour|day|month|year)s? ago", "… ago", response.text)
    return head + re.sub(r"rendered [0-9T:+-]+", "rendered …", text)


TIMED = 5
"""Askings timed per question (after one warm-up): the median is printed, in ms."""


async def _ask_all(url: str, asked: list[Question]) -> dict[str, tuple[str, int, float]]:
    statements: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    settings = Settings(database_url=url, migrate_on_start=False, webhook_worker_enabled=False)
    app = create_app(settings)
    event.listen(Engine, "before_cursor_execute", count)
    found: dict[str, tuple[str, int, float]] = {}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://scale") as client:
            for question in asked:
                headers = {"Accept": question.accept}
                await client.get(question.path(), headers=headers)  # warm the caches
                statements.clear()
                response = await client.get(question.path(), headers=headers)
                counted = len(statements)
                took = []
                for _ in range(TIMED):
                    started = time.perf_counter()
                    await client.get(question.path(), headers=headers)
                    took.append((time.perf_counter() - started) * 1000)
                found[_file_name(question)] = (
                    _normalised(response),
                    counted,
                    statistics.median(took),
                )
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    return found


POSTGRES: list[str] = []
"""``--postgres SERVER_URL``: ask the kept PostgreSQL databases (``accord_scale20_keep_<tag>``)
on that server instead of the SQLite files."""


def _answers(keep: Path, tag: str, only: str = "") -> dict[str, tuple[str, int, float]]:
    url = f"sqlite:///{keep / f'scale20-{tag}.sqlite'}"
    if POSTGRES:
        url = f"{POSTGRES[0].rstrip('/')}/accord_scale20_keep_{tag}"
    parts = [p for p in only.split(",") if p]
    asked = [
        q for q in questions(Shape.at(SCALES[tag])) if not parts or any(p in q.name for p in parts)
    ]
    return asyncio.run(_ask_all(url, asked))


def capture(directory: Path, keep: Path, tags: list[str], only: str = "") -> None:
    for tag in tags:
        target = directory / tag
        target.mkdir(parents=True, exist_ok=True)
        counts = {}
        for name, (text, statements, ms) in _answers(keep, tag, only).items():
            (target / name).write_text(text)
            counts[name] = statements
            print(f"{tag} {name}: {statements} statements, {ms:.1f} ms")
        (target / "_statements.json").write_text(json.dumps(counts, indent=1))
        print(f"{tag}: {len(counts)} answers in {target}")


def compare(directory: Path, keep: Path, tags: list[str], only: str = "") -> int:
    differing = 0
    for tag in tags:
        before_counts = json.loads((directory / tag / "_statements.json").read_text())
        for name, (text, statements, ms) in _answers(keep, tag, only).items():
            before = (directory / tag / name).read_text()
            was = before_counts.get(name)
            note = f"{tag} {name}: statements {was} -> {statements}, {ms:.1f} ms"
            if before == text:
                print(note + " (same answer)")
                continue
            differing += 1
            print(note + " ANSWER DIFFERS")
            diff = difflib.unified_diff(before.splitlines(), text.splitlines(), lineterm="", n=1)
            print("\n".join(list(diff)[:60]))
    print(f"{differing} answers differ")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("action", choices=("capture", "compare"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--keep", type=Path, default=Path("/tmp/scale-keep"))
    parser.add_argument("--scales", default="0_1,1_0", help="kept data sets: 0_1, 1_0")
    parser.add_argument("--only", default="", help="comma-separated parts of question names")
    parser.add_argument("--timed", type=int, default=TIMED, help="askings timed per question")
    parser.add_argument("--postgres", default="", help="a server URL with the kept databases")
    args = parser.parse_args()
    tags = args.scales.split(",")
    globals()["TIMED"] = args.timed
    if args.postgres:
        POSTGRES.append(args.postgres)
    if args.action == "capture":
        capture(args.directory, args.keep, tags, args.only)
    else:
        sys.exit(1 if compare(args.directory, args.keep, tags, args.only) else 0)


if __name__ == "__main__":
    main()
