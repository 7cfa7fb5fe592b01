"""Fill in deploy/nginx.conf's ${MEMORIES_*} placeholders, as the official nginx image does.

    python deploy/render_nginx.py MEMORIES_LISTEN=127.0.0.1:8080 ... > site.conf
    python deploy/render_nginx.py --standalone PREFIX KEY=VALUE ... > nginx.conf   (nginx -c, -p PREFIX)

`--standalone` wraps the server in a whole main configuration (pid, logs and temporary files
under PREFIX) for an nginx started as a local process (a stack test, a benchmark). nginx's own
$variables are left alone; a placeholder without a value is an error, never an empty directive.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf")
PLACEHOLDER = re.compile(r"\$\{(MEMORIES_[A-Z_]+)\}")
DEFAULTS = {"MEMORIES_TLS": "", "MEMORIES_SERVER_NAME": "_",
            "MEMORIES_GATE_CACHE": "/var/cache/nginx/memories-gate"}

STANDALONE = """{user}worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{server}
}}
"""


def render(values: dict[str, str], template: str | None = None) -> str:
    text = TEMPLATE.read_text() if template is None else template
    values = {**DEFAULTS, **values}
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def standalone(prefix: str, values: dict[str, str], workers: int = 1, user: str | None = None) -> str:
    """`user`: the account nginx's workers run as when started by root (nginx's default is nobody,
    which cannot read files under a private folder such as a test's)."""
    values = {"MEMORIES_GATE_CACHE": f"{prefix.rstrip('/')}/gate-cache",
              "MEMORIES_DOCUMENT_ROOT": f"{prefix.rstrip('/')}/no-documents/", **values}
    return STANDALONE.format(prefix=prefix.rstrip("/"), workers=workers, server=render(values),
                             user=f"user {user};\n" if user else "")


def main(argv: list[str]) -> int:
    args = argv[1:]
    prefix = None
    if args[:1] == ["--standalone"]:
        prefix, args = args[1], args[2:]
    values = dict(arg.split("=", 1) for arg in args)
    sys.stdout.write(standalone(prefix, values) if prefix else render(values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
