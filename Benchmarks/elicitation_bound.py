#!/usr/bin/env python3
"""How well any choice of questions could do, against what a ranking of random packages does.

A question of the elicitation's kinds has few answers: an order of an issue of k options one of k!
(ties have probability 0), a comparison one of two ("equal" has probability 0). So any way of
choosing Q questions, however adaptive, ends in one of at most N = prod(k_i!) * 2^(Q - m) answer
sequences (m issues, Q >= m; a path's leaves are at most the product of its branchings), and any
estimate is one of N utilities. For a true utility drawn evenly from all additive utilities of
the space's shape (uniform on the sphere of per-issue-centred part-worths, each issue scaled by
1/sqrt(k): there the dot product is the correlation of the two utilities over all packages), the
angle from the truth to the nearest of N points exceeds r with probability at least 1 - N F(r),
F(r) being the sphere's share within r of one point. So for every strategy

    E[angle] >= integral over r of max(0, 1 - N F(r)),

and E[1 - 2 angle / pi] is at most one minus 2/pi times that. 1 - 2 angle / pi is Kendall's tau
for utilities that are normal over packages (Greiner's relation); over the packages of these
spaces its mean is within a few thousandths of the true tau's (single runs differ by up to 0.05
on the smaller spaces; the script prints the largest gap).

The script draws utilities evenly from that family for each shape, runs `shuttle elicit simulate`
with the ranking of Q random packages (and the engine), and prints beside the bound: the mean of
1 - 2 angle / pi over the runs with its standard error, the mean Kendall's tau, and the largest
gap between the two. A ranking whose mean lies above the bound is out of reach, on average over
the family, for every way of asking Q questions of these kinds.

Usage: swift build -c release --product shuttle && Benchmarks/elicitation_bound.py [--utilities 60]
"""
import argparse
import concurrent.futures
import json
import math
import os
import random
import statistics
import tempfile

from elicitation import run_simulation, taus_by_question

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The option counts of the folders where the ranking leads the engine after 40 questions.
FOLDERS = {"5,5,5,5,5,5": "Car-B", "6,5,5,4,4,5": "SmartPhone", "5,4,3,3,5,4": "Camera-C", "4,4,4,4,5,3": "Lunch",
           "4,5,6,3,3,4": "MusicCollection-B", "4,3,7,3,3,4": "Amsterdam-A", "4,4,3,3,4": "EnglandZimbabwe",
           "5,4,3,3": "ItexvsCypress"}
SHAPES = ";".join(FOLDERS)


def cap_share(radius, dimension, steps=2000):
    """The share of the unit sphere in R^dimension within angle `radius` of one of its points."""
    def integral(end):
        width = end / steps
        return sum(math.sin((i + 0.5) * width) ** (dimension - 2) for i in range(steps)) * width
    return integral(radius) / integral(math.pi)


def angle_bound(dimension, log2_answers, steps=600):
    """The least expected angle of any estimate that takes one of 2^log2_answers values."""
    total = 0.0
    width = math.pi / steps
    for i in range(steps):
        share = cap_share((i + 0.5) * width, dimension, 800)
        left = 1 - 2 ** (log2_answers + math.log2(share)) if share > 0 else 1
        if left <= 0:
            break
        total += left * width
    return total


def answer_bits(counts, questions):
    """log2 of the most answer sequences `questions` questions can end in."""
    orderable = sorted((math.log2(math.factorial(k)) for k in counts if k > 1), reverse=True)
    orders = orderable[:questions]
    return sum(orders) + max(0, questions - len(orders))


def random_utility(counts, generator):
    """Part-worths drawn evenly from the shape's additive utilities, as weights and 0..1 values."""
    drawn = [[generator.gauss(0, 1) for _ in range(k)] for k in counts]
    centred = [[v - sum(row) / len(row) for v in row] for row in drawn]
    length = math.sqrt(sum(v * v for row in centred for v in row))
    part_worths = [[v / length * math.sqrt(len(row)) for v in row] for row in centred]
    ranges = [max(row) - min(row) for row in part_worths]
    weights = [r / sum(ranges) for r in ranges]
    values = [[(v - min(row)) / (max(row) - min(row)) for v in row] for row in part_worths]
    return weights, values


