"""Delivery: email channels and the worker that drains the outbox."""
