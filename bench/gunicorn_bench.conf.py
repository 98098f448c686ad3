"""The gunicorn settings every benchmarked app is served with (bench.servers.gunicorn_args).

Passed with `--config`, so that gunicorn does not read the repository's own `gunicorn.conf.py`
(production's: an access log line per request, the toxicity model loaded at worker start): run
from the repository root, our app would otherwise pay for an access log that Isso, started from
another folder, does not write. Plain assignments only: Isso's gunicorn reads this file too.
"""

worker_class = "sync"
timeout = 120
loglevel = "warning"
accesslog = None
