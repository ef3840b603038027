"""The office clock fixed for a test module: `_clock = fixed_clock(NOW)` at module level
gives every test of the module `clock.now() == NOW` and restores the real clock after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from hotline_tui.services import clock


def fixed_clock(now: datetime) -> Callable[[], Iterator[None]]:
    @pytest.fixture(autouse=True)
    def _clock() -> Iterator[None]:
        clock.set_fixed(now)
        yield
        clock.set_fixed(None)

    return _clock
