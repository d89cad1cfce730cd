import pytest

from aelib.data import load_fashion_mnist


@pytest.fixture(scope="session")
def train_set():
    return load_fashion_mnist("train")


@pytest.fixture(scope="session")
def test_set():
    return load_fashion_mnist("test")

