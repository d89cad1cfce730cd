import pytest
import torch
from torch.utils.data import TensorDataset

from aelib.data import class_subset
from aelib.model import Autoencoder
from aelib.train import History, batches, choose_device, evaluate, fit, seed_everything


@pytest.fixture(scope="module")
def small(train_set):
    return class_subset(train_set, 100)  # 1000장


def test_short_training_lowers_the_loss(small, test_set):
    seed_everything(0)
    model = Autoencoder()
    val = class_subset(test_set, 20)
    before = evaluate(model, val)["bce"]
    history = fit(model, small, val, epochs=2, progress=False)
    assert history.epochs == 2 and not history.interrupted
    assert history.val["bce"][-1] < before - 0.1
    assert history.train["bce"][1] < history.train["bce"][0]
    assert evaluate(model, val)["bce"] == pytest.approx(history.val["bce"][-1])


def test_same_seed_gives_the_same_numbers(small):
    runs = []
    for _ in range(2):
        seed_everything(3)
        model = Autoencoder()
        history = fit(model, small, epochs=1, seed=3, progress=False)
        runs.append((history.train["bce"], model.encoder.model[0].weight.detach().clone()))
    assert runs[0][0] == runs[1][0]
    assert torch.equal(runs[0][1], runs[1][1])


class InterruptAfter(Autoencoder):
    """``steps``번째 배치에서 Ctrl-C를 흉내 내는 오토인코더."""

    def __init__(self, steps):
        super().__init__()
        self.steps_left = steps

    def losses(self, x, labels=None):
        if self.steps_left == 0:
            raise KeyboardInterrupt
        self.steps_left -= 1
        return super().losses(x)


def test_keyboard_interrupt_keeps_model_and_history(small):
    seed_everything(0)
    model = InterruptAfter(steps=15)  # 1000장, 배치 100 → 에포크 1은 10스텝, 에포크 2의 6번째에서 멈춤
    start = model.encoder.model[0].weight.detach().clone()
    history = fit(model, small, epochs=3, progress=False)
    assert history.interrupted and history.epochs == 1
    assert not torch.equal(start, model.encoder.model[0].weight)  # 배운 것이 남아 있음
    assert not model.training


def test_batches_cover_every_item_once():
    data = TensorDataset(torch.arange(250).float(), torch.arange(250))
    seen = torch.cat([y for _, y in batches(data, 100, torch.Generator().manual_seed(0))])
    assert sorted(seen.tolist()) == list(range(250))
    assert [len(x) for x, _ in batches(data, 100)] == [100, 100, 50]


def test_history_round_trips_and_device_is_chosen():
    h = History()
    h.add("train", {"bce": 0.3})
    h.add("val", {"bce": 0.28})
    assert History.from_dict(h.to_dict()) == h and h.epochs == 1
    assert choose_device().type in ("cuda", "mps", "cpu")


def test_unknown_precision_is_refused(small):
    with pytest.raises(ValueError, match="precision"):
        fit(Autoencoder(), small, epochs=1, precision="fp8", progress=False)
