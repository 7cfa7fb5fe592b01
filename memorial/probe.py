"""A container probe without curl: `python -m memorial.probe /healthz` (or /readyz) exits 0 on 2xx.

It asks the process on this host with a Host header it accepts (the first of ALLOWED_HOSTS), so
the probe is not refused as a foreign host; it imports nothing of Django (cheap every 10 s).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/healthz"
    port = os.environ.get("PROBE_PORT", "8000")
    first = (os.environ.get("ALLOWED_HOSTS", "") or "localhost").split(",")[0].strip().lstrip(".")
    host = "localhost" if first in ("", "*") else first
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=float(os.environ.get("PROBE_TIMEOUT", "4"))) as answer:  # noqa: S310
            return 0 if 200 <= answer.status < 300 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"probe {path}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
