"""The tables the benchmark prints: per database and question, p50/p95 at each scale, the
growth of p95 from the smallest to the largest scale, p95 over the heartbeat's p95 at full
size, and which of the issue's two bounds each question violates. The whole lists (unpaged
answers that list a history, flagged in the catalogue) get a section of their own, bounded by
their cost per listed item."""

from typing import Any

from benchmarks.broker_scale.catalogue import HEARTBEAT, questions_for
from benchmarks.broker_scale.plans import full_scans
from benchmarks.broker_scale.question import WholeList
from benchmarks.broker_scale.run import Outcome
from benchmarks.broker_scale.shape import Shape

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


def _whole_lists(scale: float) -> dict[str, WholeList]:
    """The catalogue's whole lists at ``scale``, by question name."""
    return {q.name: q.whole_list for q in questions_for(Shape.at(scale)) if q.whole_list}


def verdict_rows(
    report: dict[str, Outcome], databases: list[str], small: float, large: float
) -> list[dict[str, Any]]:
    """One row per database and question: its percentiles at both scales, its growth and ratio
    to the heartbeat, and the bounds it violates. A whole list (an unpaged answer listing a
    history, ``whole_lists.py``) is bounded by its p95 per listed item instead: the growth of
    that from the small scale to the large must stay within ``GROWTH_BOUND``. Its ``marginal``
    cost, what each item listed at the large scale but not the small added to p95, is shown
    beside it: the fixed cost of an answer makes the short list's cost per item look higher."""
    listed_small, listed_large = _whole_lists(small), _whole_lists(large)
    rows = []
    for database in databases:
        a = report[f"{database} x{small}"]
        b = report[f"{database} x{large}"]
        heartbeat = b.results[HEARTBEAT]["p95"]
        for name, full in b.results.items():
            tenth = a.results[name]
            growth = full["p95"] / tenth["p95"] if tenth["p95"] else float("nan")
            over = full["p95"] / heartbeat if heartbeat else float("nan")
            row: dict[str, Any] = {
                "database": database,
                "question": name,
                "route": b.routes.get(name, ""),
                "small": tenth,
                "large": full,
                "growth": growth,
                "over_heartbeat": over,
                "whole_list": name in listed_large,
            }
            flags = ["ERROR"] if name in a.errors or name in b.errors else []
            if row["whole_list"]:
                items = (listed_small[name].items, listed_large[name].items)
                per_item = (tenth["p95"] / max(1, items[0]), full["p95"] / max(1, items[1]))
                row["items"], row["per_item"] = items, per_item
                row["per_item_growth"] = per_item[1] / per_item[0] if per_item[0] else float("nan")
                added = items[1] - items[0]
                row["marginal"] = (full["p95"] - tenth["p95"]) / added if added else float("nan")
                if row["per_item_growth"] > GROWTH_BOUND:
                    flags.append("PER-ITEM GROWTH")
            else:
                if name != HEARTBEAT and growth > GROWTH_BOUND:
                    flags.append("GROWTH")
                if name != HEARTBEAT and over > HEARTBEAT_BOUND:
                    flags.append("HEARTBEAT")
            row["flags"] = flags
            rows.append(row)
    return rows


def print_verdict(report: dict[str, Outcome], databases: list[str], scales: list[float]) -> None:
    if len(scales) < 2:
        return
    small, large = min(scales), max(scales)
    rows = verdict_rows(report, databases, small, large)
    bounded = [row for row in rows if not row["whole_list"]]
    print(
        f"\nbounds: p95 x{large} / p95 x{small} <= {GROWTH_BOUND}, "
        f"p95 x{large} / heartbeat p95 <= {HEARTBEAT_BOUND}"
    )
    header = (
        f"{'database':9} {'question':52} {'p50 s':>7} {'p95 s':>7} {'p50 L':>7} {'p95 L':>7} "
        f"{'growth':>6} {'/hb':>6} {'n':>3}  violated"
    )
    print(header)
    for row in bounded:
        s, big = row["small"], row["large"]
        print(
            f"{row['database']:9} {row['question']:52} {s['p50']:7.1f} {s['p95']:7.1f} "
            f"{big['p50']:7.1f} {big['p95']:7.1f} {row['growth']:6.2f} "
            f"{row['over_heartbeat']:6.1f} {big['n']:3.0f}  {' '.join(row['flags'])}"
        )
    print_whole_lists([row for row in rows if row["whole_list"]], small, large)
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
    for row in bounded:
        s, big = row["small"], row["large"]
        print(
            f"| {row['database']} | {row['question']} | `{row['route']}` | {s['p50']:.1f} | "
            f"{s['p95']:.1f} | {big['p50']:.1f} | {big['p95']:.1f} | {row['growth']:.2f} | "
            f"{row['over_heartbeat']:.1f} | {big['n']:.0f} | {', '.join(row['flags'])} |"
        )
    print_whole_lists_markdown([row for row in rows if row["whole_list"]])
    print_violators(violators)


def print_whole_lists(rows: list[dict[str, Any]], small: float, large: float) -> None:
    """The whole lists, bounded by cost per item (their time grows with the list by design)."""
    if not rows:
        return
    print(
        f"\nwhole lists (unpaged answers listing a history): ms per item (p95 / items), "
        f"x{large} / x{small} <= {GROWTH_BOUND}; marginal = ms per item added between them"
    )
    print(
        f"{'database':9} {'question':52} {'items s':>7} {'items L':>7} {'p95 s':>7} "
        f"{'p95 L':>8} {'ms/it s':>8} {'ms/it L':>8} {'growth':>6} {'marginal':>8}  violated"
    )
    for row in rows:
        (items_s, items_l), (per_s, per_l) = row["items"], row["per_item"]
        print(
            f"{row['database']:9} {row['question']:52} {items_s:7d} {items_l:7d} "
            f"{row['small']['p95']:7.1f} {row['large']['p95']:8.1f} {per_s:8.3f} {per_l:8.3f} "
            f"{row['per_item_growth']:6.2f} {row['marginal']:8.3f}  {' '.join(row['flags'])}"
        )


def print_whole_lists_markdown(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    print("\nmarkdown, whole lists (cost per item):")
    print(
        "| database | question | route | items 10 % | items 100 % | p95 10 % | p95 100 % "
        "| ms/item 10 % | ms/item 100 % | growth per item | marginal ms/item | over |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        (items_s, items_l), (per_s, per_l) = row["items"], row["per_item"]
        print(
            f"| {row['database']} | {row['question']} | `{row['route']}` | {items_s} | "
            f"{items_l} | {row['small']['p95']:.1f} | {row['large']['p95']:.1f} | "
            f"{per_s:.3f} | {per_l:.3f} | {row['per_item_growth']:.2f} | "
            f"{row['marginal']:.3f} | {', '.join(row['flags'])} |"
        )


def _badness(row: dict[str, Any]) -> float:
    """How far over its worse bound a row is (1.0 = at the bound; errors first)."""
    if "ERROR" in row["flags"]:
        return float("inf")
    if row["whole_list"]:
        return float(row["per_item_growth"]) / GROWTH_BOUND
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
