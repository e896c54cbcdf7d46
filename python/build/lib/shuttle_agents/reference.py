#!/usr/bin/env python3
"""Shuttle's reference agent: the agent protocol (docs/agent-protocol.md) in plain Python.

A time-based negotiator with a Boulware aspiration: it offers the package of its own whose
utility is nearest above its aspiration, accepts an offer at or above it, and never offers or
accepts a package across its red lines (a forbidden option, or below its reservation value). It
uses nothing but the standard library, and reads nothing but what the protocol sends it.

Run it as an agent:  shuttle negotiate SCENARIO --negotiators boulware,"agent:python3 python/shuttle_agents/reference.py"

With SHUTTLE_AGENT_LOG=FILE it appends every message it receives to FILE, one per line (the
tests compare that with what the protocol should have shown it); with SHUTTLE_AGENT_TRANSCRIPT=FILE
it appends both directions, each line marked "shuttle:" or "agent:".
"""
import itertools
import json
import os
import random
import sys

VERSION = "shuttle-agent/1"
EXPONENT = 4.0  # Boulware: concedes late
MAX_PACKAGES = 1_000_000


class Preferences:
    """One party's linear additive preferences, as a Shuttle scenario holds them."""

    def __init__(self, scenario):
        self.issues = []
        for issue in scenario["issues"]:
            if "options" in issue:
                labels = list(issue["options"])
            elif "integers" in issue:
                labels = [str(v) for v in range(issue["integers"]["min"], issue["integers"]["max"] + 1)]
            else:
                raise ValueError(f"issue {issue['name']} is continuous")
            self.issues.append((issue["name"], labels))
        party = scenario["parties"][0]
        self.reservation = party.get("reservationValue", 0.0)
        self.cap = party.get("cap")
        forbidden = party.get("forbidden", {})
        self.tables = []
        for name, labels in self.issues:
            preference = party["preferences"][name]
            weight = preference["weight"]
            if "values" in preference:
                values = [preference["values"][label] for label in labels]
            else:
                linear = preference["linear"]
                values = [linear["slope"] * float(label) + linear["offset"] for label in labels]
            banned = set(forbidden.get(name, []))
            self.tables.append([(weight * v, label in banned) for v, label in zip(values, labels)])

    def utility(self, outcome):
        total = 0.0
        for (name, labels), table in zip(self.issues, self.tables):
            total += table[labels.index(str(outcome[name]))][0]
        return min(total, self.cap) if self.cap is not None else total

    def allowed(self, outcome):
        return all(not table[labels.index(str(outcome[name]))][1] for (name, labels), table in zip(self.issues, self.tables))

    def acceptable(self, outcome):
        return self.allowed(outcome) and self.utility(outcome) >= self.reservation

    def ranked(self):
        """Every package it may agree to, best first (up to MAX_PACKAGES)."""
        packages = []
        for choice in itertools.islice(itertools.product(*[labels for _, labels in self.issues]), MAX_PACKAGES):
            outcome = {name: label for (name, _), label in zip(self.issues, choice)}
            if self.acceptable(outcome):
                packages.append((self.utility(outcome), outcome))
        packages.sort(key=lambda item: -item[0])
        return packages


class ReferenceAgent:
    def __init__(self):
        self.preferences = None
        self.packages = []
        self.random = random.Random(0)

    def begin(self, message):
        self.preferences = Preferences(message["scenario"])
        self.packages = self.preferences.ranked()
        self.random = random.Random(int(message["seed"]))
        return {"type": "ready"}

    def aspiration(self, time):
        if not self.packages:
            return float("inf")
        best, worst = self.packages[0][0], max(self.packages[-1][0], self.preferences.reservation)
        return worst + (best - worst) * (1 - time ** EXPONENT)

    def propose(self, message):
        if not self.packages:
            return {"type": "end", "text": "nothing I can agree to"}
        target = self.aspiration(message["time"])
        candidates = [p for p in self.packages if p[0] >= target] or self.packages[:1]
        nearest = min(u for u, _ in candidates)
        ties = [outcome for u, outcome in candidates if u == nearest]
        return {"type": "offer", "outcome": self.random.choice(ties)}

    def respond(self, message):
        offer = message["offer"]
        ok = self.preferences.acceptable(offer) and self.preferences.utility(offer) >= self.aspiration(message["time"])
        return {"type": "accept", "text": "agreed"} if ok else {"type": "reject"}

    def vote(self, message):
        candidate, current = message["candidate"], message["current"]
        if not self.preferences.allowed(candidate) and self.preferences.allowed(current):
            return {"type": "reject"}
        u = self.preferences.utility(candidate)
        ok = u >= self.preferences.utility(current) or u >= self.aspiration(message["time"])
        return {"type": "accept" if ok else "reject"}


def main():
    log = open(os.environ["SHUTTLE_AGENT_LOG"], "a") if os.environ.get("SHUTTLE_AGENT_LOG") else None
    transcript = open(os.environ["SHUTTLE_AGENT_TRANSCRIPT"], "a") if os.environ.get("SHUTTLE_AGENT_TRANSCRIPT") else None
    agent = ReferenceAgent()
    for line in sys.stdin:
        message = json.loads(line)
        line = line.rstrip("\n")
        if log:
            log.write(line + "\n")
            log.flush()
        if transcript:
            transcript.write("shuttle: " + line + "\n")
            transcript.flush()
        kind = message["type"]
        if kind == "hello":
            answer = {"type": "hello", "protocol": VERSION, "name": "reference"}
        elif kind in ("begin", "propose", "respond", "vote"):
            answer = getattr(agent, kind)(message)
        else:  # event, end: nothing to answer
            continue
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if transcript:
            transcript.write("agent:   " + json.dumps(answer) + "\n")
            transcript.flush()


if __name__ == "__main__":
    main()