def scenario(counts, weights, values, name):
    issues = [{"name": f"issue {i + 1}", "options": [f"option {j + 1}" for j in range(k)]} for i, k in enumerate(counts)]
    preferences = {f"issue {i + 1}": {"weight": weights[i], "values": {f"option {j + 1}": values[i][j] for j in range(k)}}
                   for i, k in enumerate(counts)}
    return {"format": "shuttle-scenario/1", "name": name, "issues": issues,
            "parties": [{"name": "truth", "preferences": preferences, "reservationValue": 0}]}


def direction(counts, weights, values):
    """The unit vector whose dot products are correlations over all packages."""
    vector = []
    for k, weight, row in zip(counts, weights, values):
        mean = sum(row) / k
        vector += [weight * (v - mean) / math.sqrt(k) for v in row]
    length = math.sqrt(sum(v * v for v in vector))
    return [v / length for v in vector]


def run(binary, folder, counts, index, method, questions):
    path = os.path.join(folder, f"{index}.json")
    out = os.path.join(folder, f"{index}-{method}-fitted.json")
    done = run_simulation(binary, path, "truth", method, 1, questions, "--out", out)
    if done.returncode != 0:
        raise SystemExit(f"{method} on {path}: {done.stderr.strip() or 'failed'}")
    tau = taus_by_question(done.stdout)[questions]
    def read(file):
        preferences = json.load(open(file))["parties"][0]["preferences"]
        rows = [preferences[f"issue {i + 1}"] for i in range(len(counts))]
        return direction(counts, [r["weight"] for r in rows],
                         [[r["values"][f"option {j + 1}"] for j in range(k)] for r, k in zip(rows, counts)])
    cosine = sum(a * b for a, b in zip(read(path), read(out)))
    return method, tau, 1 - 2 * math.acos(max(-1, min(1, cosine))) / math.pi


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shapes", default=SHAPES, help="option counts, issues by commas, shapes by semicolons")
    parser.add_argument("--utilities", type=int, default=60, help="true utilities drawn per shape")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--methods", default="ranking,engine")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "shuttle"))
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    # The cap's share in R^3 is (1 - cos r) / 2: the integration is checked before it is used.
    assert abs(cap_share(1.0, 3) - (1 - math.cos(1.0)) / 2) < 1e-6
    methods = options.methods.split(",")
    print(f"# Benchmarks/elicitation_bound.py --utilities {options.utilities} --questions {options.questions}")
    print("# tauG = 1 - 2 angle / pi, angle between fitted and true utility as correlations over all packages")
    for shape in options.shapes.split(";"):
        counts = [int(k) for k in shape.split(",")]
        dimension = sum(counts) - len(counts)
        bits = answer_bits(counts, options.questions)
        bound = 1 - 2 * angle_bound(dimension, bits) / math.pi
        generator = random.Random(shape)
        with tempfile.TemporaryDirectory() as folder:
            for index in range(options.utilities):
                weights, values = random_utility(counts, generator)
                with open(os.path.join(folder, f"{index}.json"), "w") as file:
                    json.dump(scenario(counts, weights, values, f"random {index}"), file)
            with concurrent.futures.ThreadPoolExecutor(options.jobs) as pool:
                jobs = [pool.submit(run, options.binary, folder, counts, index, method, options.questions)
                        for index in range(options.utilities) for method in methods]
                results = [job.result() for job in jobs]
        print(f"\nshape {shape} ({FOLDERS.get(shape, 'drawn')}): {dimension} dimensions, at most {bits:.1f} bits in {options.questions} answers; "
              f"any questions: mean tauG <= {bound:.4f}")
        for method in methods:
            taus = [tau for m, tau, _ in results if m == method]
            gaussian = [g for m, _, g in results if m == method]
            error = statistics.stdev(gaussian) / math.sqrt(len(gaussian))
            gap = max(abs(t - g) for t, g in zip(taus, gaussian))
            print(f"  {method:8} mean tauG {statistics.mean(gaussian):.4f} (standard error {error:.4f}), "
                  f"mean tau {statistics.mean(taus):.4f}, largest |tau - tauG| {gap:.4f}, "
                  f"{(statistics.mean(gaussian) - bound) / error:+.1f} standard errors from the bound")


if __name__ == "__main__":
    main()
