#!/usr/bin/env python3
"""Compare Shuttle's reading of GeniusWeb JSON with NegMAS 0.16's, on the same files.

For every GENIUS folder: `shuttle convert --to geniusweb` writes it as GeniusWeb JSON; NegMAS
reads that folder (Scenario.from_geniusweb_folder) and finds the Pareto frontier and Nash point;
`shuttle analyze FOLDER --reading negmas --json` reads the same folder. The outcome count, the
frontier as a set of utility vectors, the reservation values and the Nash point must agree to 1e-9.

NegMAS 0.16 reads only the older GeniusWeb keys (`discreteutils`) and only lists of values (no
`range`, no `numberutils`), so the files are written with the current keys, Shuttle reads them as
written, and NegMAS reads a copy with the older key: the comparison also checks that Shuttle gives
both key generations one meaning. Folders with number ranges, continuous issues or nonlinear
profiles are skipped with the reason.

Usage:
  scripts/setup-negmas.sh && swift build -c release
  .venv-negmas/bin/python scripts/compare_geniusweb.py [FOLDER ...]   (default: ../shared/domains/*)

Exit status 0 when every comparable folder agrees, 1 otherwise.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_negmas import SHUTTLE, TOLERANCE, compare_analyses, folders_to_compare, same_vector, shuttle  # noqa: E402


def convert(folder, target):
    result = subprocess.run([SHUTTLE, "convert", folder, "--to", "geniusweb", "--output", target], capture_output=True, text=True)
    if result.returncode != 0:
        return result.stderr.strip().splitlines()[-1]
    return None


def older_keys_copy(folder, target):
    """The folder again, with `DiscreteValueSetUtilities` written as the older `discreteutils`."""
    os.makedirs(target)
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), encoding="utf-8") as source:
            text = source.read()
        with open(os.path.join(target, name), "w", encoding="utf-8") as copy:
            copy.write(text.replace('"DiscreteValueSetUtilities"', '"discreteutils"'))


def negmas_analysis(folder):
    from negmas.inout import Scenario
    from negmas.preferences import nash_points, pareto_frontier

    started = time.perf_counter()
    scenario = Scenario.from_geniusweb_folder(folder)
    ufuns = scenario.ufuns
    for ufun in ufuns:
        # Without a reservation bid NegMAS leaves the reserved value None, which empties its
        # frontier; Shuttle (and the ANL's scoring) count no agreement as 0.
        if ufun.reserved_value is None:
            ufun.reserved_value = 0.0
    frontier, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
    nash = nash_points(ufuns, frontier, outcome_space=scenario.outcome_space)
    return {
        "outcomes": scenario.outcome_space.cardinality,
        "reservation": [float(u.reserved_value) for u in ufuns],
        "frontier": [tuple(float(u) for u in point) for point in frontier],
        "nash": [tuple(float(u) for u in point) for point, _ in nash],
        "seconds": time.perf_counter() - started,
    }


def compare(name, written, older):
    theirs = negmas_analysis(older)
    ours, seconds = shuttle(written, "--reading", "negmas")
    again, _ = shuttle(older, "--reading", "negmas")
    problems = []
    if again["pareto"] != ours["pareto"] or again["reservation"] != ours["reservation"]:
        problems.append("Shuttle reads the two key generations differently")
    if not same_vector(ours["reservation"], theirs["reservation"], TOLERANCE):
        problems.append(f"reservation {ours['reservation']} vs {theirs['reservation']}")
    vectors, nash_ok = compare_analyses(ours, theirs, problems)
    print(f"{name:32} {ours['outcomes']:>10} {len(ours['reservation']):>7} {len(vectors):>9} {'ok' if nash_ok else 'NO':>5} "
          f"{theirs['seconds']:>9.3f} {seconds:>10.3f}  {'agrees' if not problems else '; '.join(problems)}")
    return not problems


def main():
    folders = folders_to_compare()
    if not folders:
        print("no folders to compare (pass them, or put ../shared/domains beside the clone)")
        return 1
    work = tempfile.mkdtemp(prefix="shuttle-geniusweb-")
    compared = failures = 0
    print(f"{'folder':32} {'outcomes':>10} {'parties':>7} {'frontier':>9} {'nash':>5} {'NegMAS s':>9} {'Shuttle s':>10}  result")
    try:
        for folder in folders:
            name = os.path.basename(os.path.normpath(folder))
            written = os.path.join(work, name)
            refused = convert(folder, written)
            if refused:
                print(f"{name:32} skipped: GeniusWeb cannot hold it ({refused})")
                continue
            ranges = any('"range"' in open(os.path.join(written, f), encoding="utf-8").read() for f in os.listdir(written))
            if ranges:
                print(f"{name:32} skipped: number ranges, which NegMAS 0.16's GeniusWeb reader does not read")
                continue
            older = written + "-older"
            older_keys_copy(written, older)
            compared += 1
            failures += 0 if compare(name, written, older) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{compared} folders compared with NegMAS; {failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
