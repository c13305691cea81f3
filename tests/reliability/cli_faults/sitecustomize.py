"""Loaded by every Python process started with this folder on PYTHONPATH (the interpreter imports
`sitecustomize` at startup): it arms the fault injection of tests/reliability/faults.py in the real CLI,
`python -m pipelines run`, when NEWS_FAULT_KILL or NEWS_FAULT_LOG is set. Production code has no hooks."""

import os

if os.environ.get("NEWS_FAULT_KILL") or os.environ.get("NEWS_FAULT_LOG"):
    from tests.reliability.faults import install_from_env

    install_from_env()
