"""The product's rules: plain functions that flush and never commit (the caller commits)."""
