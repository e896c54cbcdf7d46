#!/usr/bin/env python3
"""An agent that misbehaves on purpose, for the fault tests: it greets and begins correctly,
then at its first propose, respond or vote it does what argv[1] says. "stall" answers every time,
slowly and correctly, and never gives way: a negotiation with it ends only at its deadline."""
import json
import os
import signal
import sys
import time

FAULT = sys.argv[1]


def hang():
    """Never answers, and ends with its input: a hung agent that outlives Shuttle would keep
    Shuttle's standard error (which it shares) open, and whoever waits for that to close."""
    sys.stdin.read()
    sys.exit(0)


def say(message):
    try:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        sys.exit(0)  # Shuttle has ended the negotiation and closed the pipe


for line in sys.stdin:
    message = json.loads(line)
    kind = message["type"]
    if kind == "hello":
        if FAULT == "silent-hello":
            hang()
        say({"type": "hello", "protocol": "shuttle-agent/0" if FAULT == "old-version" else "shuttle-agent/1"})
    elif kind == "begin":
        first = {}
        for issue in message["scenario"]["issues"]:
            first[issue["name"]] = issue["options"][0] if "options" in issue else issue["integers"]["min"]
        say({"type": "ready"})
    elif FAULT == "stall" and kind in ("propose", "respond", "vote"):
        time.sleep(0.05)
        say({"type": "offer", "outcome": first} if kind == "propose" else {"type": "reject"})
    elif kind in ("propose", "respond", "vote"):
        if FAULT == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        elif FAULT == "hang":
            hang()
        elif FAULT == "garbage":
            sys.stdout.write("this is not json\n")
            sys.stdout.flush()
        elif FAULT == "exit":
            sys.exit(3)
        elif FAULT == "wrong-answer":
            say({"type": "ready"})
        elif FAULT == "unknown-option":
            say({"type": "offer", "outcome": {"no such issue": "x"}})
        elif FAULT == "flood":
            sys.stdout.write("x" * (2 << 20))
            sys.stdout.flush()
            hang()
