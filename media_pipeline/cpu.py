"""Whether this machine has a core to spare right now, read from the kernel's CPU counters.

The image pipeline can make the web derivatives beside dzsave, from a second (shrink-on-load) decode
of the original, instead of after it from the pyramid dzsave wrote: that costs more CPU in all but
finishes sooner when a core would otherwise sit idle (dzsave itself keeps about one core busy). When
the cores are taken (two workers, other load) the cheaper order is the faster one, so the choice is
made per asset from how idle the machine was since the previous asset.
"""

from __future__ import annotations

import os
import threading

_lock = threading.Lock()
_last: tuple[float, float] | None = None  # (total, idle) jiffies at the previous reading

# Idle cores, on average, at which the extra decode beside dzsave pays off: dzsave leaves most of
# one core free, and the work beside it needs about a third of a core for dzsave's duration.
SPARE_CORES = 0.5


def parse_stat(text: str) -> tuple[float, float]:
    """(all jiffies, idle jiffies) of the machine from /proc/stat's first line (idle + iowait)."""
    fields = text.split("\n", 1)[0].split()
    if not fields or fields[0] != "cpu":
        raise ValueError("not a /proc/stat cpu line")
    values = [float(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(values), values[3] + values[4]


def idle_cores(now: tuple[float, float], before: tuple[float, float], cores: int) -> float:
    """How many cores were idle on average between two readings of parse_stat()."""
    total = now[0] - before[0]
    return cores * (now[1] - before[1]) / total if total > 0 else 0.0


def spare_core(stat_path: str = "/proc/stat", cores: int | None = None) -> bool:
    """True when at least SPARE_CORES were idle since the previous call (the first call: judged from
    the load average). False where the counters cannot be read."""
    global _last
    cores = cores or os.cpu_count() or 1
    try:
        with open(stat_path, encoding="ascii") as fh:
            now = parse_stat(fh.read())
    except (OSError, ValueError):
        return False
    with _lock:
        before, _last = _last, now
    if before is None:
        return cores - os.getloadavg()[0] >= SPARE_CORES
    return idle_cores(now, before, cores) >= SPARE_CORES
