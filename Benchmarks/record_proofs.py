#!/usr/bin/env python3
"""Checkpoint and proof latency with many events in one member's view.

Starts `shuttle serve` (release) on a fresh SQLite database, opens a talks with two delegates of
one party (one view), has one of them post EVENTS messages in its room, then times, from the
other delegate's side (whose checkpoint the writer's receipts have not signed yet):
- GET /checkpoint right after a restart (the talks read from the database and the view's log
  built from its lines),
- GET /checkpoint when one new event has arrived (a root and one signature),
- GET /checkpoint again at the same size (the signed note kept),
- GET /proof/inclusion and GET /proof/consistency for random sizes and leaves.
Client-side wall time over loopback, HTTP included; medians and 99th percentiles.

    swift build -c release && python3 Benchmarks/record_proofs.py [EVENTS] [path/to/shuttle]
"""
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

EVENTS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
SHUTTLE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".build", "release", "shuttle")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    def __init__(self, port, token=None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def call(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token or self.token:
            headers["Authorization"] = f"Bearer {token or self.token}"
        self.connection.request(method, path, None if body is None else json.dumps(body), headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {text}")
        return text

    def timed(self, path):
        started = time.perf_counter()
        text = self.call("GET", path)
        return (time.perf_counter() - started) * 1000, text


def serve(database, port):
    server = subprocess.Popen([SHUTTLE, "serve", "--database", database, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            Client(port).call("GET", "/health")
            return server
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def summary(name, samples):
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"  {name}: median {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms ({len(ordered)} requests)")


def main():
    work = tempfile.mkdtemp()
    database = os.path.join(work, "proofs.sqlite")
    operator = subprocess.run([SHUTTLE, "operator", "add", "bench", "--database", database],
                              capture_output=True, text=True, check=True).stdout.strip().split("\n")[-1]
    port = free_port()
    server = serve(database, port)
    try:
        client = Client(port)
        opened = json.loads(client.call("POST", "/talks", {"title": "Proofs", "parties": ["A", "B"]}, operator))
        talks, mediator = opened["id"], opened["mediatorToken"]
        tokens = [json.loads(client.call("POST", f"/talks/{talks}/members", {"party": "A", "name": f"a{n}", "role": "expert"}, mediator))["token"]
                  for n in range(2)]
        writer, reader = tokens
        started = time.perf_counter()
        remaining = EVENTS - 3  # opened, two invitations: the reader's view holds EVENTS after the last post

        def post(count):
            own = Client(port, writer)
            for n in range(count):
                own.call("POST", f"/talks/{talks}/messages", {"channel": "room", "text": f"message {n}"})

        threads = [threading.Thread(target=post, args=(remaining // 4 + (1 if i < remaining % 4 else 0),)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"# {EVENTS} events in one view, written in {time.perf_counter() - started:.0f} s; {SHUTTLE}")

        server.terminate()
        server.wait(timeout=30)
        server = serve(database, port)
        them = Client(port, reader)
        first, note = them.timed(f"/talks/{talks}/checkpoint")
        size = int(note.split("\n")[1])
        print(f"  after a restart, the first checkpoint (talks loaded, log built): {first:.0f} ms for a log of {size}")

        fresh, kept = [], []
        own = Client(port, writer)
        for n in range(200):
            own.call("POST", f"/talks/{talks}/messages", {"channel": "room", "text": f"more {n}"})
            fresh.append(them.timed(f"/talks/{talks}/checkpoint")[0])
            kept.append(them.timed(f"/talks/{talks}/checkpoint")[0])
        size += 200
        summary("checkpoint after a new event (root and signature)", fresh)
        summary("checkpoint at the same size (kept)", kept)
        random.seed(1)
        inclusion = [them.timed(f"/talks/{talks}/proof/inclusion?index={random.randrange(size)}&size={size}")[0] for _ in range(500)]
        summary(f"inclusion proof in a log of {size}", inclusion)
        consistency = []
        for _ in range(500):
            older = random.randrange(1, size)
            consistency.append(them.timed(f"/talks/{talks}/proof/consistency?from={older}&to={size}")[0])
        summary(f"consistency proof to a log of {size}", consistency)
        health = [them.timed("/health")[0] for _ in range(500)]
        summary("GET /health, for scale (HTTP alone)", health)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
