"""Write the instructor notebooks of the case quizzes from the assessment data, or a private variant.

    .venv/bin/python scripts/generate_quizzes.py            # solutions/<quiz>/ for every quiz
    .venv/bin/python scripts/generate_quizzes.py --variant case-quiz-1-differentials \\
        --seed 83125 --tag spring                            # solutions/<quiz>-variant-spring/

Then ``nbgrader generate_assignment <quiz> --force`` (or ``make assignments``)
writes the student versions.  A variant's cases are drawn from the knowledge
base with the instructor's secret seed; its folder is git-ignored
(``solutions/*-variant-*``, ``assignments/*-variant-*``), so keep the seed and
never commit the folder.  ``--out`` writes it outside the repository instead.
"""

import argparse
from pathlib import Path

from widgets.core.assessment.bank import QUIZZES
from widgets.core.assessment.variants import variant
from widgets.tools.quiz_notebooks import write_quiz

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=sorted(QUIZZES), help="write a private variant")
    parser.add_argument("--seed", type=int, help="the variant's secret seed (keep it)")
    parser.add_argument("--tag", default="private", help="the variant folder's suffix")
    parser.add_argument("--out", type=Path, default=REPO / "solutions", help="source folder")
    args = parser.parse_args()
    if args.variant:
        if args.seed is None:
            parser.error("--variant needs --seed")
        quizzes = [variant(args.variant, args.seed, args.tag)]
    else:
        quizzes = list(QUIZZES.values())
    for quiz in quizzes:
        print(write_quiz(quiz, args.out))


if __name__ == "__main__":
    main()
