#!/usr/bin/env python3
"""Tournament speed, Shuttle against NegMAS 0.16, side by side in one run.

The tournament: boulware, linear and conceder (NegMAS's BoulwareTBNegotiator,
LinearTBNegotiator, ConcederTBNegotiator; Shuttle's namesakes), every ordered pair including
self-play, 100-step SAO negotiations, on the two-party GENIUS scenarios of ../shared/domains
with at most --max-outcomes outcomes (the scenarios scripts/compare_negotiations.py checks).

- NegMAS: a plain loop creating and running one SAOMechanism per negotiation, in this process
  (no tournament machinery, so the figure favours NegMAS); scenario loading excluded.
- Shuttle: `shuttle tournament ... --self-play --steps 100 --reading negmas --jobs J`; the time is
  the tournament's own (tournament.json "seconds": ranking the outcomes, the frontier and Nash
  for the scores, every negotiation; file loading and process start excluded). Shuttle repeats
  the tournament --shuttle-repetitions times inside one run so that the time is measurable;
  its negotiators are deterministic, so every repetition is a full negotiation again.

Runs alternate NegMAS, Shuttle --jobs 1, Shuttle --jobs N (every core); medians of --runs runs.

Usage: scripts/setup-negmas.sh && swift build -c release && .venv-negmas/bin/python Benchmarks/negotiation_benchmark.py
"""
import argparse
import glob
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))
NAMES = ["boulware", "linear", "conceder"]


def scenarios(max_outcomes):
    from negmas.inout import Scenario
    chosen = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "domains", "*", ""))):
        folder = folder.rstrip("/")
        try:
            scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
        except Exception:
            continue
        if scenario is None or len(scenario.ufuns) != 2:
            continue
        if not all(issue.is_finite() for issue in scenario.outcome_space.issues):
            continue
        if scenario.outcome_space.cardinality > max_outcomes:
            continue
        chosen.append((folder, scenario))
    return chosen


def negmas_tournament(chosen, steps):
    from negmas.sao import SAOMechanism
    from negmas.gb.negotiators.timebased import (
        BoulwareTBNegotiator, LinearTBNegotiator, ConcederTBNegotiator)
    kinds = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator, "conceder": ConcederTBNegotiator}
    count = 0
    started = time.perf_counter()
    for _, scenario in chosen:
        for first in NAMES:
            for second in NAMES:
                mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=steps)
                mechanism.add(kinds[first](), ufun=scenario.ufuns[0])
                mechanism.add(kinds[second](), ufun=scenario.ufuns[1])
                mechanism.run()
                count += 1
    return count, time.perf_counter() - started


def shuttle_tournament(chosen, steps, repetitions, jobs):
    with tempfile.TemporaryDirectory() as out:
        command = [SHUTTLE, "tournament", *[folder for folder, _ in chosen], "--negotiators", ",".join(NAMES),
                   "--self-play", "--steps", str(steps), "--reading", "negmas", "--repetitions", str(repetitions),
                   "--jobs", str(jobs), "--out", out]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"shuttle tournament failed: {result.stderr}")
        with open(os.path.join(out, "tournament.json")) as handle:
            summary = json.load(handle)
        return summary["negotiations"], summary["seconds"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--shuttle-repetitions", type=int, default=20)
    parser.add_argument("--max-outcomes", type=int, default=400_000)
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore")
    import negmas
    cores = os.cpu_count() or 1
    chosen = scenarios(arguments.max_outcomes)
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, NegMAS {negmas.__version__}")
    print(f"scenarios: {len(chosen)} two-party ANAC/GENIUS folders; pairs: {len(NAMES) ** 2}; steps: {arguments.steps}")
    rates = {"negmas": [], "shuttle-1": [], f"shuttle-{cores}": []}
    for run in range(arguments.runs):
        count, seconds = negmas_tournament(chosen, arguments.steps)
        rates["negmas"].append(count / seconds)
        for jobs in (1, cores):
            count, seconds = shuttle_tournament(chosen, arguments.steps, arguments.shuttle_repetitions, jobs)
            rates[f"shuttle-{jobs}"].append(count / seconds)
        print(f"run {run + 1}: " + ", ".join(f"{name} {values[-1]:,.0f}/s" for name, values in rates.items()))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print("\nmedian negotiations per second")
    for name, value in medians.items():
        print(f"  {name:12} {value:12,.1f}")
    print(f"Shuttle on one core / NegMAS:      {medians['shuttle-1'] / medians['negmas']:,.0f}x")
    print(f"Shuttle on {cores} cores / NegMAS:      {medians[f'shuttle-{cores}'] / medians['negmas']:,.0f}x")
    print(f"Shuttle {cores} cores / 1 core:          {medians[f'shuttle-{cores}'] / medians['shuttle-1']:.2f}x")
    # Each run's own ratio (its two Shuttle runs are back to back): the spread the machine adds.
    ratios = [many / one for many, one in zip(rates[f"shuttle-{cores}"], rates["shuttle-1"])]
    print(f"  per run: {', '.join(f'{r:.2f}' for r in ratios)} (from {min(ratios):.2f} to {max(ratios):.2f})")


if __name__ == "__main__":
    main()
