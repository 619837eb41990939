"""The tables the benchmark prints: per database and question, p50/p95 at each scale, the
growth of p95 from the smallest to the largest scale, p95 over the heartbeat's p95 at full
size, and which of the issue's two bounds each question violates."""

from typing import Any

from benchmarks.broker_scale.catalogue import HEARTBEAT
from benchmarks.broker_scale.plans import full_scans
from benchmarks.broker_scale.run import Outcome

GROWTH_BOUND = 1.5
"""p95 at full size over p95 at 10 % (issue #20)."""
HEARTBEAT_BOUND = 3.0
"""p95 at full size over the heartbeat's p95 in the same run (issue #20)."""


def print_run(database: str, scale: float, outcome: Outcome) -> None:
    results = outcome.results
    heartbeat = results[HEARTBEAT]["p95"]
    print(f"\n[{database} x{scale}] latency ms (n={results[HEARTBEAT]['n']} each)")
    print(f"{'question':52} {'p50':>7} {'p95':>7} {'p99':>7} {'/hb':>6}")
    for name, r in results.items():
        ratio = r["p95"] / heartbeat if heartbeat else float("nan")
        print(f"{name:52} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {ratio:6.1f}")
    for name, lines in outcome.plans.items():
        print(f"\n--- {name} ({outcome.routes.get(name, '')})")
        for statement, ms, plan in lines:
            print(f"  [{ms:.1f} ms] {statement}" if ms else f"  {statement}")
            scans = full_scans(plan)
            if scans:
                print(f"      FULL SCANS OF BIG TABLES: {scans}")
            for line in plan:
                print(f"      {line}")


def verdict_rows(
    report: dict[str, Outcome], databases: list[str], small: float, large: float
) -> list[dict[str, Any]]:
    rows = []
    for database in databases:
        a = report[f"{database} x{small}"]
        b = report[f"{database} x{large}"]
        heartbeat = b.results[HEARTBEAT]["p95"]
        for name, full in b.results.items():
            tenth = a.results[name]
            growth = full["p95"] / tenth["p95"] if tenth["p95"] else float("nan")
            over = full["p95"] / heartbeat if heartbeat else float("nan")
            flags = []
            if name in a.errors or name in b.errors:
                flags.append("ERROR")
            if name != HEARTBEAT and growth > GROWTH_BOUND:
                flags.append("GROWTH")
            if name != HEARTBEAT and over > HEARTBEAT_BOUND:
                flags.append("HEARTBEAT")
            rows.append(
                {
                    "database": database,
                    "question": name,
                    "route": b.routes.get(name, ""),
                    "small": tenth,
                    "large": full,
                    "growth": growth,
                    "over_heartbeat": over,
                    "flags": flags,
                }
            )
    return rows


def print_verdict(report: dict[str, Outcome], databases: list[str], scales: list[float]) -> None:
    if len(scales) < 2:
        return
    small, large = min(scales), max(scales)
    rows = verdict_rows(report, databases, small, large)
    print(
        f"\nbounds: p95 x{large} / p95 x{small} <= {GROWTH_BOUND}, "
        f"p95 x{large} / heartbeat p95 <= {HEARTBEAT_BOUND}"
    )
    header = (
        f"{'database':9} {'question':52} {'p50 s':>7} {'p95 s':>7} {'p50 L':>7} {'p95 L':>7} "
        f"{'growth':>6} {'/hb':>6} {'n':>3}  violated"
    )
    print(header)
    for row in rows:
        s, big = row["small"], row["large"]
        print(
            f"{row['database']:9} {row['question']:52} {s['p50']:7.1f} {s['p95']:7.1f} "
            f"{big['p50']:7.1f} {big['p95']:7.1f} {row['growth']:6.2f} "
            f"{row['over_heartbeat']:6.1f} {big['n']:3.0f}  {' '.join(row['flags'])}"
        )
    violators = [row for row in rows if row["flags"]]
    for database in databases:
        for scale in (small, large):
            for name, error in report[f"{database} x{scale}"].errors.items():
                print(f"ERROR {database} x{scale} {name}: {error}")
    print(f"\n{len(violators)} of {len(rows)} (database, question) over a bound")
    print("\nmarkdown:")
    print(
        "| database | question | route | p50 10 % | p95 10 % | p50 100 % | p95 100 % "
        "| growth | p95 / heartbeat | n | over |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        s, big = row["small"], row["large"]
        print(
            f"| {row['database']} | {row['question']} | `{row['route']}` | {s['p50']:.1f} | "
            f"{s['p95']:.1f} | {big['p50']:.1f} | {big['p95']:.1f} | {row['growth']:.2f} | "
            f"{row['over_heartbeat']:.1f} | {big['n']:.0f} | {', '.join(row['flags'])} |"
        )
    print_violators(violators)


def _badness(row: dict[str, Any]) -> float:
    """How far over its worse bound a row is (1.0 = at the bound; errors first)."""
    if "ERROR" in row["flags"]:
        return float("inf")
    return max(float(row["growth"]) / GROWTH_BOUND, float(row["over_heartbeat"]) / HEARTBEAT_BOUND)


def print_violators(violators: list[dict[str, Any]]) -> None:
    """The rows over a bound, worst first, as Markdown (the list to fix, to paste)."""
    if not violators:
        return
    print("\nmarkdown, over a bound, worst first:")
    print(
        "| database | question | route | p95 10 % | p95 100 % | growth | p95 / heartbeat | over |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in sorted(violators, key=_badness, reverse=True):
        print(
            f"| {row['database']} | {row['question']} | `{row['route']}` | "
            f"{row['small']['p95']:.1f} | {row['large']['p95']:.1f} | {row['growth']:.2f} | "
            f"{row['over_heartbeat']:.1f} | {', '.join(row['flags'])} |"
        )
