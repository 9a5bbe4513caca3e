"""The order a learner sees a question's options in: shuffled per learner, stable on re-run.

A key that is always the first option teaches the position, not the answer.  The
order is drawn from a seed made of who the learner is (their user name and
machine) and which question it is, so it differs between learners and questions
but stays the same each time the same learner re-runs the lesson.
"""

import getpass
import hashlib
import os
import random
import socket


def learner_id() -> str:
    """Who is running the lesson: 'user@host', or a fixed word where neither can be read."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = os.environ.get("USER", "learner")
    return f"{user}@{socket.gethostname() or 'host'}"


def option_order(question_key: str, count: int, learner: str | None = None) -> tuple[int, ...]:
    """A permutation of ``range(count)`` for ``learner`` (default: :func:`learner_id`).

    ``question_key`` names the question (e.g. '02-pathophysiology/scratching').
    """
    if count < 1:
        raise ValueError(f"a question needs at least one option, got {count}")
    seed_text = f"{learner if learner is not None else learner_id()}|{question_key}"
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big")
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return tuple(order)
