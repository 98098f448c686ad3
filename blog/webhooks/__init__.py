"""Webhooks: the admins' API for registering endpoints (/api/v1/webhooks)."""
