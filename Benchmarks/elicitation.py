#!/usr/bin/env python3
"""Elicitation against the truth: for every two-party folder of ../shared/domains and each party
in turn, `shuttle elicit simulate` with the engine's questions, random questions of the same kinds,
and ANAC 2019's ranking of random packages, in the same run, each with three seeds (one seed's
medians move by up to 0.015, so one is too few to call a difference). Prints the medians of Kendall's tau
after 10, 20, 30 and 40 questions, and the share of runs whose Nash point (found with the fitted
preferences, and the reservation stated over packages as the service asks for it) is within
0.02 of the true one in true utilities after 40; and, for spaces of up to 2,000 packages, the same
share when every package's order is known: the most any answers to these questions can give.

Usage: swift build -c release --product shuttle && Benchmarks/elicitation.py [--questions 40] [--domains DIR]
"""
import argparse
import concurrent.futures
import glob
import json
import math
import os
import re
import statistics
import subprocess
import xml.etree.ElementTree as ElementTree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METHODS = ["engine", "random", "ranking"]


def profiles(folder):
    """The folder's profiles (root <utility_space>), sorted by name, when it has exactly two."""
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "*.xml"))):
        try:
            if ElementTree.parse(path).getroot().tag == "utility_space":
                found.append(os.path.splitext(os.path.basename(path))[0])
        except ElementTree.ParseError:
            pass
    return found if len(found) == 2 else []


def run_simulation(binary, scenario, party, method, seed, questions, *extra, timeout=None):
    """`shuttle elicit simulate` once. Deterministic hashing: the same dictionary order, hence the
    same sums, in every run."""
    command = [binary, "elicit", "simulate", scenario, "--party", party, "--questions", str(questions),
               "--method", method, "--seed", str(seed), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SWIFT_DETERMINISTIC_HASHING": "1"})


def taus_by_question(output):
    """Kendall's tau after each question, as `elicit simulate` prints it."""
    return {int(m.group(1)): float(m.group(2)) for m in re.finditer(r"question (\d+): tau (-?[\d.]+)", output)}


def simulate(binary, folder, party, method, seed, questions, timeout):
    try:
        run = run_simulation(binary, folder, party, method, seed, questions,
                             *(["--ceiling"] if method == "engine" else []), timeout=timeout)
    except subprocess.TimeoutExpired:
        return folder, party, method, seed, None, [f"stopped after {timeout} s"]
    if run.returncode != 0:
        return folder, party, method, seed, None, run.stderr.strip().splitlines()[-1:] or ["failed"]
    nash = re.search(r"nash distance ([\d.]+)", run.stdout)
    ceiling = re.search(r"nash distance with every order known ([\d.]+)", run.stdout)
    return folder, party, method, seed, (taus_by_question(run.stdout), float(nash.group(1)) if nash else None,
                                   float(ceiling.group(1)) if ceiling else None), None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--domains", default=os.path.join(ROOT, "..", "shared", "domains"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "shuttle"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=600, help="seconds before one run is stopped")
    parser.add_argument("--methods", default=",".join(METHODS), help="a comma-separated subset, for a quick look")
    parser.add_argument("--seeds", type=int, default=3,
                        help="runs per party, seeds 1 to N: one seed's medians move by up to 0.015")
    parser.add_argument("--save", help="also write every run's tau by question to this JSON file")
    arguments = parser.parse_args()
    methods = arguments.methods.split(",")
    runs = [(folder, party, method, seed) for folder in sorted(glob.glob(os.path.join(arguments.domains, "*/")))
            for party in profiles(folder) for method in methods for seed in range(1, arguments.seeds + 1)]
    results = {method: [] for method in methods}
    with concurrent.futures.ThreadPoolExecutor(arguments.jobs) as pool:
        for folder, party, method, seed, result, error in pool.map(lambda r: simulate(arguments.binary, *r, arguments.questions, arguments.timeout), runs):
            name = os.path.basename(os.path.normpath(folder))
            if error:
                if seed == 1:
                    print(f"skipped {name} {party} {method}: {error[0]}")
                continue
            results[method].append((name, f"{party} seed {seed}", *result))
    if arguments.save:
        with open(arguments.save, "w") as file:
            json.dump({m: {f"{r[0]} {r[1]}": {"tau": r[2], "nash": r[3]} for r in rows} for m, rows in results.items()},
                      file, indent=1)
    checkpoints = [q for q in (10, 20, 30, 40) if q <= arguments.questions]
    print(f"\n{len(results['engine'])} runs per method (two-party folders, each party in turn, "
          f"{arguments.seeds} seeds each)")
    print("method   " + "  ".join(f"tau@{q:<3}" for q in checkpoints) + "  nash<=0.02@" + str(arguments.questions))
    for method in methods:
        rows = results[method]
        medians = [statistics.median(r[2].get(q, float("nan")) for r in rows) for q in checkpoints]
        near = [r[3] for r in rows if r[3] is not None]
        share = sum(d <= 0.02 for d in near) / len(near) if near else float("nan")
        print(f"{method:8} " + "  ".join(f"{m:7.3f}" for m in medians) + f"  {share:6.0%} of {len(near)}")
    if "ranking" in methods:
        # A ranking of m packages takes at least log2(m!) two-way answers to find out (each halves
        # the orders still possible), so a ranking of q packages is worth far more than q
        # comparisons: log2(40!) = 159. The row below is the ranking q comparisons could buy.
        sizes = {q: max(m for m in range(1, q + 1) if math.lgamma(m + 1) / math.log(2) <= q) for q in checkpoints}
        medians = [statistics.median(r[2].get(sizes[q], float("nan")) for r in results["ranking"]) for q in checkpoints]
        print("ranking of as many packages as that many comparisons can sort (" +
              ", ".join(f"{sizes[q]} for {q}" for q in checkpoints) + "):")
        print(f"{'ranking=':8} " + "  ".join(f"{m:7.3f}" for m in medians))
    ceilings = [r[4] for r in results.get("engine", []) if r[4] is not None]
    if ceilings:
        share = sum(d <= 0.02 for d in ceilings) / len(ceilings)
        print(f"every order known (ceiling): nash<=0.02 in {share:.0%} of {len(ceilings)} runs with up to 2,000 packages")
    engine = {(r[0], r[1]): r[2] for r in results["engine"]}
    for other in [m for m in ["random", "ranking"] if m in methods]:
        for q in checkpoints:
            pairs = [(engine[(r[0], r[1])].get(q), r[2].get(q)) for r in results[other] if (r[0], r[1]) in engine]
            wins = sum(a > b for a, b in pairs if a is not None and b is not None)
            print(f"engine beats {other} at {q} questions in {wins} of {len(pairs)} runs")


if __name__ == "__main__":
    main()
