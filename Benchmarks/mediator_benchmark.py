#!/usr/bin/env python3
"""The informed mediator beside SAO and the relaying mediator, in one run.

On every two-party, finite folder of ../shared/domains up to --max-outcomes, the five built-in
negotiators (boulware, linear, conceder, tit-for-tat, frequency) meet in every ordered pair,
--repetitions times, 100 steps, under three protocols: SAO, the shuttle with its relaying mediator
(`--mediator relay`, the default) and the shuttle with the informed mediator (`--mediator nash`).
Reports, per protocol, the share of negotiations that agree and the mean distance (in utility
space) from the outcome to the Nash point, a disagreement counting from the reservation values.

Usage:
  swift build -c release
  python3 Benchmarks/mediator_benchmark.py [--repetitions 3] [--max-outcomes 400000]
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))
NEGOTIATORS = "boulware,linear,conceder,tit-for-tat,frequency"
RUNS = [("SAO", ["--protocol", "sao"]),
        ("shuttle, relay mediator", ["--protocol", "shuttle"]),
        ("shuttle, informed mediator (--mediator nash)", ["--protocol", "shuttle", "--mediator", "nash"])]


def folders(max_outcomes):
    chosen = []
    for folder in sorted(glob.glob(os.path.join(ROOT, "..", "shared", "domains", "*", ""))):
        result = subprocess.run([SHUTTLE, "analyze", folder, "--json"], capture_output=True, text=True)
        if result.returncode != 0:
            continue  # a continuous issue, or a file Shuttle refuses
        analysis = json.loads(result.stdout)
        if len(analysis["parties"]) == 2 and int(analysis["outcomes"]) <= max_outcomes:
            chosen.append((folder.rstrip("/"), int(analysis["agreementZone"]["outcomes"]) > 0))
    return chosen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--max-outcomes", type=int, default=400_000)
    arguments = parser.parse_args()
    chosen = [folder for folder, _ in folders(arguments.max_outcomes)]
    closed = [os.path.basename(folder) for folder, open_zone in folders(arguments.max_outcomes) if not open_zone]
    print(f"{len(chosen)} two-party folders up to {arguments.max_outcomes} outcomes; {NEGOTIATORS}; "
          f"every ordered pair, {arguments.repetitions} repetitions, 100 steps")
    print(f"{len(closed)} of them have no package inside both sides' red lines ({', '.join(closed) or 'none'}): "
          f"at most {1 - len(closed) / len(chosen):.0%} of negotiations can agree")
    print(f"{'protocol':46} {'negotiations':>12} {'agreements':>10} {'mean distance to Nash':>22}")
    outcomes = []
    for name, options in RUNS:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([SHUTTLE, "tournament", *chosen, "--negotiators", NEGOTIATORS, "--repetitions",
                            str(arguments.repetitions), "--steps", "100", *options, "--out", out],
                           check=True, capture_output=True)
            with open(os.path.join(out, "negotiations.csv"), newline="") as handle:
                rows = list(csv.DictReader(handle))
        agreed = sum(1 for row in rows if row["ending"] == "agreement")
        distances = [float(row["distance_to_nash"]) for row in rows if row["distance_to_nash"]]
        print(f"{name:46} {len(rows):>12} {agreed / len(rows):>10.1%} {sum(distances) / len(distances):>22.4f}")
        outcomes.append((name, rows))
    # Where each protocol's negotiations end without agreement, and how far from the Nash point
    # each folder's outcomes lie: the folders and pairs a better policy would have to win.
    print()
    print(f"{'folder':32}" + "".join(f" {short:>22}" for short in ("SAO", "relay", "informed")) + "   informed, no agreement")
    for folder in sorted({row["scenario"] for _, rows in outcomes for row in rows}):
        cells = []
        for _, rows in outcomes:
            mine = [row for row in rows if row["scenario"] == folder]
            agreed = sum(1 for row in mine if row["ending"] == "agreement")
            distances = [float(row["distance_to_nash"]) for row in mine if row["distance_to_nash"]]
            mean = f"{sum(distances) / len(distances):.3f}" if distances else "-"
            cells.append(f"{agreed:>3}/{len(mine):<3} {mean:>6}")
        failed = sorted({f"{row['first']}/{row['second']}" for row in outcomes[-1][1]
                         if row["scenario"] == folder and row["ending"] != "agreement"})
        print(f"{folder:32}" + "".join(f" {cell:>22}" for cell in cells) + "   " + (" ".join(failed) or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
