"""A small pool of query worker processes: the public endpoint's time limit, made real.

pyoxigraph has no query timeout, so each query runs in a worker process
that the parent kills at the limit (the query stops consuming CPU at once)
and replaces in the background. Workers are fresh interpreters (never forks
of the threaded server, whose locks a fork would copy), open the store read-only once per data
generation, receive a `Job` over a pipe and send back an `Answer`. Where
the platform allows, an embedded store's workers have no network at all
(a user + network namespace), so even a SERVICE the lexical check missed
could fetch nothing.

Read-only opens see a snapshot, and opening files a writer compacts is
undefined; so for an embedded store held read-write by this process the
pool takes cheap RocksDB checkpoints (hard links) beside it, one per data
generation, and workers move to the newest when the store directory's
write-ahead log or manifest changes (a few µs to check per query).
"""
from __future__ import annotations

import itertools
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from ontology.errors import ConfigError, MerosError, StoreError

from .protocol import Answer, Job, Location

class QueryStopped(MerosError):
    """A query the pool stopped: past the time limit, or past the memory limit."""

    status = 503


class TooBusy(MerosError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# -- where workers read from ------------------------------------------------------------------------------
class Source(Protocol):
    sandbox_ok: bool  # workers need no network

    def current(self) -> Location: ...
    def release(self, held: set[Location]) -> None: ...
    def close(self) -> None: ...


def fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of RocksDB's CURRENT, MANIFEST and write-ahead logs: any write changes one."""
    out = []
    with os.scandir(path) as entries:
        for e in entries:
            if e.name == "CURRENT" or e.name.startswith("MANIFEST-") or e.name.endswith(".log"):
                st = e.stat()
                out.append((e.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


class SnapshotSource:
    """Checkpoints of the embedded store this process holds read-write, in `{store}.snapshots/{pid}-{n}/gen-N`.

    Each pool has its own folder (two apps may share one store in a process);
    folders left by processes that died are removed.
    """

    sandbox_ok = True
    _count = itertools.count(1)

    def __init__(self, engine: Any, path: Path) -> None:
        self._db = engine  # the pyoxigraph Store opened read-write
        self.path = path
        self.base = Path(f"{path}.snapshots")
        self.base.mkdir(parents=True, exist_ok=True)
        for old in self.base.iterdir():
            if not _alive(old.name.split("-", 1)[0]):
                shutil.rmtree(old, ignore_errors=True)
        self.root = self.base / f"{os.getpid()}-{next(self._count)}"
        self.root.mkdir()
        self._lock = threading.Lock()
        self._gen = 0
        self._seen: object = None
        self._current: Location | None = None

    def current(self) -> Location:
        with self._lock:
            if self._current is None or fingerprint(self.path) != self._seen:
                self._db.flush()  # memtable → files, so the fingerprint taken next covers every write so far
                self._seen = fingerprint(self.path)
                self._gen += 1
                target = self.root / f"gen-{self._gen}"
                try:
                    self._db.backup(str(target))
                except OSError as e:
                    raise StoreError(f"Cannot take a snapshot of the store for the query workers in {target}: {e}") \
                        from None
                self._current = ("embedded", str(target), str(self._gen))
            return self._current

    def release(self, held: set[Location]) -> None:
        """Remove generations no worker holds any more."""
        with self._lock:
            keep = {loc[1] for loc in held} | ({self._current[1]} if self._current else set())
            for d in self.root.glob("gen-*"):
                if str(d) not in keep:
                    shutil.rmtree(d, ignore_errors=True)

    def close(self) -> None:
        self._db = None  # let the store's owner close it: this handle must not keep RocksDB's lock alive
        shutil.rmtree(self.root, ignore_errors=True)
        try:
            self.base.rmdir()  # only when no other pool of this store has snapshots
        except OSError:
            pass


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


class DirectorySource:
    """An embedded store this process opened read-only: workers reopen it when its files change."""

    sandbox_ok = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def current(self) -> Location:
        return ("embedded", str(self.path), str(hash(fingerprint(self.path))))

    def release(self, held: set[Location]) -> None:
        return None

    def close(self) -> None:
        return None


@dataclass
class RemoteSource:
    query_url: str
    union_param: str | None
    timeout: float
    sandbox_ok = False  # workers talk to the store over the network

    def current(self) -> Location:
        return ("remote", self.query_url, self.union_param or "", str(self.timeout))

    def release(self, held: set[Location]) -> None:
        return None

    def close(self) -> None:
        return None


def source_for(store: object, timeout: float) -> Source:
    """The right source for the app's store (a backend the pool cannot read from is a configuration error)."""
    from .embedded import EmbeddedStore
    from .remote import RemoteStore

    if isinstance(store, EmbeddedStore):
        if store.read_only:
            return DirectorySource(store.path)
        return SnapshotSource(store._live(), store.path)  # the checkpoint needs the read-write handle
    if isinstance(store, RemoteStore):
        return RemoteSource(store.query_url, store.union_param, timeout + 5)
    raise ConfigError(f"The SPARQL endpoint cannot read from a {type(store).__name__}")


# -- the parent's side ------------------------------------------------------------------------------------
WORKER_COMMAND = "import sys; from sparql.protocol import worker_main; worker_main(*map(int, sys.argv[1:5]))"


class Worker:
    """One worker: a fresh interpreter (never a fork of the threaded server) and a pipe each way."""

    def __init__(self, sandbox: bool, memory_mb: int = 0) -> None:
        to_child, self_in = os.pipe()  # parent writes self_in, child reads to_child
        self_out, from_child = os.pipe()  # child writes from_child, parent reads self_out
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", WORKER_COMMAND, str(to_child), str(from_child), str(int(sandbox)),
                 str(memory_mb)],
                pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL, close_fds=True,
                env={**os.environ, "RUST_BACKTRACE": "0"},  # an out-of-memory abort logs one line, not a trace
            )
        finally:
            os.close(to_child)
            os.close(from_child)
        self.outbox = Connection(self_in, readable=False)
        self.inbox = Connection(self_out, writable=False)
        ready = self.inbox.recv() if self.inbox.poll(30) else None
        if not ready:
            self.kill()
            raise StoreError("A SPARQL query worker did not start within 30 s.")
        _, self.pid, self.isolated = ready
        self.location: Location | None = None
        self.deadline = 0.0

    def _close_pipes(self) -> None:
        self.outbox.close()
        self.inbox.close()

    def kill(self) -> None:
        """SIGKILL: the query stops consuming CPU at once."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self._close_pipes()

    def stop(self) -> None:
        try:
            self.outbox.send(None)
        except OSError:
            pass
        try:
            self.proc.wait(2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self._close_pipes()


class QueryPool:
    """`workers` processes; at most `queue` more queries wait for one; each query gets `timeout` seconds."""

    def __init__(self, source: Source, *, workers: int, timeout: float, queue: int, sandbox: bool = True,
                 memory_mb: int = 0) -> None:
        if workers < 1:
            raise ConfigError(f"MEROS_SPARQL_WORKERS={workers}: at least one query worker is needed")
        self.source, self.timeout, self.queue = source, timeout, queue
        self.sandbox = sandbox and source.sandbox_ok
        self.memory_mb = memory_mb
        self._cond = threading.Condition()
        self._closed = False
        self._busy: set[Worker] = set()
        self._waiting = 0
        self._respawns: list[threading.Thread] = []
        self._idle: list[Worker] = [Worker(self.sandbox, self.memory_mb) for _ in range(workers)]
        self.size = workers

    @property
    def isolated(self) -> bool:
        """Whether the workers run without network."""
        with self._cond:
            return all(w.isolated for w in self._idle + list(self._busy))

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._idle + list(self._busy)]

    def _retry_after(self) -> int:
        now = time.monotonic()
        ends = [w.deadline - now for w in self._busy] or [1.0]
        return max(1, math.ceil(min(ends)))

    def _acquire(self) -> Worker:
        with self._cond:
            if self._closed:
                raise StoreError("The SPARQL endpoint is shutting down.")
            if not self._idle and self._waiting >= self.queue:
                raise TooBusy(f"Too many SPARQL queries at once ({self.size} running, {self._waiting} waiting; "
                              "MEROS_SPARQL_WORKERS, MEROS_SPARQL_QUEUE). Retry shortly.", self._retry_after())
            self._waiting += 1
            try:
                ready = self._cond.wait_for(lambda: self._idle or self._closed, timeout=self.timeout)
            finally:
                self._waiting -= 1
            if self._closed:
                raise StoreError("The SPARQL endpoint is shutting down.")
            if not ready:
                raise TooBusy(f"No SPARQL query worker became free within {self.timeout:g} s "
                              "(MEROS_SPARQL_WORKERS). Retry shortly.", self._retry_after())
            worker = self._idle.pop()
            worker.deadline = time.monotonic() + self.timeout
            self._busy.add(worker)
            return worker

    def _release(self, worker: Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                worker.stop()
                return
            self._idle.append(worker)
            self._cond.notify()
            held = {w.location for w in self._idle + list(self._busy) if w.location is not None}
        self.source.release(held)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker (its query stops at once) and start a new one in the background."""
        worker.kill()
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                return
            thread = threading.Thread(target=self._respawn, name="meros-sparql-respawn", daemon=True)
            self._respawns = [t for t in self._respawns if t.is_alive()] + [thread]
        thread.start()

    def _respawn(self) -> None:
        try:
            fresh = Worker(self.sandbox, self.memory_mb)
        except (StoreError, OSError):
            with self._cond:
                self.size -= 1  # the pool shrinks rather than spin; the next restart heals it
            return
        with self._cond:
            if self._closed:
                fresh.stop()
                return
            self._idle.append(fresh)
            self._cond.notify()

    def run(self, job: Job) -> Answer:
        """The answer, or QueryStopped at the limit, TooBusy when full, the worker's own error otherwise."""
        location = self.source.current()
        worker = self._acquire()
        try:
            worker.outbox.send((location, job))
            worker.location = location
            answered = worker.inbox.poll(max(worker.deadline - time.monotonic(), 0))
            reply = worker.inbox.recv() if answered else None
        except (EOFError, OSError):
            code = worker.proc.wait(10)
            self._replace(worker)
            if code == -signal.SIGABRT and self.memory_mb:
                raise QueryStopped(f"The query needed more than the {self.memory_mb} MB a query may use and was "
                                   "stopped (MEROS_SPARQL_MEMORY_MB). Narrow it down or add a LIMIT.") from None
            raise StoreError(f"The query worker stopped unexpectedly (exit {code}); the query was not answered.") \
                from None
        except BaseException:  # interrupted mid-query: the pipe may still get a stale answer
            self._replace(worker)
            raise
        if reply is None:
            self._replace(worker)
            raise QueryStopped(f"The query ran longer than the limit of {self.timeout:g} s and was stopped "
                               "(MEROS_SPARQL_TIMEOUT). Narrow it down, add a LIMIT, or ask the operator.")
        self._release(worker)
        if reply[0] == "ok":
            return reply[1]  # type: ignore[no-any-return]
        raise MerosError(reply[2], status=reply[1])

    def close(self) -> None:
        """Stop every worker and remove the snapshots; safe to call twice."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            idle, self._idle = self._idle, []
            respawns = list(self._respawns)
            for worker in self._busy:  # their request threads see the pipe close and answer 503
                worker.proc.kill()
            self._cond.notify_all()
        for worker in idle:
            worker.stop()
        for thread in respawns:
            thread.join(30)
        self.source.close()
