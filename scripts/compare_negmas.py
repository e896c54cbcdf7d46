#!/usr/bin/env python3
"""Compare Shuttle's analysis with NegMAS 0.16 on GENIUS folders.

For every folder: the outcome count, the Pareto frontier as a set of utility vectors and the
Nash point's utilities must agree to 1e-9 between NegMAS (Scenario.from_genius_folder,
pareto_frontier, nash_points) and `shuttle analyze --reading negmas --json`. Also checks, with
the default GENIUS reading, that Shuttle's frontier equals GENIUS's own precomputed pareto.xml
where a folder ships one (to the 1e-6 of GENIUS's float output).

Usage:
  scripts/setup-negmas.sh                      # once: NegMAS into .venv-negmas
  swift build -c release
  .venv-negmas/bin/python scripts/compare_negmas.py [FOLDER ...]   (default: ../shared/domains/*)

Exit status 0 when every comparable folder agrees, 1 otherwise.
"""
import glob
import json
import math
import os
import subprocess
import sys
import time

TOLERANCE = 1e-9
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))


def shuttle(folder, *extra):
    started = time.perf_counter()
    result = subprocess.run([SHUTTLE, "analyze", folder, "--json", *extra], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return json.loads(result.stdout), elapsed


def negmas_analysis(folder):
    from negmas.inout import Scenario
    from negmas.preferences import pareto_frontier, nash_points

    started = time.perf_counter()
    scenario = Scenario.from_genius_folder(folder)
    if scenario is None:
        return None
    ufuns = scenario.ufuns
    issues = scenario.outcome_space.issues
    if not all(issue.is_finite() for issue in issues):
        return None
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    nash = nash_points(ufuns, frontier, outcome_space=scenario.outcome_space)
    elapsed = time.perf_counter() - started
    return {
        "outcomes": scenario.outcome_space.cardinality,
        "frontier": [tuple(float(u) for u in point) for point in frontier],
        "nash": [tuple(float(u) for u in point) for point, _ in nash],
        "seconds": elapsed,
    }


def same_vector(a, b, tolerance):
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b))


def same_set(ours, theirs, tolerance):
    """Every vector of each side has a partner within tolerance on the other side."""
    unmatched_ours = [v for v in ours if not any(same_vector(v, w, tolerance) for w in theirs)]
    unmatched_theirs = [w for w in theirs if not any(same_vector(v, w, tolerance) for v in ours)]
    return unmatched_ours, unmatched_theirs


def compare_analyses(ours, theirs, problems):
    """Outcome count, frontier (as sets of vectors) and Nash of `shuttle analyze --json` against
    NegMAS's; appends what differs to `problems`; returns our frontier vectors and whether Nash agrees."""
    if int(ours["outcomes"]) != int(theirs["outcomes"]):
        problems.append(f"outcomes {ours['outcomes']} vs {theirs['outcomes']}")
    vectors = [tuple(p["utilities"]) for p in ours["pareto"]]
    a, b = same_set(vectors, theirs["frontier"], TOLERANCE)
    if a or b:
        problems.append(f"frontier: {len(a)} of ours unmatched, {len(b)} of NegMAS's unmatched")
    if theirs["nash"]:
        nash_ok = ours["nash"] is not None and any(same_vector(ours["nash"]["utilities"], n, TOLERANCE) for n in theirs["nash"])
    else:
        nash_ok = ours["nash"] is None
    if not nash_ok:
        problems.append(f"nash {ours['nash'] and ours['nash']['utilities']} vs {theirs['nash']}")
    return vectors, nash_ok


def geniuspareto(folder):
    path = os.path.join(folder, "pareto.xml")
    if not os.path.exists(path):
        return None
    points = []
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line:
                points.append(tuple(float(x) for x in line.split(",")))
    return points


def folders_to_compare():
    """The folders named on the command line, or every folder of ../shared/domains."""
    folders = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "..", "shared", "domains", "*", "")))
    return [f for f in folders if os.path.isdir(f)]


def main():
    folders = folders_to_compare()
    if not folders:
        print("no folders to compare (pass them, or put ../shared/domains beside the clone)")
        return 1
    failures = 0
    compared = 0
    print(f"{'folder':32} {'outcomes':>14} {'frontier':>9} {'nash':>5} {'NegMAS s':>9} {'Shuttle s':>10}  result")
    for folder in folders:
        name = os.path.basename(os.path.normpath(folder))
        genius = geniuspareto(folder)
        if genius is not None:
            ours, seconds = shuttle(folder)
            vectors = [tuple(p["utilities"]) for p in ours["pareto"]]
            a, b = same_set(vectors, genius, 1e-6)
            ok = not a and not b
            failures += 0 if ok else 1
            print(f"{name:32} {ours['outcomes']:>14} {len(vectors):>9} {'':>5} {'':>9} {seconds:>10.3f}  "
                  f"{'agrees with GENIUS pareto.xml' if ok else f'DIFFERS from pareto.xml: ours {a}, theirs {b}'}")
            continue
        try:
            theirs = negmas_analysis(folder)
        except Exception as error:  # NegMAS cannot load some folders; say so and go on
            print(f"{name:32} NegMAS cannot load it: {type(error).__name__}: {error}")
            continue
        if theirs is None:
            print(f"{name:32} NegMAS cannot analyse it (continuous issue)")
            continue
        ours, seconds = shuttle(folder, "--reading", "negmas")
        compared += 1
        problems = []
        vectors, nash_ok = compare_analyses(ours, theirs, problems)
        failures += 1 if problems else 0
        print(f"{name:32} {ours['outcomes']:>14} {len(vectors):>9} {'ok' if nash_ok else 'NO':>5} "
              f"{theirs['seconds']:>9.3f} {seconds:>10.3f}  {'agrees' if not problems else '; '.join(problems)}")
    print(f"\n{compared} folders compared with NegMAS; {failures} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
