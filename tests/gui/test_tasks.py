"""The task helper: work on a worker thread, progress by signal, cancel, errors as sentences."""

from __future__ import annotations

import threading
from typing import Any

from netplanner.domain.errors import InputError
from netplanner.domain.progress import ProgressSink, check_cancelled
from netplanner.gui.tasks import TaskRunner


def test_work_runs_off_the_gui_thread_and_answers_on_it(qtbot: Any) -> None:
    runner = TaskRunner()
    gui_thread = threading.current_thread()
    seen: dict[str, Any] = {}

    def work(progress: ProgressSink) -> str:
        seen["worker"] = threading.current_thread()
        progress.report(1, 2, "half")
        return "done"

    task = runner.task(
        "t", on_success=lambda r: seen.update(result=r, at=threading.current_thread())
    )
    progress: list[tuple[int, int, str]] = []
    task.progressed.connect(lambda d, t, m: progress.append((d, t, m)))
    with qtbot.waitSignal(task.finished, timeout=5000):
        runner.start(task, work)
    assert seen["worker"] is not gui_thread
    assert seen["at"] is gui_thread
    assert seen["result"] == "done"
    assert progress == [(1, 2, "half")]
    assert not runner.busy


def test_cancel_reaches_the_work_and_reports_cancelled(qtbot: Any) -> None:
    runner = TaskRunner()
    started = threading.Event()

    def work(progress: ProgressSink) -> None:
        started.set()
        while True:
            check_cancelled(progress)
            threading.Event().wait(0.005)

    outcomes: list[str] = []
    task = runner.task("loop", on_success=lambda _r: outcomes.append("succeeded"))
    task.cancelled.connect(lambda: outcomes.append("cancelled"))
    runner.start(task, work)
    assert started.wait(5)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
    assert outcomes == ["cancelled"]


def test_user_errors_come_back_as_one_sentence(qtbot: Any) -> None:
    runner = TaskRunner(synchronous=True)
    failures: list[str] = []

    def work(_progress: ProgressSink) -> None:
        raise InputError("The file is not a vCard.")

    runner.run("bad", work, on_failure=failures.append)
    assert failures == ["The file is not a vCard."]


def test_unexpected_errors_do_not_escape_as_tracebacks(qtbot: Any, caplog: Any) -> None:
    runner = TaskRunner(synchronous=True)
    failures: list[str] = []
    with caplog.at_level("ERROR", logger="netplanner.gui.tasks"):
        runner.run("boom", lambda _p: 1 / 0, on_failure=failures.append)
    assert failures == ["Something went wrong: division by zero."]
    # The user gets one sentence; the traceback goes to the log, for the bug report.
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
