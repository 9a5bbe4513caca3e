"""Item analysis of an autograded quiz: difficulty, discrimination, wrong answers, calibration.

    .venv/bin/python scripts/item_analysis.py case-quiz-1-differentials [--root .] [--png out.png]

Reads the course's gradebook (``<root>/gradebook.db``) and the autograded
notebooks, prints a table per item and the quiz's reliability, and writes a PNG
(default ``item-analysis-<quiz>.png`` in the current folder).  Run it after
``nbgrader autograde`` (``make item-analysis QUIZ=<quiz>``).
"""

import argparse
from pathlib import Path

from widgets.grading.item_analysis import report
from widgets.tools.gradebook_items import plot_analysis, quiz_item_analysis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quiz", help="the quiz folder name, e.g. case-quiz-1-differentials")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course directory")
    parser.add_argument("--png", type=Path, help="where to write the plot")
    args = parser.parse_args()
    if not (args.root / "gradebook.db").exists():
        raise SystemExit(f"No gradebook at {args.root / 'gradebook.db'}: autograde the quiz first.")
    analysis = quiz_item_analysis(args.root, args.quiz)
    if not analysis.students:
        raise SystemExit(f"No autograded submission of {args.quiz} in the gradebook.")
    print(report(analysis, args.quiz))
    png = plot_analysis(analysis, args.quiz, args.png or Path(f"item-analysis-{args.quiz}.png"))
    print(f"\nPlot: {png}")


if __name__ == "__main__":
    main()
