"""The moderation API: queues, decisions, bans and the audit log."""
