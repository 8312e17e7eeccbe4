"""gunicorn settings for the portal behind deploy/nginx.conf.

    gunicorn -c deploy/gunicorn.conf.py 'portal:create_app()'

Command-line options override these (e.g. --bind, --workers). Environment variables:
GUNICORN_BIND (default 127.0.0.1:8000), GUNICORN_WORKERS (default one a core, at least 2),
GUNICORN_THREADS (default 4).
"""

import multiprocessing
import os

# Only nginx talks to the portal; it listens on loopback.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threaded workers: an upload streamed through nginx (proxy_request_buffering off) occupies
# one thread for as long as the client takes to send it, not a whole process; nginx's
# upstream keep-alive connections are honoured. Rendering is CPU-bound Python, so processes
# (not threads) are what use the cores: one a core, the threads covering the waits on the
# database. More processes than cores (the 2 x cores + 1 of synchronous workers) only take
# turns on them, and one descheduled while it holds a row lock (a survey's rate-limit counter)
# can hold up every request waiting for that row: on 2 cores five workers took fewer survey
# answers per second than two and more CPU for each (bench/README.md, survey_bench.py).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# Longer than nginx's proxy_read_timeout for uploads (600 s), so nginx answers first.
timeout = 660
graceful_timeout = 30
# A little above nginx's upstream keep-alive idle time.
keepalive = 75

# Renew workers now and then (bounded memory over weeks); jitter avoids all at once.
max_requests = 5000
max_requests_jitter = 500

# X-Forwarded-Proto and -For are trusted from nginx on this host only. The portal itself
# trusts them with PORTAL_PROXY_COUNT=1; add nginx's address here when it runs elsewhere.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Errors to stderr (the service manager's log); nginx keeps the access log.
accesslog = None
errorlog = "-"
loglevel = "info"

# Each worker builds its own app (and database engine with its own connections).
preload_app = False
