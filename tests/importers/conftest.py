from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def akn_file():
    def path(name):
        return FIXTURES / "akn" / name

    return path
