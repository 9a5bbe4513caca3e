"""Timing shared by the benchmarks: medians of CPU time, taken in turns.

The machines are shared and noisy.  Timing each action once per round, in
turns with its baseline, exposes both to the same load; CPU time ignores the
time other processes hold the core; the median ignores the odd slow round.
"""

import contextlib
import io
import statistics
import time


def median_ms_in_turns(actions: dict, repeats: int) -> dict[str, float]:
    """Median CPU time (ms) of each action, one of each per round, after a silent warm-up."""
    times = {name: [] for name in actions}
    with contextlib.redirect_stdout(io.StringIO()):
        for action in actions.values():
            action()
    for _ in range(repeats):
        for name, action in actions.items():
            start = time.process_time()
            action()
            times[name].append(time.process_time() - start)
    return {name: 1e3 * statistics.median(values) for name, values in times.items()}
