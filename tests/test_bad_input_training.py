"""잘못된 입력 4: 될 수 없는 훈련 설정은 훈련을 시작하기 전에 (모델을 건드리지 않고) 거절."""

import math

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from aelib.errors import LabelError, ShapeError, TrainingSettingsError
from aelib.model import Autoencoder
from aelib.train import History, evaluate, fit


class Counting(Autoencoder):
    """손실을 몇 번 계산했는지 세는 오토인코더: 0이면 훈련이 시작되지 않은 것."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def losses(self, x, labels=None):
        self.calls += 1
        return super().losses(x, labels)


def data(n=20):
    g = torch.Generator().manual_seed(0)
    return TensorDataset(torch.rand(n, 1, 32, 32, generator=g), torch.arange(n) % 10)


def refused(error=TrainingSettingsError, *args, **kwargs):
    """fit(*args, **kwargs)가 error로 거절되고 모델이 그대로인지 확인하고, 오류를 돌려줍니다."""
    model = Counting()
    start = {k: v.clone() for k, v in model.state_dict().items()}
    model.train(False)
    with pytest.raises(error) as err:
        fit(model, *args, progress=False, **kwargs)
    assert model.calls == 0
    assert all(torch.equal(start[k], v) for k, v in model.state_dict().items())
    return err.value


@pytest.mark.parametrize("batch_size", [0, -100, 100.0, 2.5, "100", True, None])
def test_batch_size(batch_size):
    err = refused(TrainingSettingsError, data(), batch_size=batch_size)
    assert "batch_size" in err.korean and "batch_size" in err.english and repr(batch_size)[:3] in str(err)


@pytest.mark.parametrize("epochs", [-1, 1.5, "3", None])
def test_epochs(epochs):
    err = refused(TrainingSettingsError, data(), epochs=epochs)
    assert err.korean.startswith("epochs") and err.english.startswith("epochs")


@pytest.mark.parametrize("lr, words", [(0, "0보다 커야"), (-1e-3, "0보다 커야"), (math.nan, "유한한"),
                                       (math.inf, "유한한"), ("1e-3", "실수여야"), (None, "실수여야")])
def test_learning_rate(lr, words):
    err = refused(TrainingSettingsError, data(), lr=lr)
    assert err.korean.startswith("lr") and words in err.korean and err.english.startswith("lr")


@pytest.mark.parametrize("device, words", [("gpu", "알 수 없는 장치"), ("cuda:7", "장치가 없습니다"),
                                           ("meta", "장치가 없습니다"), ("tpu", "알 수 없는 장치")])
def test_device(device, words):
    if device == "cuda:7" and torch.cuda.device_count() > 7:
        pytest.skip("이 컴퓨터에는 cuda:7이 있음")
    err = refused(TrainingSettingsError, data(), device=device)
    assert words in err.korean and repr(device) in err.korean and "device" in err.english


def test_empty_dataset():
    err = refused(TrainingSettingsError, data(0))
    assert "train_set" in err.korean and "비어 있습니다" in err.korean and "empty" in err.english
    err = refused(TrainingSettingsError, data(), data(0))
    assert "val_set" in err.korean


@pytest.mark.parametrize("train_set, words", [
    (torch.rand(20, 1, 32, 32), "TensorDataset"),
    ([(torch.rand(1, 32, 32), 0)] * 3, "TensorDataset"),
    (None, "TensorDataset"),
])
def test_not_a_tensor_dataset(train_set, words):
    err = refused(TrainingSettingsError, train_set)
    assert words in err.korean and "load_fashion_mnist" in err.korean


def test_images_of_the_wrong_shape_and_bad_labels():
    refused(ShapeError, TensorDataset(torch.rand(20, 28, 28), torch.arange(20) % 10))
    err = refused(LabelError, TensorDataset(torch.rand(20, 1, 32, 32), torch.arange(20)))
    assert "[10, 11" in err.korean and "0–9" in err.korean
    refused(LabelError, TensorDataset(torch.rand(20, 1, 32, 32), torch.full((20,), 0.5)))


def test_other_settings():
    assert "precision" in str(refused(TrainingSettingsError, data(), precision="fp8"))
    err = refused(TrainingSettingsError, data(), kernels="turbo")
    assert "'turbo'" in err.korean and "'fast'" in err.english
    assert "history" in str(refused(TrainingSettingsError, data(), history={"train": {}}))
    assert "seed" in str(refused(TrainingSettingsError, data(), seed=0.5))
    with pytest.raises(TrainingSettingsError, match="losses"):
        fit(torch.nn.Linear(2, 2), data(), progress=False)
    with pytest.raises(TrainingSettingsError, match="model"):
        fit("autoencoder", data(), progress=False)


def test_evaluate_checks_too():
    model = Autoencoder()
    with pytest.raises(TrainingSettingsError, match="batch_size"):
        evaluate(model, data(), batch_size=0)
    with pytest.raises(TrainingSettingsError, match="비어 있습니다"):
        evaluate(model, data(0))
    with pytest.raises(TrainingSettingsError, match="gpu"):
        evaluate(model, data(), device="gpu")


def test_settings_that_can_work_still_train():
    model = Counting()
    h = fit(model, data(), epochs=0, progress=False)
    assert h.epochs == 0 and model.calls == 0  # 0 에포크는 될 수 있는 설정: 아무것도 하지 않음
    h = fit(model, data(), data(10), epochs=1, batch_size=np.int64(7), lr=np.float32(1e-3), device="cpu",
            seed=np.int64(1), history=History(), progress=False)
    assert h.epochs == 1 and model.calls == 3 + 1 and len(h.val["bce"]) == 1  # 3 배치 + 검증 1번
    h = fit(model, data(), epochs=1, batch_size=500, lr=1, progress=False)  # 데이터보다 큰 배치, 정수 lr
    assert h.epochs == 1
