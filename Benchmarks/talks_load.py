#!/usr/bin/env python3
"""Load on the talks service: many concurrent talks, members streaming, loopback only, bounded.

Starts `shuttle serve` (release build) on a fresh SQLite database on 127.0.0.1, opens TALKS talks
(two parties each), and in every talks one delegate posts messages on its shuttle channel while
the mediator listens on the WebSocket stream. It reports durable events per second (acknowledged
201 answers: each is committed to disk before the answer) and the latency from sending the request
to receiving the event on the mediator's stream (p50, p99). The run is bounded in messages and
in time, and stops by itself.

Usage: scripts/setup-bench.sh && swift build -c release &&
       .venv-bench/bin/python Benchmarks/talks_load.py [--talks 100] [--messages 100] [--port 18099]
"""
import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import aiohttp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHUTTLE = os.environ.get("SHUTTLE", os.path.join(ROOT, ".build", "release", "shuttle"))


def cpu_seconds(pid):
    """User plus system CPU seconds a process has used so far (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


async def wait_until_up(session, base):
    for _ in range(200):
        try:
            async with session.get(base + "/openapi.json") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    sys.exit("the server did not start")


async def open_talks(session, base, index):
    async with session.post(base + "/talks", json={"title": f"load {index}", "parties": ["A", "B"], "mediator": "M"}) as r:
        opened = await r.json()
    headers = {"Authorization": f"Bearer {opened['mediatorToken']}"}
    async with session.post(f"{base}/talks/{opened['id']}/members", json={"party": "A", "name": "a", "role": "principal"}, headers=headers) as r:
        member = await r.json()
    return opened["id"], opened["mediatorToken"], member["token"]


async def run_talks(session, base, talks_id, mediator, writer, messages, latencies, deadline):
    sent = {}
    received = asyncio.Event()
    expected = messages
    got = 0
    ws = await session.ws_connect(f"{base.replace('http', 'ws')}/talks/{talks_id}/stream?after=1000000000",
                                  headers={"Authorization": f"Bearer {mediator}"})

    async def listen():
        nonlocal got
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            event = json.loads(message.data)
            text = event.get("text", "")
            if text in sent:
                latencies.append(time.perf_counter() - sent.pop(text))
                got += 1
                if got == expected:
                    received.set()
                    return

    listener = asyncio.create_task(listen())
    acknowledged = 0
    headers = {"Authorization": f"Bearer {writer}"}
    for count in range(messages):
        if time.perf_counter() > deadline:
            break
        text = f"{talks_id}-{count}"
        sent[text] = time.perf_counter()
        async with session.post(f"{base}/talks/{talks_id}/messages", json={"channel": "shuttle", "text": text}, headers=headers) as r:
            if r.status == 201:
                acknowledged += 1
    try:
        await asyncio.wait_for(received.wait(), timeout=max(1.0, deadline - time.perf_counter()))
    except asyncio.TimeoutError:
        pass
    listener.cancel()
    await ws.close()
    return acknowledged


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--talks", type=int, default=100)
    parser.add_argument("--messages", type=int, default=100, help="messages per talks")
    parser.add_argument("--port", type=int, default=18099)
    parser.add_argument("--seconds", type=float, default=120, help="upper bound on the run")
    options = parser.parse_args()
    base = f"http://127.0.0.1:{options.port}"
    with tempfile.TemporaryDirectory() as work:
        database = os.path.join(work, "load.sqlite")
        server = subprocess.Popen([SHUTTLE, "serve", "--database", database, "--port", str(options.port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector) as session:
                await wait_until_up(session, base)
                sessions = await asyncio.gather(*(open_talks(session, base, i) for i in range(options.talks)))
                latencies = []
                started = time.perf_counter()
                deadline = started + options.seconds
                counts = await asyncio.gather(*(run_talks(session, base, t, m, w, options.messages, latencies, deadline)
                                                for t, m, w in sessions))
                elapsed = time.perf_counter() - started
                server_cpu = cpu_seconds(server.pid)
                client_cpu = sum(os.times()[:2])
        finally:
            server.kill()
            server.wait()
        verify = subprocess.run([SHUTTLE, "verify", "--database", database], capture_output=True, text=True)
    acknowledged = sum(counts)
    latencies.sort()
    print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores (server and load generator share them)")
    print(f"{options.talks} talks, {acknowledged} durable events in {elapsed:.2f} s: {acknowledged / elapsed:.0f} events/s")
    if latencies:
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        print(f"request -> delivery on the mediator's stream: p50 {p50:.1f} ms, p99 {p99:.1f} ms ({len(latencies)} delivered)")
    print(f"CPU used: server {server_cpu:.1f} s, load generator {client_cpu:.1f} s, over {elapsed:.1f} s of wall time on {os.cpu_count()} cores")
    print(f"record after the run: {'intact' if verify.returncode == 0 else 'BROKEN'}")
    return 0 if verify.returncode == 0 and len(latencies) == acknowledged else 1


if __name__ == "__main__":
    try:
        import uvloop  # a faster event loop leaves more of the shared cores to the server

        uvloop.install()
    except ImportError:
        pass
    sys.exit(asyncio.run(main()))
