"""Seed Isso's database through Isso's own storage layer (run by Isso's virtualenv, not ours).

Usage: `.venv-isso/bin/python bench/isso_seed.py ISSO_CONFIG THREADS_JSON`. Going through
`isso.db.SQLite3` rather than raw SQL keeps Isso's schema, triggers and reply flattening exactly as
its API would leave them, while taking seconds instead of a thousand HTTP round trips.
"""

import json
import sys

from isso import config
from isso.db import SQLite3

#: Isso's comment mode for a published (not pending) comment.
PUBLISHED = 1


def seed(conf_path: str, threads_path: str) -> int:
    """Create every thread and its comments; return how many comments were written."""
    conf = config.load(config.default_file(), conf_path)
    database = SQLite3(conf.get("general", "dbpath"), conf)
    with open(threads_path, encoding="utf-8") as handle:
        threads = json.load(handle)
    written = 0
    for thread in threads:
        database.threads.new(thread["uri"], thread["title"])
        ids = []
        for comment in thread["comments"]:
            parent = None if comment["parent"] is None else ids[comment["parent"]]
            row = database.comments.add(thread["uri"], {
                "text": comment["text"], "author": comment["author"]["display_name"],
                "email": comment["author"]["email"], "website": None, "parent": parent,
                "created": comment["created"], "mode": PUBLISHED, "remote_addr": "127.0.0.1",
                "notification": 0,
            })
            ids.append(row["id"])
            written += 1
    return written


if __name__ == "__main__":
    print(seed(sys.argv[1], sys.argv[2]))
