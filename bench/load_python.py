"""The all-Python load client of bench/load.py (`--client python`) and the result row both use.

Python threads with http.client, mixing every page type at once; it competes with the server for
the same cores, so its figures are pessimistic (wrk is the default driver)."""

from __future__ import annotations

import http.client
import itertools
import random
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

PAGE_TYPES = ("static", "home", "exhibition", "item", "search", "manifest", "tile")


class Client(threading.Thread):
    def __init__(self, port: int, plan, stop_at: float, budget, results, errors, lock, think: float = 0.0):
        super().__init__(daemon=True)
        self.think = think
        self.port, self.plan, self.stop_at, self.budget = port, plan, stop_at, budget
        self.results, self.errors, self.lock = results, errors, lock

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def run(self) -> None:
        conn = self._connect()
        local = defaultdict(list)
        local_errors = defaultdict(list)
        for kind, url in self.plan:
            if time.time() >= self.stop_at or next(self.budget) <= 0:
                break
            start = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200:
                    local_errors[kind].append(f"{response.status} {url}")
                else:
                    local[kind].append(elapsed)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = self._connect()
            except (OSError, http.client.HTTPException) as exc:
                local_errors[kind].append(f"{type(exc).__name__} {url}")
                conn.close()
                conn = self._connect()
            if self.think:
                time.sleep(self.think)
        conn.close()
        with self.lock:
            for kind, values in local.items():
                self.results[kind].extend(values)
            for kind, values in local_errors.items():
                self.errors[kind].extend(values)


def _budget(total: int | None):
    counter = itertools.count()
    lock = threading.Lock()
    while True:
        with lock:
            n = next(counter)
        yield 1 if total is None or n < total else 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return values[k]


def drive(port: int, urls: dict[str, list[str]], clients: int, duration: float, total: int | None,
          think: float = 0.0):
    kinds = list(urls)
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    budget = _budget(total)
    stop_at = time.time() + duration
    threads = []
    for i in range(clients):
        rng = random.Random(i)
        plan = ((kinds[(i + n) % len(kinds)], rng.choice(urls[kinds[(i + n) % len(kinds)]]))
                for n in itertools.count())
        threads.append(Client(port, plan, stop_at, budget, results, errors, lock, think))
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 60)
    return results, errors, time.perf_counter() - started


@dataclass
class Row:
    kind: str
    requests: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    errors: int
    samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")


def python_rows(results, errors, wall: float) -> list[Row]:
    rows = []
    for kind in PAGE_TYPES:
        values = results.get(kind, [])
        if not values and not errors.get(kind):
            continue
        p50, p95, p99 = (percentile(values, q) * 1000 for q in (50, 95, 99))
        rows.append(Row(kind, len(values), wall, p50, p95, p99, len(errors.get(kind, [])), errors.get(kind, [])[:3]))
    return rows
