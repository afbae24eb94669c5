"""Ending a worker thread: the one way the loader and the index builder stop their jobs."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QThread


def end_worker(
    thread: QThread | None, worker: QObject | None, signal_names: tuple[str, ...]
) -> None:
    """Disconnect the worker's signals (events already queued are dropped), then wait for the
    thread to finish and schedule its deletion. The caller cancels the worker first."""
    if worker is not None:
        for name in signal_names:
            signal = getattr(worker, name, None)
            if signal is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect()
    if thread is not None:
        thread.quit()
        thread.wait()
        thread.deleteLater()
