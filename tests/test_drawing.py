"""Drawings in several threads at once keep their settings to themselves (oicplan.drawing).

matplotlib's ``rc_context`` restores the settings it found; two threads in such blocks
at once restored each other's, and a setting of one drawing (``font.family``) stayed
for the rest of the process, so a later network picture named other fonts.
"""

from __future__ import annotations

import threading
import time

import matplotlib
import numpy as np
import pandas as pd

from oicplan.drawing import drawing


def _race(block) -> None:
    """Two threads entering and leaving ``block(settings)`` blocks, interleaved."""

    def worker(settings, pause):
        for _ in range(60):
            with block(settings):
                time.sleep(pause)

    threads = [
        threading.Thread(target=worker, args=({"font.family": ["DejaVu Sans"]}, 0.0005)),
        threading.Thread(target=worker, args=({"font.family": ["serif"]}, 0.0007)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_threads_in_drawing_blocks_leave_the_settings_as_they_were():
    before = list(matplotlib.rcParams["font.family"])
    _race(drawing)
    assert list(matplotlib.rcParams["font.family"]) == before


def test_the_race_is_real_with_bare_rc_context():
    """The oracle: without the lock the same race leaves a drawing's setting behind."""
    before = list(matplotlib.rcParams["font.family"])
    try:
        for _ in range(5):
            _race(matplotlib.rc_context)
            if list(matplotlib.rcParams["font.family"]) != before:
                break
        assert list(matplotlib.rcParams["font.family"]) != before
    finally:
        matplotlib.rcParams["font.family"] = before


def test_a_network_picture_is_the_same_while_another_thread_draws_charts():
    from oicplan.network import network_svg
    from oicplan.uncertainty.plots import plot_correlation
    from tests.network.test_picture import _network

    alone = network_svg(_network())
    corr = pd.DataFrame(np.eye(3), index=list("abc"), columns=list("abc"))
    stop = threading.Event()

    def charts():
        while not stop.is_set():
            plot_correlation(corr)

    other = threading.Thread(target=charts)
    other.start()
    try:
        drawn = [network_svg(_network()) for _ in range(3)]
    finally:
        stop.set()
        other.join()
    assert all(svg == alone for svg in drawn)
    assert network_svg(_network()) == alone
