"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (see README).

Every value can be set from the environment (GUNICORN_*), or overridden on the command line.
"""

import os

from blog.ops import gunicorn_errors

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
#: The longest request line gunicorn reads (8190 is its maximum). The app refuses an address
#: longer than MAX_URL_LENGTH (8000 by default) itself, with a documented 414 problem+json, so
#: this limit is met only by lines longer still.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))

gunicorn_errors.install()


def post_worker_init(worker):
    """Load the toxicity model (about 1.5 s, 70 MB per worker), and with RELATED_SEMANTIC on the
    WordLlama model (0.24 s, 16 MB), before the worker's first request rather than inside the
    first comment or publish it is sent."""
    from blog.services import related_semantic, toxicity

    toxicity.warm_up()
    if worker.wsgi.config.get("RELATED_SEMANTIC"):
        related_semantic.warm_up()
