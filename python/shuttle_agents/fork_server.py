"""Imports NegMAS and the negotiators' modules once, then forks a seat per agent.

    python -m shuttle_agents.fork_server [MODULE:CLASS ...] SOCKET

Starting Python and importing NegMAS (which pulls in scikit-learn) takes seconds; a tournament
that started one adapter per agent and worker paid it twenty times. This server pays it once:
it imports every named class, listens on the Unix socket SOCKET and writes `ready` on standard
output. Each connection names one MODULE:CLASS in its first line; the server forks, writes the
child's pid back, and the child speaks `shuttle-agent/1` on the connection exactly as
`shuttle_agents.negmas_adapter` does on standard input and output.

Its standard input is Shuttle's control line. `status PID` answers how a child ended
(`exited N`, `signal N`, or `running` if it is still alive after a second); end of input (Shuttle
has finished, or died) stops the server, and it kills the children still running. A child dies
with the server (PR_SET_PDEATHSIG) and ends at the end of its connection, so none outlives a
tournament.
"""
import ctypes
import gc
import os
import select
import signal
import socket
import sys
import time
import traceback

from shuttle_agents import negmas_adapter

PR_SET_PDEATHSIG = 1


def preload(specs):
    """Imports NegMAS and each class now, so that children start with them loaded; a class that
    cannot be loaded is left for its child to report, as the adapter would."""
    try:
        import negmas  # noqa: F401  (the import every child would otherwise pay)
        import negmas.sao  # noqa: F401
    except ImportError:
        pass
    for spec in specs:
        try:
            negmas_adapter.load_class(spec)
        except (SystemExit, Exception):
            pass


def serve_child(connection, spec):
    """In the child: the adapter over the connection, then exit with its status."""
    status = 0
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        descriptor = connection.fileno()
        os.dup2(descriptor, 0)
        os.dup2(descriptor, 1)
        connection.close()
        sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        negmas_adapter.main([spec])
    except SystemExit as end:
        if isinstance(end.code, str):
            print(end.code, file=sys.stderr)
            status = 1
        else:
            status = end.code or 0
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


class Server:
    def __init__(self, path):
        self.path = path
        self.children = set()
        self.ended = {}  # pid -> "exited N" or "signal N", until asked
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(64)

    def reap(self):
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            if os.WIFSIGNALED(status):
                self.ended[pid] = f"signal {os.WTERMSIG(status)}"
            else:
                self.ended[pid] = f"exited {os.WEXITSTATUS(status)}"

    def status(self, pid):
        deadline = time.monotonic() + 1
        while True:
            self.reap()
            if pid in self.ended:
                return self.ended.pop(pid)
            if pid not in self.children:
                return "unknown"
            if time.monotonic() > deadline:
                return "running"
            time.sleep(0.005)

    def accept(self):
        """Forks a seat for the next connection; one that names nothing within 30 s, or that the
        machine cannot fork for, is closed (its caller's seat fails) and the server goes on."""
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        try:
            connection.settimeout(30)
            spec = b""
            while not spec.endswith(b"\n"):
                chunk = connection.recv(4096)
                if not chunk:
                    raise ConnectionError("closed before naming an agent")
                spec += chunk
            connection.settimeout(None)
            pid = os.fork()
        except OSError as error:
            print(f"shuttle_agents.fork_server: a seat was not started: {error}", file=sys.stderr)
            connection.close()
            return
        if pid == 0:
            self.listener.close()
            serve_child(connection, spec.decode().strip())
        self.children.add(pid)
        connection.sendall(f"{pid}\n".encode())
        connection.close()

    def run(self):
        print("ready", flush=True)
        pending = b""  # the control lines read so far, unbuffered so that select sees the rest
        while True:
            readable, _, _ = select.select([self.listener, 0], [], [], 1.0)
            self.reap()
            if 0 in readable:
                chunk = os.read(0, 4096)
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    words = line.split()
                    if len(words) == 2 and words[0] == b"status":
                        print(self.status(int(words[1])), flush=True)
            if self.listener in readable:
                self.accept()

    def stop(self):
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in list(self.children):
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.listener.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        raise SystemExit("usage: python -m shuttle_agents.fork_server [MODULE:CLASS ...] SOCKET")
    started = time.perf_counter()
    preload(argv[:-1])
    if os.environ.get("SHUTTLE_ADAPTER_PROFILE"):  # the import, paid here once for every seat
        clock = negmas_adapter.Clock()
        clock.totals["setup"] = time.perf_counter() - started
        clock.report(os.environ["SHUTTLE_ADAPTER_PROFILE"], "fork server")
    # What the import built is never collected: frozen, the children's collections skip it and
    # leave its pages shared with the server rather than copying them on first touch.
    gc.freeze()
    server = Server(argv[-1])
    try:
        server.run()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
