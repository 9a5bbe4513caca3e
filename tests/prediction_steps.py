"""Browser steps for the lessons' committed predictions (``widgets.views.prediction``).

A prediction is a ``.course-prediction`` box; what it guards is its
``.course-prediction-result`` box, hidden (``display: none``) until the learner
presses ``.course-prediction-commit``.  The steps use the keyboard, as a learner
without a mouse would.
"""

from widgets.tools.browser import ACTIVE_PANEL, FIGURE_CANVAS

PREDICTIONS = f"{ACTIVE_PANEL} .course-prediction"
# Per prediction on the page: is its result hidden, and is its comparison shown?
GUARD_STATES = f"""() => [...document.querySelectorAll({PREDICTIONS!r})].map(box => {{
  const result = box.querySelector('.course-prediction-result');
  return {{
    hidden: !result || getComputedStyle(result).display === 'none',
  }};
}})"""
# The result of prediction ``index`` is on screen: displayed, with a size, and any
# figure in it has pixels that are not all white.
RESULT_SHOWN = f"""(index) => {{
  const box = document.querySelectorAll({PREDICTIONS!r})[index];
  const result = box && box.querySelector('.course-prediction-result');
  if (!result || getComputedStyle(result).display === 'none') return false;
  if (result.getBoundingClientRect().height < 20) return false;
  if (!/Your prediction/.test(box.innerText)) return false;
  for (const canvas of result.querySelectorAll({FIGURE_CANVAS!r})) {{
    if (!canvas.width || !canvas.height) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = false;
    for (let i = 0; i < pixels.length; i += 4) {{
      if (pixels[i + 3] && (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250)) {{
        inked = true;
        break;
      }}
    }}
    if (!inked) return false;
  }}
  return true;
}}"""


def guard_states(tab) -> list[dict]:
    """For each prediction on the page: whether its result is hidden."""
    return tab.page.evaluate(GUARD_STATES)


def commit_prediction(tab, index: int, timeout_ms: int = 20_000) -> None:
    """Answer prediction ``index`` by keyboard (first option, or one step on a slider), commit
    it with Enter and wait until its result is on screen."""
    box = tab.page.query_selector_all(PREDICTIONS)[index]
    box.scroll_into_view_if_needed()
    radio = box.query_selector(".widget-radio-box input[type=radio]")
    if radio is not None:
        radio.focus()
        tab.page.keyboard.press("Space")
    else:
        box.query_selector(".noUi-handle").focus()
        tab.page.keyboard.press("ArrowRight")
    button = box.query_selector("button.course-prediction-commit")
    tab.page.wait_for_function(
        "button => !button.disabled", arg=button, timeout=timeout_ms, polling=50
    )
    button.focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(RESULT_SHOWN, arg=index, timeout=timeout_ms, polling=100)


def commit_every_prediction(tab) -> int:
    """Commit each prediction on the page in turn; returns how many there were."""
    count = len(tab.page.query_selector_all(PREDICTIONS))
    for index in range(count):
        commit_prediction(tab, index)
    tab.settle()
    return count
