"""The cohort hub end to end: a real JupyterHub on loopback, real accounts, a real quiz cycle.

One instructor and three residents (unique ``t…`` account names, removed afterwards)
log in through the hub's login page in headless Chromium.  The instructor works in
formgrader, opened in its own tab from the hub, and drives it as its buttons do
(the formgrader API, with the page's XSRF cookie); the residents' fetch and submit go
through their own servers' assignment-list API, so every exchange step runs under the
resident's own uid.  Then: a right, a partly right and a blank answer get ordered
marks, the feedback reaches each resident, grades export, nobody reaches anybody
else's server or formgrader, and a restart of the hub keeps all of it.

Needs root (Unix accounts), the cohort environment and the proxy (``make test`` sets
them up); skipped elsewhere, failed under CI=true.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import nbformat
import pytest
from own_loop import run_on_own_loop

from widgets.tools.browser import ARTIFACTS, chromium_path, launch_chromium
from widgets.tools.nbgrader_course import fill_answers, partial_overrides, visible_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "hub"))

from cgroups import read_limits  # noqa: E402
from cohort import (  # noqa: E402
    COURSE_ID,
    ENV_BIN,
    PROXY,
    Cohort,
    Settings,
    course_dir,
    grader_nbgrader,
    processes_of,
    remove,
    setup,
)
from kernel_client import KernelSession  # noqa: E402
from launch import Hub, free_port_block, start_hub  # noqa: E402

QUIZ = "case-quiz-1-differentials"
FORMGRADER = f"/services/{COURSE_ID}/formgrader"
GiB = 2**30


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub test creates Unix accounts: run it as root"
    if not (ENV_BIN / "jupyterhub").exists() or not PROXY.exists():
        return "no cohort environment: run `make test` (or `make hub`) once to build it"
    if chromium_path() is None:
        return "no Chromium: apt-get install chromium"
    return None


@pytest.fixture(scope="module")
def cohort_hub():
    """A throw-away cohort and its hub; every account, process, cgroup and folder goes afterwards."""
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    prefix = f"t{os.urandom(3).hex()}"
    workdir = Path(tempfile.mkdtemp(prefix="cohort-hub-"))
    workdir.chmod(0o755)  # the residents' homes live below it
    cohort_file = workdir / "cohort.toml"
    cohort_file.write_text(
        f'instructors = ["{prefix}-inst"]\n'
        f'students = ["{prefix}-right", "{prefix}-part", "{prefix}-blank"]\n'
        f'grader = "{prefix}-grader"\n'
    )
    settings = Settings(
        cohort_file=cohort_file,
        state_dir=workdir / "state",
        home_base=workdir / "state" / "home",
        ip="127.0.0.1",
        port=free_port_block(),
    )
    cohort = Cohort.load(cohort_file)
    hubs: list[Hub] = []
    try:
        passwords = setup(settings, cohort)
        hubs.append(start_hub(settings, workdir / "hub.log"))
        yield hubs, settings, cohort, passwords
    finally:
        for hub in hubs:
            hub.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        if (workdir / "hub.log").exists():
            shutil.copy2(workdir / "hub.log", ARTIFACTS / "hub.log")
        remove(settings, cohort)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, chromium_path())
        try:
            yield chromium
        finally:
            chromium.close()


def log_in(browser, hub: Hub, name: str, password: str):
    """A fresh browser profile that logs in on the hub's page and lands in its own JupyterLab."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=180_000)
    page.wait_for_selector(".jp-LabShell", timeout=180_000)
    return page


def formgrader_call(page, path: str) -> dict:
    """POST to formgrader's API from its own tab, with the page's XSRF cookie, as its buttons do."""
    status, body = page.evaluate(
        """async (url) => {
            const xsrf = decodeURIComponent((document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '');
            const response = await fetch(url, {method: 'POST', headers: {'X-XSRFToken': xsrf}});
            return [response.status, await response.text()];
        }""",
        f"{FORMGRADER}/api/{path}",
    )
    assert status == 200, f"formgrader {path} -> {status}: {body[:1000]}"
    answer = json.loads(body)
    assert answer.get("success", True), f"formgrader {path} failed: {answer}"
    return answer


