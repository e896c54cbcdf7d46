#!/usr/bin/env python3
"""Seat NegMAS negotiators in Shuttle through the Python adapter and compare with NegMAS's own
SAOMechanism running the same negotiators on the same files.

For every two-party finite folder (at most --max-outcomes outcomes) and every ordered pair of the
negotiators below, one SAO negotiation with n_steps = --steps in NegMAS (Scenario.from_genius_folder,
ignore_discount=True) and the same pairing in `shuttle tournament --reading negmas` with every
seat `python:MODULE:CLASS` (the adapter, python/shuttle_agents/negmas_adapter.py). A pair matches
when both end in the same outcome at the same step, or both end without agreement at the same step.

A negotiator that uses randomness is not deterministic, so it cannot be compared run for run:
NegMAS runs every pair twice with different seeds, and pairs whose two NegMAS runs differ are
reported as such and left out of the count.

Usage:
  scripts/setup-negmas.sh && .venv-negmas/bin/pip install ./python negmas-genius-agents==0.3.0
  swift build -c release --product shuttle
  .venv-negmas/bin/python scripts/compare_python_agents.py [--steps 100] [FOLDER ...]
Exit status 0 when every deterministic pair matches, 1 otherwise.
"""
import argparse
import copy
import csv
import glob
import importlib
import os
import random
import subprocess
import sys
import tempfile
import warnings

from compare_negotiations import comparable_scenario  # the same folders, skipped for the same reasons

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))
NEGOTIATORS = [
    "negmas.sao:AspirationNegotiator",
    "negmas.sao:NaiveTitForTatNegotiator",
    "negmas.gb.negotiators.timebased:LinearTBNegotiator",
    "negmas_genius_agents:HardHeaded",
    "negmas_genius_agents:TimeDependentAgentConceder",
]


def load(spec):
    module, _, name = spec.rpartition(":")
    return getattr(importlib.import_module(module), name)


def negmas_run(scenario, first, second, steps, seed):
    from negmas.sao import SAOMechanism
    import numpy
    random.seed(seed)
    numpy.random.seed(seed)
    # A fresh copy each time: some negotiators (NaiveTitForTat) leave state on the utility
    # functions they were given, which would carry over into the next negotiation.
    scenario = copy.deepcopy(scenario)
    mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=steps)
    mechanism.add(load(first)(name="seat0"), ufun=scenario.ufuns[0])
    mechanism.add(load(second)(name="seat1"), ufun=scenario.ufuns[1])
    state = mechanism.run()
    agreement = None if state.agreement is None else [str(v) for v in state.agreement]
    return {"agreement": agreement, "steps": state.step}


def shuttle_runs(folder, steps):
    names = ",".join("python:" + spec for spec in NEGOTIATORS)
    environment = dict(os.environ, SHUTTLE_PYTHON=sys.executable)
    with tempfile.TemporaryDirectory() as out:
        command = [SHUTTLE, "tournament", folder, "--negotiators", names, "--self-play", "--steps", str(steps),
                   "--reading", "negmas", "--jobs", "1", "--agent-timeout", "60", "--out", out]
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip())
        runs = {}
        with open(os.path.join(out, "negotiations.csv")) as handle:
            for row in csv.DictReader(handle):
                pair = (row["first"].removeprefix("python:"), row["second"].removeprefix("python:"))
                runs[pair] = {"agreement": row["agreement"].split(";") if row["agreement"] else None,
                              "steps": int(row["steps"]), "ending": row["ending"]}
        return runs


def show(run):
    return f"{';'.join(run['agreement']) if run['agreement'] else 'none'}@{run['steps']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--max-outcomes", type=int, default=100_000)
    arguments = parser.parse_args()
    folders = arguments.folders or sorted(glob.glob(os.path.join(ROOT, "..", "shared", "domains", "*", "")))
    warnings.filterwarnings("ignore")

    short = {spec: spec.rpartition(":")[2] for spec in NEGOTIATORS}
    print("negotiators: " + ", ".join(NEGOTIATORS))
    print(f"{'folder':28} {'pairs':>5} {'random':>6} {'same':>5}  differences (pair: Shuttle vs NegMAS)")
    total = {"pairs": 0, "random": 0, "same": 0}
    for folder in folders:
        folder = folder.rstrip("/")
        name = os.path.basename(folder)
        scenario = comparable_scenario(folder, arguments.max_outcomes)
        if scenario is None:
            continue
        ours = shuttle_runs(folder, arguments.steps)
        counts = {"pairs": 0, "random": 0, "same": 0}
        notes = []
        for first in NEGOTIATORS:
            for second in NEGOTIATORS:
                counts["pairs"] += 1
                theirs = negmas_run(scenario, first, second, arguments.steps, seed=1)
                again = negmas_run(scenario, first, second, arguments.steps, seed=2)
                if theirs != again:
                    counts["random"] += 1
                    continue
                mine = ours[(first, second)]
                if mine["agreement"] == theirs["agreement"] and mine["steps"] == theirs["steps"]:
                    counts["same"] += 1
                else:
                    notes.append(f"{short[first]}-{short[second]}: {show(mine)} vs {show(theirs)}"
                                 + (f" ({mine['ending']})" if "failed" in mine["ending"] else ""))
        for key in total:
            total[key] += counts[key]
        print(f"{name:28} {counts['pairs']:5} {counts['random']:6} {counts['same']:5}  {'; '.join(notes[:2])}", flush=True)
    print(f"{'total':28} {total['pairs']:5} {total['random']:6} {total['same']:5}")
    return 0 if total["same"] == total["pairs"] - total["random"] else 1


if __name__ == "__main__":
    sys.exit(main())
