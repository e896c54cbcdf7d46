#!/usr/bin/env python3
"""Shuttle against NegMAS 0.16, side by side in one run, on the same generated GENIUS files.

1. A two-party 10^6-outcome scenario (6 issues x 10 options): Shuttle's full analysis
   (`shuttle analyze --reading negmas --json`: frontier, Nash, Kalai, welfare, egalitarian,
   zone, as a whole process, file reading included) against NegMAS's pareto_frontier +
   nash_points on the loaded scenario (import and loading excluded). Runs alternate, and the
   ratio of medians is printed. Both answers are checked to agree.
2. A two-party 10^20-outcome scenario (20 issues x 10 options): Shuttle alone (NegMAS would
   enumerate it), median time and frontier size.
3. Peak memory of Shuttle enumerating a 10^7-outcome scenario (`--enumerate`), measured
   first, while the Python process is small (a child's peak counts what it inherits).

Usage: scripts/setup-negmas.sh && swift build -c release && .venv-negmas/bin/python Benchmarks/benchmark.py
Options: --shuttle-runs N (default 9), --negmas-runs N (default 3).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))


def run(*arguments):
    result = subprocess.run([SHUTTLE, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"shuttle {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout


def timed_shuttle(*arguments):
    started = time.perf_counter()
    output = run(*arguments)
    return time.perf_counter() - started, output


def peak_memory_mb(*arguments):
    """Runs shuttle and returns (seconds, peak resident memory in MB) of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen([SHUTTLE, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"shuttle {' '.join(arguments)} failed")
    return elapsed, usage.ru_maxrss / 1024


def negmas_frontier_and_nash(folder):
    from negmas.inout import Scenario
    from negmas.preferences import nash_points, pareto_frontier

    scenario = Scenario.from_genius_folder(folder)
    started = time.perf_counter()
    frontier, _ = pareto_frontier(scenario.ufuns, issues=scenario.outcome_space.issues)
    nash = nash_points(scenario.ufuns, frontier, outcome_space=scenario.outcome_space)
    return time.perf_counter() - started, frontier, nash


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shuttle-runs", type=int, default=9)
    parser.add_argument("--negmas-runs", type=int, default=3)
    options = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as work:
        # Memory first, while this process is small: a child's peak includes what it inherits.
        ten_million = os.path.join(work, "ten-million")
        run("generate", "--issues", "7", "--options", "10", "--seed", "1", ten_million)
        seconds, peak = peak_memory_mb("analyze", ten_million, "--enumerate", "--json")
        print(f"10^7 outcomes enumerated (--enumerate): {seconds:.2f} s, peak memory {peak:.0f} MB")

        import negmas

        print(f"negmas {negmas.__version__}, shuttle {SHUTTLE}")
        million = os.path.join(work, "million")
        run("generate", "--issues", "6", "--options", "10", "--seed", "1", million)
        shuttle_times, negmas_times, enumeration_times = [], [], []
        answer = None
        for index in range(max(options.shuttle_runs, options.negmas_runs)):
            if index < options.negmas_runs:
                seconds, frontier, nash = negmas_frontier_and_nash(million)
                negmas_times.append(seconds)
            if index < options.shuttle_runs:
                seconds, output = timed_shuttle("analyze", million, "--reading", "negmas", "--json")
                shuttle_times.append(seconds)
                answer = json.loads(output)
                seconds, output = timed_shuttle("analyze", million, "--reading", "negmas", "--json", "--enumerate")
                enumeration_times.append(seconds)
                if json.loads(output)["pareto"] != answer["pareto"]:
                    sys.exit("shuttle's enumeration and merge disagree")
        ours = sorted(tuple(p["utilities"]) for p in answer["pareto"])
        theirs = sorted(tuple(float(u) for u in p) for p in frontier)
        agree = len(ours) == len(theirs) and all(
            all(abs(a - b) <= 1e-9 for a, b in zip(x, y)) for x, y in zip(ours, theirs))
        nash_agree = any(all(abs(a - b) <= 1e-9 for a, b in zip(answer["nash"]["utilities"], n)) for n, _ in nash)
        shuttle_median = statistics.median(shuttle_times)
        negmas_median = statistics.median(negmas_times)
        print(f"\n10^6 outcomes, 2 parties ({answer['outcomes']} outcomes, frontier {len(ours)} points)")
        print(f"  NegMAS pareto_frontier + nash_points: median {negmas_median:.3f} s over {len(negmas_times)} runs")
        print(f"  Shuttle full analysis (whole process): median {shuttle_median:.4f} s over {len(shuttle_times)} runs")
        print(f"  ratio (NegMAS / Shuttle): {negmas_median / shuttle_median:.0f}x")
        enumeration_median = statistics.median(enumeration_times)
        print(f"  Shuttle by enumeration too (--enumerate, NegMAS's method): median {enumeration_median:.4f} s, "
              f"ratio {negmas_median / enumeration_median:.0f}x")
        print(f"  answers agree: frontier {'yes' if agree else 'NO'}, Nash {'yes' if nash_agree else 'NO'}")

        huge = os.path.join(work, "huge")
        run("generate", "--issues", "20", "--options", "10", "--seed", "1", huge)
        huge_times = []
        for _ in range(options.shuttle_runs):
            seconds, output = timed_shuttle("analyze", huge, "--json")
            huge_times.append(seconds)
        result = json.loads(output)
        print(f"\n10^20 outcomes, 2 parties ({result['outcomes']} outcomes)")
        print(f"  Shuttle exact analysis: median {statistics.median(huge_times):.4f} s over {len(huge_times)} runs; "
              f"frontier {result['paretoSize']} points")

        return 0 if agree and nash_agree else 1


if __name__ == "__main__":
    sys.exit(main())
