#!/usr/bin/env python3
"""A tournament mixing Shuttle's built-in negotiators with ANAC agents from negmas-genius-agents,
seated through the Python adapter, beside NegMAS running the same tournament itself.

Competitors: Shuttle's boulware, conceder and tit-for-tat, and the ten ANAC winners 2010-2019 as
re-implemented for NegMAS (AgentK, HardHeaded, CUHKAgent, TheFawkes, AgentM, Atlas3, Caduceus,
PonPokoAgent, AgreeableAgent2018, AgentGG). Every ordered pair of distinct competitors meets once
per folder in SAO with --steps steps, on the folders given (two-party GENIUS folders).

- Shuttle: `shuttle tournament --reading negmas --jobs J` with the ANAC agents as
  `python:negmas_genius_agents:NAME` (one fork server imports NegMAS and the agents once and forks
  a seat per agent and worker, kept between negotiations).
- NegMAS: the same pairs in NegMAS 0.16's own SAOMechanism, one process, one negotiation after
  another, with NegMAS's counterparts of the built-ins (BoulwareTBNegotiator,
  ConcederTBNegotiator, NaiveTitForTatNegotiator).

Each side runs --runs times, alternating; the report gives medians of wall seconds and of CPU
seconds (the process and its children), negotiations per second, and where Shuttle's time went:
the Python processes' own accounts (SHUTTLE_ADAPTER_PROFILE: the fork server's import, each
seat's CPU, and within the seats the wall time inside the agents, in the private mechanism and
reading and writing lines) and the rest, which is Shuttle's own process. NegMAS's time is split the same way from its
mechanisms' per-negotiator times.

Usage:
  scripts/setup-negmas.sh && .venv-negmas/bin/pip install ./python negmas-genius-agents==0.3.0
  swift build -c release --product shuttle
  .venv-negmas/bin/python Benchmarks/python_agents_benchmark.py [--runs 3] [--steps 100] [--jobs 2] FOLDER...
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))
ANAC = ["AgentK", "HardHeaded", "CUHKAgent", "TheFawkes", "AgentM", "Atlas3", "Caduceus", "PonPokoAgent",
        "AgreeableAgent2018", "AgentGG"]
BUILT_IN = {"boulware": ("negmas.gb.negotiators.timebased", "BoulwareTBNegotiator"),
            "conceder": ("negmas.gb.negotiators.timebased", "ConcederTBNegotiator"),
            "tit-for-tat": ("negmas.sao", "NaiveTitForTatNegotiator")}


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_shuttle(folders, steps, jobs):
    names = list(BUILT_IN) + ["python:negmas_genius_agents:" + name for name in ANAC]
    with tempfile.TemporaryDirectory() as out:
        profile = os.path.join(out, "profile.jsonl")
        environment = dict(os.environ, SHUTTLE_PYTHON=sys.executable, SHUTTLE_ADAPTER_PROFILE=profile)
        command = [SHUTTLE, "tournament", *folders, "--negotiators", ",".join(names), "--steps", str(steps),
                   "--reading", "negmas", "--jobs", str(jobs), "--agent-timeout", "60", "--out", os.path.join(out, "t")]
        cpu, wall = children_cpu(), time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        wall, cpu = time.perf_counter() - wall, children_cpu() - cpu
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip()[-2000:])
        with open(os.path.join(out, "t", "negotiations.csv")) as handle:
            rows = handle.read().splitlines()[1:]
        failed = sum("failed" in row for row in rows)
        parts = {"import": 0.0, "setup": 0.0, "negotiator": 0.0, "mechanism": 0.0, "io": 0.0, "python cpu": 0.0,
                 "processes": 0}
        with open(profile) as handle:
            for line in handle:
                entry = json.loads(line)
                parts["python cpu"] += entry["cpu"]
                parts["processes"] += 1
                if entry["agent"] == "fork server":
                    parts["import"] += entry["setup"]
                    continue
                parts["setup"] += entry["setup"]
                parts["negotiator"] += entry["negotiator"]
                parts["mechanism"] += max(0.0, entry["waiting"] - entry["negotiator"])
                parts["io"] += entry["io"]
        return {"wall": wall, "cpu": cpu, "negotiations": len(rows), "failed": failed, "parts": parts}


def run_negmas(folders, steps):
    import importlib
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism

    started_cpu, started = own_cpu(), time.perf_counter()
    classes = {name: getattr(importlib.import_module(module), cls) for name, (module, cls) in BUILT_IN.items()}
    agents = importlib.import_module("negmas_genius_agents")
    classes.update({name: getattr(agents, name) for name in ANAC})
    names = list(classes)
    negotiations, in_negotiators = 0, 0.0
    for folder in folders:
        scenario = Scenario.from_genius_folder(folder, ignore_discount=True)
        for first in names:
            for second in names:
                if first == second:
                    continue
                mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=steps)
                mechanism.add(classes[first](name="seat0"), ufun=scenario.ufuns[0])
                mechanism.add(classes[second](name="seat1"), ufun=scenario.ufuns[1])
                mechanism.run()
                in_negotiators += sum(mechanism._negotiator_times.values())
                negotiations += 1
    return {"wall": time.perf_counter() - started, "cpu": own_cpu() - started_cpu, "negotiations": negotiations,
            "parts": {"negotiator": in_negotiators}}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    warnings.filterwarnings("ignore")
    folders = [folder.rstrip("/") for folder in arguments.folders]
    print(f"folders: {', '.join(os.path.basename(f) for f in folders)}; steps {arguments.steps}; "
          f"Shuttle --jobs {arguments.jobs}; {arguments.runs} runs each, alternating")
    print(f"competitors: {', '.join(BUILT_IN)} (Shuttle's, NegMAS's counterparts in NegMAS), {', '.join(ANAC)}")
    shuttle, negmas = [], []
    for run in range(arguments.runs):
        shuttle.append(run_shuttle(folders, arguments.steps, arguments.jobs))
        negmas.append(run_negmas(folders, arguments.steps))
        s, n = shuttle[-1], negmas[-1]
        print(f"run {run + 1}: Shuttle {s['negotiations']} negotiations ({s['failed']} failed) in {s['wall']:.2f} s "
              f"wall, {s['cpu']:.2f} CPU s; NegMAS {n['negotiations']} in {n['wall']:.2f} s wall, {n['cpu']:.2f} CPU s",
              flush=True)

    def median(runs, key):
        return statistics.median(run[key] for run in runs)

    count = shuttle[0]["negotiations"]
    rows = [("Shuttle + adapter", shuttle), ("NegMAS itself", negmas)]
    print()
    print(f"{'':18} {'wall s':>8} {'CPU s':>8} {'negotiations/s':>15} {'CPU ms/negotiation':>19}")
    for label, runs in rows:
        wall, cpu = median(runs, "wall"), median(runs, "cpu")
        print(f"{label:18} {wall:8.2f} {cpu:8.2f} {count / wall:15.1f} {1000 * cpu / count:19.2f}")
    print(f"ratio (NegMAS / Shuttle): wall {median(negmas, 'wall') / median(shuttle, 'wall'):.2f}, "
          f"CPU {median(negmas, 'cpu') / median(shuttle, 'cpu'):.2f}")
    print()
    parts = {key: statistics.median(run["parts"][key] for run in shuttle) for key in shuttle[0]["parts"]}
    cpu = median(shuttle, "cpu")
    print(f"where Shuttle's CPU time went (median run, {int(parts['processes'])} Python processes: the fork "
          f"server and its seats):")
    for label, seconds in [("the Python processes (CPU)", parts["python cpu"]),
                           ("  of which importing NegMAS and the agents, once", parts["import"]),
                           ("Shuttle's own process (CPU)", cpu - parts["python cpu"])]:
        print(f"  {label:52} {seconds:7.2f} s {100 * seconds / cpu:5.1f}%")
    print("within the seats, wall seconds:")
    for label, seconds in [("setting up each negotiation", parts["setup"]),
                           ("inside the ANAC agents", parts["negotiator"]),
                           ("the private NegMAS mechanisms and the hand-over", parts["mechanism"]),
                           ("reading and writing lines", parts["io"])]:
        print(f"  {label:52} {seconds:7.2f} s")
    in_negotiators = statistics.median(run["parts"]["negotiator"] for run in negmas)
    negmas_cpu = median(negmas, "cpu")
    print(f"NegMAS: inside the negotiators {in_negotiators:.2f} s ({100 * in_negotiators / negmas_cpu:.1f}%), "
          f"the rest (reading, mechanism, imports) {negmas_cpu - in_negotiators:.2f} s")


if __name__ == "__main__":
    main()