def assignment_action(hub: Hub, student: str, action: str) -> list[dict]:
    """fetch / submit / fetch_feedback in the resident's own server (so as the resident's uid)."""
    answer = hub.api(
        "POST",
        f"/user/{student}/assignments/{action}",
        {"assignment_id": QUIZ, "course_id": COURSE_ID},
    )
    assert answer.get("success", True), f"{action} for {student}: {answer}"
    return answer["value"]


def contents(hub: Hub, student: str, path: str) -> dict:
    return hub.api("GET", f"/user/{student}/api/contents/{quote(path)}?content=1")


def wait_for_formgrader(hub: Hub, seconds: float = 120) -> None:
    """The hub starts formgrader with itself; wait until the service answers through the proxy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if hub.request("GET", f"{FORMGRADER}/api/status", timeout=10)[0] == 200:
            return
        time.sleep(0.5)
    raise TimeoutError(f"formgrader did not answer in {seconds} s:\n{hub.log_tail()}")


def kernel_run(hub: Hub, user: str, code: str):
    async def go():
        session = await KernelSession.start(f"{hub.url}/user/{user}", hub.token)
        try:
            return await session.run(code, timeout=120)
        finally:
            await session.shutdown()

    return run_on_own_loop(go())


@pytest.mark.parametrize(
    "text, complaint",
    [
        ('instructors = ["Dr Lee"]\n', "not a valid account name"),
        ('instructors = ["lee"]\nstudents = ["ana", "lee"]\n', "appears twice"),
        ('students = ["ana"]\n', "at least one instructor"),
        ('instructors = ["lee"]\nstudent = ["ana"]\n', "unknown keys"),
        ('instructors = ["lee"]\nstudents = ["../etc"]\n', "not a valid account name"),
    ],
)
def test_a_bad_cohort_file_is_refused_before_any_account_is_made(tmp_path, text, complaint):
    path = tmp_path / "cohort.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=complaint):
        Cohort.load(path)


def test_the_example_cohort_file_loads():
    cohort = Cohort.load(REPO / "hub" / "cohort.example.toml")
    assert cohort.instructors and cohort.students and cohort.grader not in cohort.people


@pytest.mark.hub
@pytest.mark.timeout(900)
def test_a_cohort_runs_a_quiz_on_the_hub(cohort_hub, browser):
    hubs, settings, cohort, passwords = cohort_hub
    hub = hubs[0]
    instructor = cohort.instructors[0]
    right, part, blank = cohort.students
    source = nbformat.read(REPO / "solutions" / QUIZ / f"{QUIZ}.ipynb", as_version=4)

    # A wrong password is refused; everyone else logs in through the page and lands in JupyterLab.
    stranger = browser.new_context().new_page()
    stranger.goto(f"{hub.url}/hub/login")
    stranger.fill("#username_input", right)
    stranger.fill("#password_input", "not-the-password")
    stranger.click("#login_submit")
    stranger.wait_for_selector("text=Invalid username or password", timeout=30_000)
    pages = {name: log_in(browser, hub, name, passwords[name]) for name in cohort.people}
    for name in cohort.people:
        lessons = contents(hub, name, "lessons")
        assert "00-start-here.ipynb" in {item["name"] for item in lessons["content"]}

    # The instructor finds formgrader on the hub and opens it in a tab of its own: no frame.
    wait_for_formgrader(hub)
    home = pages[instructor]
    home.goto(f"{hub.url}/hub/home")
    assert home.locator(f"a[href*='/services/{COURSE_ID}']").count() >= 1
    formgrader = home.context.new_page()
    response = formgrader.goto(f"{hub.url}{FORMGRADER}/manage_assignments")
    assert response.ok
    formgrader.wait_for_selector(f"text={QUIZ}", timeout=60_000)
    assert formgrader.evaluate("window.top === window.self")

    formgrader_call(formgrader, f"assignment/{QUIZ}/assign")
    formgrader_call(formgrader, f"assignment/{QUIZ}/release")

    # Residents fetch, answer (right, partly right, blank) and submit from their servers.
    answers = {right: {}, part: partial_overrides(source), blank: None}
    for student, overrides in answers.items():
        fetched = assignment_action(hub, student, "fetch")
        assert any(item["status"] == "fetched" for item in fetched)
        path = f"{QUIZ}/{QUIZ}.ipynb"
        if overrides is not None:
            release = nbformat.from_dict(contents(hub, student, path)["content"])
            filled = fill_answers(release, source, overrides)
            hub.api(
                "PUT",
                f"/user/{student}/api/contents/{path}",
                {"type": "notebook", "format": "json", "content": filled},
            )
        assignment_action(hub, student, "submit")

    # The instructor collects, autogrades (with the course's config), releases feedback.
    collected = formgrader_call(formgrader, f"assignment/{QUIZ}/collect")
    assert "cheating attempt" not in collected.get("log", "")
    for student in cohort.students:
        formgrader_call(formgrader, f"submission/{QUIZ}/{student}/autograde")
    formgrader_call(formgrader, f"assignment/{QUIZ}/generate_feedback")
    formgrader_call(formgrader, f"assignment/{QUIZ}/release_feedback")
    submissions = hub.api("GET", f"{FORMGRADER}/api/submissions/{QUIZ}")
    scores = {item["student"]: item["score"] for item in submissions}
    top = submissions[0]["max_score"]
    assert scores[right] > scores[part] > scores[blank] == 0, scores
    # Full marks for every autograded cell; the written justifications wait for the instructor.
    (best,) = [item for item in submissions if item["student"] == right]
    assert best["code_score"] == pytest.approx(best["max_code_score"]), best

    # Each resident fetches their feedback and sees their own mark in it.
    for student in cohort.students:
        assignment_action(hub, student, "fetch_feedback")
        (fetched,) = contents(hub, student, f"{QUIZ}/feedback")["content"]  # one per submission
        (page,) = [
            item
            for item in contents(hub, student, fetched["path"])["content"]
            if item["name"].endswith(".html")
        ]
        shown = visible_text(contents(hub, student, page["path"])["content"])
        mark = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", shown)
        assert mark, shown[:600]
        assert [float(number) for number in mark.groups()] == pytest.approx(
            [scores[student], top], abs=0.01
        )

    # Grades export (nbgrader export, as the grader, in the course folder).
    course = course_dir(settings, cohort)
    assert grader_nbgrader(settings, cohort, ["export"]) == 0
    with (course / "grades.csv").open() as handle:
        rows = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(handle)}
    assert rows == pytest.approx({student: scores[student] for student in cohort.students})

    # Nobody reaches another resident's server or formgrader: 403 in the browser.
    visitor = pages[right]
    assert visitor.goto(f"{hub.url}/user/{part}/lab").status == 403
    assert visitor.goto(f"{hub.url}{FORMGRADER}/manage_assignments").status == 403
    # ... nor their files: Unix permissions, checked in the resident's own kernel.
    probe = kernel_run(
        hub,
        right,
        "import os\n"
        f"for target in [{str(settings.home_base / part)!r}, {str(course)!r}]:\n"
        "    try:\n"
        "        os.listdir(target)\n"
        "        print('READ', target)\n"
        "    except PermissionError:\n"
        "        print('denied', target)\n",
    )
    assert probe.stdout.count("denied") == 2 and "READ" not in probe.stdout, probe

    # The limits in the config hold in each server's cgroup; a cell past 1 GiB dies alone.
    (pid,) = [
        pid for pid, command in processes_of(right).items() if "jupyterhub-singleuser" in command
    ]
    assert read_limits(pid) == {"memory": 1 * GiB, "cpu_quota_us": 100_000}
    hog = kernel_run(hub, right, "block = b'x' * (1536 * 2**20)\nprint('survived')")
    assert hog.kernel_died and "survived" not in hog.stdout, hog
    assert hub.api("GET", f"/user/{part}/api/status")

    # A restart of the hub keeps log-ins, the exchange, every file and the gradebook.
    hub.stop()
    hub = start_hub(settings, hub.log, token=hub.token)
    hubs.append(hub)
    wait_for_formgrader(hub)
    back = pages[part]
    back.goto(f"{hub.url}/hub/home")
    assert "/hub/login" not in back.url  # the session cookie is still good
    hub.start_server(part)
    listed = assignment_action(hub, part, "fetch_feedback")
    assert {item["status"] for item in listed} >= {"fetched", "submitted"}
    assert contents(hub, part, f"{QUIZ}/{QUIZ}.ipynb")["content"]["cells"]
    assert contents(hub, part, f"{QUIZ}/feedback")["content"]
    after = hub.api("GET", f"{FORMGRADER}/api/submissions/{QUIZ}")
    assert {item["student"]: item["score"] for item in after} == scores
    users = {user["name"] for user in hub.api("GET", "/hub/api/users")}
    assert set(cohort.people) <= users
