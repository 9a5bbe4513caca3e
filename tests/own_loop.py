"""Run a coroutine on an event loop of its own.

Playwright's sync API keeps an event loop running in the main thread of any test worker
that has run a browser test, so ``asyncio.run`` there fails: a fresh thread has no loop.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_on_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()
