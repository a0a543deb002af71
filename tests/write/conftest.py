"""Fixtures the writer tests share: the seed page as an Article."""

from __future__ import annotations

import pytest

from newsdesk import extract
from newsdesk.model import Article
from tests.conftest import SEED_PAGE, require_shared


@pytest.fixture
def seed_article() -> Article:
    return extract(require_shared(SEED_PAGE).read_bytes(), input_format="text")
