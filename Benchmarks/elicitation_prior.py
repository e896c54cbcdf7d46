#!/usr/bin/env python3
"""How evenly real profiles space an issue's values: the prior the elicitation's walk assumes
(PreferenceElicitation.spacingConcentration).

For every GENIUS profile in the folders that Benchmarks/elicitation.py does NOT measure (folders
with more or fewer than two profiles), each discrete issue with 3 to 50 distinct evaluations gives
its gaps between consecutive distinct values, divided by the issue's range: a point on the simplex.
Points thrown evenly into [0, 1] give gaps distributed as Dirichlet(1, ..., 1); evenly spaced values
give equal gaps. The script fits the symmetric Dirichlet(alpha) by maximum likelihood on those held-out
issues, and prints the same likelihoods on the benchmark's own folders for comparison (not used to fit).

Usage: Benchmarks/elicitation_prior.py [--domains DIR]
"""
import argparse
import glob
import math
import os
import xml.etree.ElementTree as ElementTree

from elicitation import ROOT, profiles


def normalized_gaps(path):
    """Each issue's gaps between consecutive distinct evaluations over its range (3 to 50 values)."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return []
    if root.tag != "utility_space":
        return []
    found = []
    for issue in root.iter("issue"):
        first = {}  # an option listed twice (Car-B's profiles) counts with its first evaluation, as the reader takes it
        for item in issue.iter("item"):
            if item.get("evaluation"):
                first.setdefault(item.get("value"), float(item.get("evaluation")))
        values = sorted(set(first.values()))
        if 3 <= len(values) <= 50:
            found.append([(b - a) / (values[-1] - values[0]) for a, b in zip(values, values[1:])])
    return found


def log_likelihood(issues, alpha):
    """The symmetric Dirichlet(alpha) log density of every issue's normalized gaps, summed."""
    total = 0.0
    for gaps in issues:
        n = len(gaps)
        total += math.lgamma(n * alpha) - n * math.lgamma(alpha) + (alpha - 1) * sum(math.log(g) for g in gaps)
    return total


def best_alpha(issues):
    """Maximum likelihood by golden-section search on [0.2, 50] (the log likelihood is concave in alpha)."""
    low, high = 0.2, 50.0
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(80):
        a, b = high - ratio * (high - low), low + ratio * (high - low)
        if log_likelihood(issues, a) < log_likelihood(issues, b):
            low = a
        else:
            high = b
    return (low + high) / 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--domains", default=os.path.join(ROOT, "..", "shared", "domains"))
    arguments = parser.parse_args()
    held_out, measured = [], []
    for folder in sorted(glob.glob(os.path.join(arguments.domains, "*/"))):
        issues = [gaps for path in sorted(glob.glob(os.path.join(folder, "*.xml"))) for gaps in normalized_gaps(path)]
        (measured if profiles(folder) else held_out).extend(issues)
    if not held_out:
        raise SystemExit(f"no profile with an issue of 3 to 50 distinct values outside the benchmark's folders in {arguments.domains}")
    alpha = best_alpha(held_out)
    print(f"held-out issues (folders the benchmark does not measure): {len(held_out)}")
    print(f"maximum-likelihood alpha: {alpha:.2f}")
    for name, issues in [("held-out", held_out), ("benchmark's folders", measured)]:
        if issues:
            own = best_alpha(issues)
            print(f"{name:20} log likelihood: alpha=1 (values thrown at random) {log_likelihood(issues, 1):8.1f}, "
                  f"alpha={alpha:.2f} {log_likelihood(issues, alpha):8.1f}, "
                  f"its own maximum {log_likelihood(issues, own):8.1f} at alpha={own:.2f}")


if __name__ == "__main__":
    main()
