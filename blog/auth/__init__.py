"""Accounts: the auth API, the sign-in pages, and who may do what."""
