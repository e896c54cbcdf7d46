#!/usr/bin/env python3
"""Server memory as talks accumulate: the resident set size (RSS) of `shuttle serve` after
500, 2,000 and 10,000 talks, each with one delegate and 10 messages.

Starts `shuttle serve` (release build by default) on a fresh database on 127.0.0.1, opens the
talks through the HTTP API with a few client threads, and reads VmRSS from /proc after each
checkpoint. Run it for several servers in one go to compare them side by side:

    python3 Benchmarks/server_memory.py --run bounded=.build/release/shuttle \\
        --run unbounded=.build/release/shuttle:--max-loaded-talks=1000000

Each --run is NAME=BINARY[:EXTRA-SERVE-ARGUMENT,...]. Linux only (reads /proc). Standard library
only.
"""
import argparse
import http.client
import json
import os
import subprocess
import tempfile
import threading
import time

MESSAGES = 10


def call(connection, method, path, token, body=None):
    headers = {"Authorization": f"Bearer {token}"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    text = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {text[:200]!r}")
    return json.loads(text) if text else {}


def open_talks(port, operator, count):
    """Opens `count` talks, each with a delegate who posts MESSAGES messages."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for index in range(count):
        opened = call(connection, "POST", "/talks", operator,
                      {"title": f"Talks {index}", "parties": ["A", "B"], "mediator": "M"})
        talks, mediator = opened["id"], opened["mediatorToken"]
        invited = call(connection, "POST", f"/talks/{talks}/members", mediator,
                       {"party": "A", "name": "Delegate", "role": "principal"})
        for message in range(MESSAGES):
            channel = "room" if message % 2 else "shuttle"
            call(connection, "POST", f"/talks/{talks}/messages", invited["token"],
                 {"channel": channel, "text": f"message {message} of talks {index}: " + "x" * 80})
    connection.close()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait_until_up(port):
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


def measure(binary, extra, checkpoints, port, threads):
    folder = tempfile.mkdtemp(prefix="shuttle-memory-")
    database = os.path.join(folder, "memory.sqlite")
    added = subprocess.run([binary, "operator", "add", "bench", "--database", database],
                           check=True, capture_output=True, text=True)
    operator = added.stdout.strip().splitlines()[-1]
    server = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port)] + extra,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    try:
        wait_until_up(port)
        results.append((0, rss_mb(server.pid)))
        done = 0
        for checkpoint in checkpoints:
            share = [(checkpoint - done) // threads + (1 if i < (checkpoint - done) % threads else 0) for i in range(threads)]
            workers = [threading.Thread(target=open_talks, args=(port, operator, n)) for n in share]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            done = checkpoint
            time.sleep(1)
            results.append((checkpoint, rss_mb(server.pid)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", action="append", required=True, help="NAME=BINARY[:EXTRA-ARG,...]")
    parser.add_argument("--talks", default="500,2000,10000", help="checkpoints (default 500,2000,10000)")
    parser.add_argument("--port", type=int, default=18099)
    parser.add_argument("--threads", type=int, default=4)
    arguments = parser.parse_args()
    checkpoints = [int(n) for n in arguments.talks.split(",")]
    table = {}
    for run in arguments.run:
        name, _, rest = run.partition("=")
        binary, _, extra = rest.partition(":")
        started = time.time()
        table[name] = measure(binary, [e for e in extra.split(",") if e], checkpoints, arguments.port, arguments.threads)
        print(f"{name}: {', '.join(f'{n} talks {mb:.0f} MB' for n, mb in table[name])} ({time.time() - started:.0f} s)", flush=True)
    print()
    print("| talks | " + " | ".join(f"{name} RSS" for name in table) + " |")
    print("|---|" + "---|" * len(table))
    for row, (count, _) in enumerate(next(iter(table.values()))):
        print(f"| {count:,} | " + " | ".join(f"{table[name][row][1]:.0f} MB" for name in table) + " |")


if __name__ == "__main__":
    main()
