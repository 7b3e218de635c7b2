"""gunicorn settings of `make serve` (production-like). BIND, WORKERS, THREADS,
FORWARDED_ALLOW_IPS and CLIENT_TIMEOUT come from the environment.

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
# An idle kept-alive connection is closed after this many seconds.
keepalive = 5
# A client that stops sending its body or reading the answer: after this many seconds
# without progress the connection is closed and the answer's iterator closed (an export
# then releases its slot at once). gunicorn waits for a request's first bytes by itself;
# slow headers are the reverse proxy's to absorb (deploy/nginx/isp_portal.conf buffers each
# request whole before passing it on), so gunicorn listens on 127.0.0.1 only.
CLIENT_TIMEOUT = float(os.environ.get("CLIENT_TIMEOUT", "30"))
# A restart lets a running export finish.
graceful_timeout = 120
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_request(worker, req):
    """Bound every blocking read and write of this request's socket by CLIENT_TIMEOUT
    (gthread sets it blocking without a timeout). A write that cannot finish in time raises;
    gunicorn closes the connection and the response, as when a client disconnects."""
    sock = getattr(getattr(req, "unreader", None), "sock", None)
    if sock is not None and CLIENT_TIMEOUT > 0:
        sock.settimeout(CLIENT_TIMEOUT)
