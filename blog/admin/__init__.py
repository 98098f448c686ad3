"""The moderators' admin pages: the queue, the audit log and users (HTML, plain forms)."""
