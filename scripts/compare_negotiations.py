#!/usr/bin/env python3
"""Run NegMAS's time-based aspiration negotiators and Shuttle's on the same GENIUS scenarios and
deadline, and compare the agreements.

For every folder (two parties, finite, at most --max-outcomes outcomes) and every ordered pair of
boulware / linear / conceder (NegMAS 0.16's BoulwareTBNegotiator, LinearTBNegotiator,
ConcederTBNegotiator: exponents 4, 1, 0.25, stochastic=False), one SAO negotiation with
n_steps = --steps in NegMAS and the same pairing in `shuttle tournament --reading negmas`.
A pair matches when both end in the same outcome, or both agree on outcomes whose utilities
agree to 1e-6 for both parties, or both end without agreement, and in the same step.

NegMAS is run twice: as shipped, and with numpy's argsort made stable. NegMAS's presorted
inverter sorts outcomes with numpy's default (unstable, SIMD) argsort, so among outcomes of
exactly equal utility the one it offers depends on the CPU; Shuttle breaks such ties by the
space's order, which is what a stable sort gives. Differences that vanish with a stable sort
are tie-breaking, not definitions.

Discounts are ignored on both sides (NegMAS's ignore_discount=True; Shuttle's negotiators
concede on undiscounted utility); agreement utilities below are undiscounted.

Usage:
  scripts/setup-negmas.sh
  swift build -c release
  .venv-negmas/bin/python scripts/compare_negotiations.py [--steps 100] [FOLDER ...]
Exit status 0 when every pair matches the stable-sort NegMAS run, 1 otherwise.
"""
import argparse
import csv
import glob
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))
NAMES = ["boulware", "linear", "conceder"]
TOLERANCE = 1e-6


def negmas_runs(folder, steps):
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism
    from negmas.gb.negotiators.timebased import (
        BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator)

    kinds = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator, "conceder": ConcederTBNegotiator}
    scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
    if scenario is None or len(scenario.ufuns) != 2:
        return None, None
    runs = {}
    for first in NAMES:
        for second in NAMES:
            mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=steps)
            mechanism.add(kinds[first](name=first + "0"), ufun=scenario.ufuns[0])
            mechanism.add(kinds[second](name=second + "1"), ufun=scenario.ufuns[1])
            state = mechanism.run()
            agreement = state.agreement
            utilities = None if agreement is None else [float(u(agreement)) for u in scenario.ufuns]
            runs[(first, second)] = {
                "agreement": None if agreement is None else [str(v) for v in agreement],
                "utilities": utilities,
                "steps": state.step,
            }
    return runs, scenario


def shuttle_runs(folder, steps, scenario):
    with tempfile.TemporaryDirectory() as out:
        command = [SHUTTLE, "tournament", folder, "--negotiators", ",".join(NAMES), "--self-play",
                   "--steps", str(steps), "--reading", "negmas", "--jobs", "1", "--out", out]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        runs = {}
        issues = scenario.outcome_space.issues
        with open(os.path.join(out, "negotiations.csv")) as handle:
            for row in csv.DictReader(handle):
                labels = row["agreement"].split(";") if row["agreement"] else None
                utilities = None
                if labels is not None:
                    outcome = tuple(type_like(issue, label) for issue, label in zip(issues, labels))
                    utilities = [float(u(outcome)) for u in scenario.ufuns]
                runs[(row["first"], row["second"])] = {
                    "agreement": labels, "utilities": utilities, "steps": int(row["steps"])}
        return runs


def type_like(issue, label):
    """The NegMAS value of the issue whose text is `label`."""
    for value in issue.all:
        if str(value) == label:
            return value
    raise ValueError(f"{label!r} is not a value of {issue.name}")


def same(ours, theirs):
    if (ours["agreement"] is None) != (theirs["agreement"] is None):
        return False
    if ours["steps"] != theirs["steps"]:
        return False
    if ours["agreement"] is None or ours["agreement"] == theirs["agreement"]:
        return True
    return all(abs(a - b) <= TOLERANCE for a, b in zip(ours["utilities"], theirs["utilities"]))


def comparable_scenario(folder, max_outcomes):
    """NegMAS's reading of `folder` when it is two-party, finite and at most `max_outcomes`
    outcomes; otherwise None, after printing why it is skipped."""
    from negmas.inout import Scenario
    name = os.path.basename(folder)
    try:
        scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
    except Exception as error:  # NegMAS cannot read some folders; they are reported, not compared
        print(f"{name:28} skipped: NegMAS cannot read it ({type(error).__name__})")
        return None
    if scenario is None or len(scenario.ufuns) != 2:
        print(f"{name:28} skipped: not two parties")
        return None
    if not all(issue.is_finite() for issue in scenario.outcome_space.issues):
        print(f"{name:28} skipped: continuous issues")
        return None
    if scenario.outcome_space.cardinality > max_outcomes:
        print(f"{name:28} skipped: {scenario.outcome_space.cardinality} outcomes > --max-outcomes")
        return None
    return scenario


def make_argsort_stable():
    import numpy
    original = numpy.argsort

    def stable(a, axis=-1, kind=None, order=None, **kwargs):
        return original(a, axis=axis, kind="stable", order=order, **kwargs)

    numpy.argsort = stable


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--max-outcomes", type=int, default=400_000,
                        help="NegMAS switches to an approximate inverter past 10^6; bigger spaces also take long")
    arguments = parser.parse_args()
    folders = arguments.folders or sorted(glob.glob(os.path.join(ROOT, "..", "shared", "domains", "*", "")))
    import warnings
    warnings.filterwarnings("ignore")
    plan = [folder.rstrip("/") for folder in folders if comparable_scenario(folder.rstrip("/"), arguments.max_outcomes)]

    results = {}
    for mode in ("shipped", "stable"):
        if mode == "stable":
            make_argsort_stable()
        for folder in plan:
            started = time.perf_counter()
            theirs, scenario = negmas_runs(folder, arguments.steps)
            results.setdefault(folder, {})[mode] = theirs
            results[folder]["scenario"] = scenario
            results[folder].setdefault("negmas_seconds", 0.0)
            results[folder]["negmas_seconds"] += time.perf_counter() - started

    total = {"pairs": 0, "shipped": 0, "stable": 0}
    print(f"{'folder':28} {'pairs':>5} {'= NegMAS':>9} {'= stable':>9}  differences (pair: Shuttle vs NegMAS as shipped)")
    for folder in plan:
        ours = shuttle_runs(folder, arguments.steps, results[folder]["scenario"])
        counts = {"shipped": 0, "stable": 0}
        notes = []
        for pair in ours:
            for mode in counts:
                if same(ours[pair], results[folder][mode][pair]):
                    counts[mode] += 1
                elif mode == "shipped":
                    theirs = results[folder][mode][pair]
                    def show(run):
                        if run["utilities"] is None:
                            return f"none@{run['steps']}"
                        return f"({run['utilities'][0]:.4f},{run['utilities'][1]:.4f})@{run['steps']}"
                    notes.append(f"{pair[0]}-{pair[1]}: {show(ours[pair])} vs {show(theirs)}")
        total["pairs"] += len(ours)
        total["shipped"] += counts["shipped"]
        total["stable"] += counts["stable"]
        print(f"{os.path.basename(folder):28} {len(ours):5} {counts['shipped']:9} {counts['stable']:9}  {'; '.join(notes[:3])}")
    print(f"{'total':28} {total['pairs']:5} {total['shipped']:9} {total['stable']:9}")
    return 0 if total["stable"] == total["pairs"] else 1


if __name__ == "__main__":
    sys.exit(main())
