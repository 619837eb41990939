"""The UI pages against the heartbeat, side by side, in process (issues #20 and #22).

``python -m benchmarks.ui_pages [--data /tmp/scale-keep/scale20-1_0.sqlite] [--rounds 40]``

Issue #22 wants every UI page within 3x the heartbeat's p95 at the scale benchmark's full data
size. On a shared, loaded machine two runs minutes apart do not compare, so this builds the app
once over a kept data set of ``benchmarks.broker_scale`` (``--keep``) and asks, round after
round, the heartbeat and every UI page through the ASGI app (``httpx.ASGITransport``, no
sockets): each round asks them all, in a shuffled order, so load spikes fall on all of them
alike. HTTP would add the same constant to both sides, so over HTTP the ratio is smaller; the
in-process ratio is the strict one. Beside the wall-clock time it reports the process's CPU
time per request (all threads: FastAPI runs the pages on its thread pool), which a loaded
machine's preemptions do not inflate: on a shared machine that is the steadier comparison.
"""

import argparse
import asyncio
import random
import re
import statistics
import time
from pathlib import Path

import httpx
from accord_broker.app import create_app
from accord_broker.settings import Settings

from benchmarks.broker_scale.catalogue import HEARTBEAT, questions_for
from benchmarks.broker_scale.question import Question
from benchmarks.broker_scale.shape import Shape

BOUND = 3.0
WARM_UP_ROUNDS = 5
DEFAULT_DATA = Path("/tmp/scale-keep/scale20-1_0.sqlite")


def scale_of(path: Path) -> float:
    """The scale a kept file was seeded at, from its name (``scale20-0_1.sqlite`` is 0.1)."""
    found = re.search(r"scale20-(\d+)_(\d+)", path.name)
    if found is None:
        raise SystemExit(f"{path}: not a kept data set of benchmarks.broker_scale")
    return float(f"{found.group(1)}.{found.group(2)}")


def chosen(shape: Shape, only: list[str], *, every: bool = False) -> list[Question]:
    """The heartbeat and the UI pages (``/ui`` HTML), narrowed by parts of their names; with
    ``every``, every bounded question of the catalogue (whole lists are bounded per item)."""
    pages = [
        q
        for q in questions_for(shape)
        if q.name != HEARTBEAT and q.whole_list is None
        if every or (q.name.startswith("UI ") and q.accept == "text/html")
        if not only or any(part.lower() in q.name.lower() for part in only)
    ]
    heartbeat = [q for q in questions_for(shape) if q.name == HEARTBEAT]
    return heartbeat + pages


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Samples = dict[str, list[float]]


async def measure(
    url: str, asked: list[Question], rounds: int, seed: int
) -> tuple[Samples, Samples, dict[str, tuple[int, int]]]:
    """Wall and CPU milliseconds per question, and each question's last status and size."""
    app = create_app(
        Settings(database_url=url, migrate_on_start=False, webhook_worker_enabled=False)
    )
    shuffler = random.Random(seed)
    samples: Samples = {q.name: [] for q in asked}
    cpu: Samples = {q.name: [] for q in asked}
    answers: dict[str, tuple[int, int]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ui-bench") as client:
        for number in range(WARM_UP_ROUNDS + rounds):
            order = list(asked)
            shuffler.shuffle(order)
            for question in order:
                started, used = time.perf_counter(), time.process_time()
                response = await client.request(
                    question.method,
                    question.path(),
                    headers={"Accept": question.accept, **_content_type(question)},
                    json=question.body,
                    follow_redirects=False,
                )
                elapsed = (time.perf_counter() - started) * 1000
                spent = (time.process_time() - used) * 1000
                answers[question.name] = (response.status_code, len(response.content))
                if number >= WARM_UP_ROUNDS:
                    samples[question.name].append(elapsed)
                    cpu[question.name].append(spent)
    return samples, cpu, answers


def _content_type(question: Question) -> dict[str, str]:
    return {"Content-Type": "application/json"} if question.body is not None else {}


def report(samples: Samples, cpu: Samples, answers: dict[str, tuple[int, int]]) -> int:
    """Print the table; the number of pages whose wall-clock p95 is over the bound."""
    beat, beat_cpu = _p(samples[HEARTBEAT], 0.95), _p(cpu[HEARTBEAT], 0.5)
    print(
        f"{'question':<44} {'status':>6} {'KB':>6} {'p50':>7} {'p95':>7} {'p95/hb':>7}"
        f" {'cpu p50':>8} {'cpu/hb':>7}"
    )
    over = 0
    for name, values in samples.items():
        status, size = answers[name]
        p95, cpu50 = _p(values, 0.95), _p(cpu[name], 0.5)
        ratio = p95 / beat if beat else float("inf")
        flag = " OVER" if name != HEARTBEAT and ratio > BOUND else ""
        over += bool(flag)
        print(
            f"{name[:44]:<44} {status:>6} {size / 1024:>6.1f} {statistics.median(values):>7.2f} "
            f"{p95:>7.2f} {ratio:>7.2f} {cpu50:>8.2f} {cpu50 / beat_cpu:>7.2f}{flag}"
        )
    print(
        f"\nheartbeat p95 {beat:.2f} ms (CPU p50 {beat_cpu:.2f} ms); {over} page(s) over {BOUND}x"
    )
    return over


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a kept SQLite data set")
    parser.add_argument("--rounds", type=int, default=40, help="measured rounds")
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    parser.add_argument("--seed", type=int, default=20, help="the shuffling's seed")
    parser.add_argument(
        "--all", action="store_true", help="every bounded question, not only the UI pages"
    )
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: no such data set (seed one: broker_scale --keep DIR)")
    url = f"sqlite:///{args.data}"
    # read as kept: no migration here (other runs own the file's schema)
    print(f"{args.data}, scale {scale_of(args.data)}, {args.rounds} rounds")
    only = [part.strip() for part in args.only.split(",") if part.strip()]
    asked = chosen(Shape.at(scale_of(args.data)), only, every=args.all)
    samples, cpu, answers = asyncio.run(measure(url, asked, args.rounds, args.seed))
    report(samples, cpu, answers)


if __name__ == "__main__":
    main()
