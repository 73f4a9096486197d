"""Routing benchmark: jumeau's solver wrapper on standard CVRP and CARP instances.

Usage (from the repository root)::

    python benchmarks/routing.py [FILES or FOLDERS…] [--time-limit S] [--seed N] [--json]

With no path, runs every instance of ``../shared/data/vrp`` and ``../shared/data/carp``.
``.vrp`` files are CVRPLIB instances (best-known value from a ``.sol`` beside them, or
the file's comment); ``.dat`` files are CARPLIB arc-routing instances. Each instance is
solved through :func:`jumeau.waste.solver.solve_routing`, the wrapper the waste kind
uses. Prints cost, best-known value, gap and time per instance, then the mean gap; with
``--json``, one JSON object per line: ``{"instance", "cost", "best_known", "gap_pct",
"time_s"}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "data" / "vrp", ROOT.parent / "shared" / "data" / "carp"]


def instance_files(paths: list[Path]) -> list[Path]:
    """The ``.vrp`` and ``.dat`` files named, or found in the folders named."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(q for q in p.iterdir() if q.suffix.lower() in (".vrp", ".dat"))
        else:
            files.append(p)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="instance files or folders")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)

    from jumeau.errors import JumeauError
    from jumeau.io.routing import read_instance
    from jumeau.waste.solver import solve_routing

    files = instance_files(args.paths or DEFAULT)
    if not files:
        print("no .vrp or .dat instance found", file=sys.stderr)
        return 2
    if not args.json:
        print(f"{'instance':<14} {'kind':<5} {'cost':>9} {'best':>9} {'gap %':>7} {'time s':>7}")
    gaps = []
    for path in files:
        try:
            inst = read_instance(path)
        except JumeauError as err:
            print(err.render("en"), file=sys.stderr)
            return 2
        start = time.perf_counter()
        sol = solve_routing(inst.problem, time_limit_s=args.time_limit, seed=args.seed)
        elapsed = time.perf_counter() - start
        cost = sol.cost if sol.feasible else None
        gap = (None if cost is None or not inst.best_known
               else 100.0 * (cost - inst.best_known) / inst.best_known)
        if gap is not None:
            gaps.append(gap)
        if args.json:
            print(json.dumps({"instance": inst.name, "cost": cost, "best_known": inst.best_known,
                              "gap_pct": None if gap is None else round(gap, 3),
                              "time_s": round(elapsed, 2)}), flush=True)
        else:
            best = "-" if inst.best_known is None else f"{inst.best_known:.0f}"
            print(f"{inst.name:<14} {inst.kind:<5} {cost if cost is not None else 'infeas.':>9} "
                  f"{best:>9} {'-' if gap is None else f'{gap:.2f}':>7} {elapsed:>7.1f}",
                  flush=True)
    if not args.json and gaps:
        print(f"mean gap {sum(gaps) / len(gaps):.2f} % over {len(gaps)} instances "
              f"({args.time_limit:g} s each, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
