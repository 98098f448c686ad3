"""The benchmark harness: the product against Isso and a ceiling app, in one run (issue 8).

`python -m bench --help` from the repository root; bench/README.md explains what is measured.
"""
