"""What this machine lets jumeau use."""

from __future__ import annotations

import os


def allowed_cpus() -> int:
    """CPUs this process may run on (its affinity on Linux, else every CPU)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
