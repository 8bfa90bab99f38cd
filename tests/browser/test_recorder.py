"""The browser tests' own check: which requests count as leaving this machine (no browser)."""

from __future__ import annotations

from tests.browser.conftest import Recorder


def test_only_loopback_and_inline_urls_are_local():
    recorder = Recorder(requests=[
        "http://localhost:8000/static/vendor/echarts.min.js",
        "http://127.0.0.1:8000/api/health",
        "http://[::1]:8000/",
        "data:image/png;base64,AAAA",
        "blob:http://localhost:8000/1234",
        "about:blank",
        "https://cdn.jsdelivr.net/npm/echarts",
        "http://localhost.example.com/x",
        "https://fonts.googleapis.com/css?family=Noto",
    ])
    assert recorder.foreign_requests() == [
        "https://cdn.jsdelivr.net/npm/echarts",
        "http://localhost.example.com/x",
        "https://fonts.googleapis.com/css?family=Noto",
    ]
