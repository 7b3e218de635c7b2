"""gunicorn settings of `make serve` (production-like). BIND, WORKERS, THREADS and
FORWARDED_ALLOW_IPS come from the environment.

gthread workers: each request runs in a thread of its worker while the worker's main loop
keeps answering the arbiter, so a long request (an XLSX export of 200k connections takes
~40 s) is not killed at `timeout` and holds one thread, not a whole worker: /salud and the
other pages keep being served. With sync workers, three exports occupied every worker and a
request past 30 s was cut off (a truncated CSV, a 500 for XLSX).
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
# For gthread this bounds a worker that stopped answering, not a request.
timeout = 30
# A restart lets a running export finish.
graceful_timeout = 120
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
