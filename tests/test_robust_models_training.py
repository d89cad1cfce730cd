"""잘못된 입력 (모델·훈련·사전 훈련): 모델의 설정, 이미지 자료형, 빈 배치, 레이블, summary의 입력 모양, KL의 모양,
훈련 도우미(adam, batches, seed_everything, History), 데이터셋과 모델의 짝, 사전 훈련 이름과 덮어쓰기.

모두 AelibError의 자식으로, 한국어 줄과 영어 줄에 인자와 고치는 방법을 담아 거절해야 합니다.
"""

import math

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from aelib import pretrained
from aelib.classifier import ClothingClassifier
from aelib.denoising import DenoisingAutoencoder
from aelib.errors import (AelibError, ArgumentError, ExistingWorkError, ImageValueError, LabelError, LatentValueError,
                          ModelError, PathError, ShapeError, TrainingSettingsError)
from aelib.model import Autoencoder, Decoder, Encoder, summary
from aelib.train import History, adam, batches, evaluate, fit, make_train_step, seed_everything
from aelib.vae import VAE, kl_to_standard_normal

from .robust_helpers import refuses

X = torch.rand(20, 1, 32, 32, generator=torch.Generator().manual_seed(0))
Y = torch.arange(20) % 10



def unchanged(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def same_weights(model, start) -> bool:
    return all(torch.equal(start[k], v) for k, v in model.state_dict().items())


# ---------------------------------------------------------------------------- 모델의 설정


@pytest.mark.parametrize("make", [Autoencoder, VAE, Decoder, Encoder, DenoisingAutoencoder])
@pytest.mark.parametrize("latents, korean, english", [
    (-2, "1 이상이어야", "at least 1"), (0, "1 이상이어야", "at least 1"), (2.5, "정수여야", "must be an integer"),
    ("2", "정수여야", "must be an integer"), (True, "정수여야", "must be an integer"), (None, "정수여야", "integer"),
])
def test_latent_size_must_be_a_whole_number_of_at_least_one(make, latents, korean, english):
    e = refuses(ArgumentError, lambda: make(latents=latents), korean, english)
    assert e.korean.startswith(f"{make.__name__}: latents") and f"{make.__name__}(latents=2)" in e.english
    assert repr(latents) in e.korean or str(latents) in e.korean


def test_numpy_latent_sizes_still_work():
    model = Autoencoder(latents=np.int64(3))
    assert model.latents == 3 and type(model.latents) is int and model.encode(X[:2]).shape == (2, 3)


@pytest.mark.parametrize("beta, korean, english", [
    (math.nan, "유한한", "finite"), (-1, "0보다 커야", "greater than 0"), (0, "0보다 커야", "greater than 0"),
    ("500", "실수여야", "real number"), (math.inf, "유한한", "finite"),
])
def test_vae_beta(beta, korean, english):
    e = refuses(ArgumentError, lambda: VAE(beta=beta), korean, english)
    assert e.korean.startswith("VAE: beta") and "VAE(beta=500.0)" in e.english


@pytest.mark.parametrize("max_sigma, korean, english", [
    (-0.5, "0 이상", "at least 0"), (math.nan, "유한한", "finite"), (11.0, "10 이하", "at most 10"),
    (None, "실수여야", "real number"),
])
def test_denoising_max_sigma(max_sigma, korean, english):
    e = refuses(ArgumentError, lambda: DenoisingAutoencoder(max_sigma=max_sigma), korean, english)
    assert "DenoisingAutoencoder: max_sigma" in e.korean and "max_sigma=0.5" in e.english


def test_valid_settings_keep_their_values():
    assert VAE(latents=2, beta=500.0).beta == 500.0 and DenoisingAutoencoder(max_sigma=0).max_sigma == 0.0
    assert DenoisingAutoencoder(latents=4, max_sigma=0.5).max_sigma == 0.5


# ---------------------------------------------------------------------------- 이미지 자료형, 빈 배치


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
@pytest.mark.parametrize("call", [
    lambda x: Autoencoder().encode(x), lambda x: Autoencoder().losses(x), lambda x: VAE().losses(x),
    lambda x: ClothingClassifier().judge(x), lambda x: ClothingClassifier().losses(x, Y),
    lambda x: DenoisingAutoencoder().losses(x),
])
def test_half_and_double_images_are_refused_with_the_fix(dtype, call):
    e = refuses(ImageValueError, lambda: call(X.to(dtype)), str(dtype), "x.float()")
    assert "x.float()로 바꾸세요" in e.korean and "float32" in e.english


def test_fit_refuses_half_images_before_training():
    model = Autoencoder()
    start = unchanged(model)
    refuses(ImageValueError, lambda: fit(model, TensorDataset(X.half(), Y), epochs=1, progress=False),
            "x.float()", "Convert them with x.float()")
    assert same_weights(model, start)


@pytest.mark.parametrize("call, name", [
    (lambda x: Autoencoder().losses(x), "Autoencoder.losses"), (lambda x: VAE().losses(x), "VAE.losses"),
    (lambda x: DenoisingAutoencoder().losses(x), "DenoisingAutoencoder.losses"),
    (lambda x: ClothingClassifier().losses(x, Y[:0]), "ClothingClassifier.losses"),
])
def test_losses_of_an_empty_batch_are_refused_not_nan(call, name):
    e = refuses(ShapeError, lambda: call(torch.zeros(0, 1, 32, 32)), "이미지가 하나도 없습니다", "NaN")
    assert e.korean.startswith(name) and "at least one image" in e.english


def test_half_latents_outside_autocast_are_decoded_as_float32():
    decoder = Autoencoder().decoder
    z = torch.randn(3, 2)
    assert torch.equal(decoder(z.half()), decoder(z.half().float()))


# ---------------------------------------------------------------------------- 분류기의 레이블


@pytest.mark.parametrize("labels, kind, korean, english", [
    (None, LabelError, "레이블이 필요합니다", "needs labels"),
    (torch.full((20,), 11), LabelError, "[11]", "0–9"),
    (torch.full((20,), -1), LabelError, "[-1]", "outside Table 3-3"),
    (Y.float(), LabelError, "실수입니다", "labels.long()"),
    (Y[:, None], ShapeError, "(20, 1)", "labels.reshape(-1)"),
    (Y[:5], ShapeError, "레이블 수(5)와 이미지 수(20)", "every image needs one label"),
    ("abc", ShapeError, "1차원 목록 (N,)", "1-D list of label numbers"),
])
def test_classifier_losses_check_the_labels(labels, kind, korean, english):
    refuses(kind, lambda: ClothingClassifier().losses(X, labels), korean, english)


def test_classifier_losses_take_other_integer_labels():
    torch.manual_seed(0)
    model = ClothingClassifier()
    expected = model.losses(X, Y)
    for labels in (Y.int(), Y.to(torch.uint8), Y.numpy().astype(np.int32), Y.tolist()):
        got = model.losses(X, labels)
        assert all(torch.equal(got[k], expected[k]) for k in expected)


# ---------------------------------------------------------------------------- summary, KL


@pytest.mark.parametrize("model, size, kind, korean, english", [
    (Autoencoder(), (1, 28, 28), ShapeError, "(N, 1, 32, 32)", "pad_to_32"),
    (Autoencoder(), (1, 1, 28, 28), ShapeError, "받은 input_size: (1, 1, 28, 28)", "pad_to_32"),
    (Autoencoder(), "abc", ArgumentError, "'abc'", "input_size must be a tuple"),
    (Autoencoder(), (0, 1, 32, 32), ArgumentError, "1 이상의 정수", "whole numbers ≥ 1"),
    (Autoencoder(), (1.0, 1, 32, 32), ArgumentError, "input_size", "input_size"),
    (Autoencoder(), None, ArgumentError, "None", "input_size"),
    (Decoder(latents=2), (1, 1, 32, 32), ShapeError, "(N, 2)", "e.g. (1, 2)"),
    (ClothingClassifier(), (1, 2), ShapeError, "(N, 1, 32, 32)", "ClothingClassifier takes inputs"),
])
def test_summary_checks_the_input_size(model, size, kind, korean, english):
    e = refuses(kind, lambda: summary(model, size), korean, english)
    assert "summary" in e.korean and "summary" in e.english


def test_summary_of_valid_sizes_still_works():
    assert summary(Encoder(), (1, 1, 32, 32)).total_params == 96_770
    assert summary(Decoder(), input_size=(1, 2)).total_params > 0
    assert summary(Encoder(), [np.int64(2), 1, 32, 32]).total_params == 96_770


@pytest.mark.parametrize("mean, log_var, kind, korean, english", [
    (torch.zeros(3, 2), torch.zeros(3, 4), ShapeError, "모양이 다릅니다", "(3, 2) vs (3, 4)"),
    (torch.zeros(3), torch.zeros(3), ShapeError, "(N, latents)", "got shape (3,)"),
    ([[0.0, 0.0]], torch.zeros(1, 2), LatentValueError, "실수 텐서", "torch.as_tensor(mean"),
    (torch.zeros(3, 2), torch.zeros(3, 2, dtype=torch.long), LatentValueError, "log_var은(는) 실수 텐서",
     "real-valued tensor"),
])
def test_kl_and_reparameterize_check_the_distribution(mean, log_var, kind, korean, english):
    e = refuses(kind, lambda: kl_to_standard_normal(mean, log_var), korean, english)
    assert e.korean.startswith("kl_to_standard_normal")
    e = refuses(kind, lambda: VAE.reparameterize(mean, log_var), korean, english)
    assert e.english.startswith("reparameterize")


def test_kl_of_valid_distributions_is_unchanged():
    assert torch.equal(kl_to_standard_normal(torch.zeros(3, 2), torch.zeros(3, 2)), torch.zeros(3))
    assert kl_to_standard_normal(torch.zeros(4, 2, dtype=torch.float64), torch.zeros(4, 2, dtype=torch.float64)).dtype \
        == torch.float64


# ---------------------------------------------------------------------------- 훈련 도우미


def test_adam_checks_its_arguments():
    refuses(TrainingSettingsError, lambda: adam(Autoencoder(), lr=-1), "0보다 커야", "lr must be greater than 0")
    refuses(TrainingSettingsError, lambda: adam(Autoencoder(), lr=math.nan), "유한한", "finite")
    refuses(ModelError, lambda: adam(Autoencoder().requires_grad_(False), lr=1e-3), "얼어 있어", "requires_grad_(True)")
    refuses(TrainingSettingsError, lambda: adam(torch.nn.ReLU(), 1e-3), "파라미터가 없습니다", "no parameters")
    refuses(TrainingSettingsError, lambda: adam("autoencoder", 1e-3), "torch.nn.Module", "got str")
    refuses(TrainingSettingsError, lambda: adam(Autoencoder(), 1e-3, fused="yes"), "fused", "True or False")
    assert isinstance(adam(Autoencoder(), np.float32(1e-3), fused=np.bool_(False)), torch.optim.Adam)


def test_batches_checks_when_called():
    data = TensorDataset(X, Y)
    refuses(TrainingSettingsError, lambda: batches(data, 0), "1 이상", "batch_size must be at least 1")
    refuses(TrainingSettingsError, lambda: batches(data, 2.5), "정수여야", "batch_size must be an integer")
    refuses(TrainingSettingsError, lambda: batches(X, 5), "TensorDataset", "TensorDataset")
    refuses(TrainingSettingsError, lambda: batches(data, 5, generator=3), "torch.Generator", "generator must be")
    assert [len(x) for x, _ in batches(data, np.int64(8))] == [8, 8, 4]


@pytest.mark.parametrize("seed, korean, english", [
    ("a", "정수여야", "seed must be an integer"), (True, "정수여야", "seed must be an integer"),
    (0.5, "정수여야", "integer"), (2**64, "범위 밖입니다", "out of range"), (-(2**63) - 1, "범위 밖입니다", "out of range"),
])
def test_seed_everything(seed, korean, english):
    refuses(TrainingSettingsError, lambda: seed_everything(seed), korean, english)


def test_seed_everything_still_seeds():
    seed_everything(np.int64(5))
    a = torch.rand(3)
    seed_everything(5)
    assert torch.equal(a, torch.rand(3))


def test_make_train_step_checks_its_arguments():
    model = Autoencoder()
    refuses(TrainingSettingsError, lambda: make_train_step(model, "adam"), "torch.optim.Optimizer", "optimizer must")
    refuses(TrainingSettingsError, lambda: make_train_step(model, adam(model, 1e-3), device_type=3), "device_type",
            "device type name")
    refuses(TrainingSettingsError, lambda: make_train_step(model, adam(model, 1e-3), "fp8"), "precision", "'fp8'")
    refuses(ModelError, lambda: make_train_step(torch.nn.Linear(2, 2), adam(model, 1e-3)), "losses", "losses")


def test_history_checks_its_contents():
    refuses(TrainingSettingsError, lambda: History(train="bce"), "History의 train", "loss name: list of values")
    refuses(TrainingSettingsError, lambda: History.from_dict({}), "\"train\"과 \"val\"", "History.to_dict()")
    refuses(TrainingSettingsError, lambda: History.from_dict(None), "History.from_dict", "History.from_dict")
    refuses(TrainingSettingsError, lambda: History().add("steps", {"bce": 1.0}), "split", "\"train\" or \"val\"")
    refuses(TrainingSettingsError, lambda: History().add("train", 0.3), "{손실 이름: 값}", "loss name: value")


# ---------------------------------------------------------------------------- 데이터셋과 모델의 짝, 기록


def refused_fit(kind, model, *args, korean, english, **kwargs):
    """fit이 훈련 전에 거절하고 모델의 가중치가 그대로인지."""
    start = unchanged(model)
    e = refuses(kind, lambda: fit(model, *args, progress=False, epochs=1, **kwargs), korean, english)
    assert same_weights(model, start)
    return e


def test_fit_and_evaluate_say_what_the_dataset_must_hold():
    refused_fit(TrainingSettingsError, ClothingClassifier(), TensorDataset(X),
                korean="이미지만 있습니다", english="TensorDataset(images, labels): it needs the labels")
    refused_fit(TrainingSettingsError, Autoencoder(), TensorDataset(X, Y, Y),
                korean="텐서가 3개", english="TensorDataset(images) or TensorDataset(images, labels)")
    refused_fit(ShapeError, ClothingClassifier(), TensorDataset(X, Y[:, None]),
                korean="(N,) 모양", english="labels.reshape(-1)")
    refused_fit(TrainingSettingsError, ClothingClassifier(), TensorDataset(X, Y), TensorDataset(X),
                korean="val_set에 이미지만", english="val_set holds only images")
    refuses(TrainingSettingsError, lambda: evaluate(ClothingClassifier(), TensorDataset(X)), "evaluate: dataset",
            "it needs the labels")
    refuses(ModelError, lambda: evaluate(torch.nn.ReLU(), TensorDataset(X)), "evaluate의 model", "losses(x, labels)")


def test_int32_labels_from_numpy_are_accepted():
    data = TensorDataset(X, torch.from_numpy(Y.numpy().astype(np.int32)))
    torch.manual_seed(0)
    a = ClothingClassifier()
    history = fit(a, data, TensorDataset(X, Y.to(torch.uint8)), epochs=1, batch_size=10, progress=False)
    torch.manual_seed(0)
    b = ClothingClassifier()
    expected = fit(b, TensorDataset(X, Y), TensorDataset(X, Y), epochs=1, batch_size=10, progress=False)
    assert history.train == expected.train and history.val == expected.val
    assert data.tensors[1].dtype == torch.int32  # 받은 데이터셋은 그대로
    assert evaluate(a, data) == evaluate(a, TensorDataset(X, Y))


def test_history_of_another_model_is_refused():
    e = refused_fit(TrainingSettingsError, Autoencoder(), TensorDataset(X, Y),
                    history=History(train={"cross_entropy": [1.0]}),
                    korean="['cross_entropy']", english="another model's history")
    assert "['bce']" in e.korean
    refused_fit(TrainingSettingsError, VAE(), TensorDataset(X, Y), history=History(train={"bce": [0.3]}),
                korean="다른 모델의 기록", english="['loss', 'reconstruction', 'kl']")


def test_continuing_a_history_gives_the_same_numbers_as_before():
    data = TensorDataset(X, Y)
    torch.manual_seed(0)
    model = Autoencoder()
    history = fit(model, data, epochs=1, batch_size=10, progress=False)
    state, first = unchanged(model), list(history.train["bce"])
    continued = fit(model, data, epochs=1, batch_size=10, seed=1, history=history, progress=False)
    model.load_state_dict(state)
    fresh = fit(model, data, epochs=1, batch_size=10, seed=1, progress=False)
    assert continued.train["bce"] == first + fresh.train["bce"]


def test_fit_checks_progress_and_seed_range():
    model = Autoencoder()
    start = unchanged(model)
    refuses(TrainingSettingsError, lambda: fit(model, TensorDataset(X, Y), epochs=1, progress="no"), "progress",
            "True (show a progress bar) or False")
    assert same_weights(model, start)
    refused_fit(TrainingSettingsError, Autoencoder(), TensorDataset(X, Y), seed=2**64,
                korean="범위 밖입니다", english="out of range")


# ---------------------------------------------------------------------------- 사전 훈련


@pytest.mark.parametrize("call", [pretrained.load_pretrained, pretrained.train_model, pretrained.train_pretrained,
                                  pretrained.weights_path])
@pytest.mark.parametrize("name", [["autoencoder"], {"autoencoder"}, 2])
def test_unhashable_or_odd_names_are_refused_with_the_valid_names(call, name):
    e = refuses(ArgumentError, lambda: call(name), repr(name), "name must be one of")
    assert "'classifier'" in e.korean and "'vae'" in e.english


def test_train_pretrained_refuses_an_existing_file_unless_forced(tmp_path, monkeypatch):
    existing = tmp_path / "mine.pt"
    existing.write_bytes(b"student checkpoint")
    refuses(ArgumentError, lambda: pretrained.train_model("autoencoder", progress="x"), "train_model의 progress",
            "progress must be")
    monkeypatch.setattr(pretrained, "train_model", lambda *a, **k: pytest.fail("훈련을 시작함 / training started"))
    refuses(ExistingWorkError, lambda: pretrained.train_pretrained("autoencoder", existing), "force=True",
            "already exists")
    refuses(ExistingWorkError, lambda: pretrained.train_pretrained("autoencoder"), "이미 있습니다", "force=True")
    refuses(ArgumentError, lambda: pretrained.train_pretrained("autoencoder", existing, force="yes"), "force",
            "True (overwrite) or False")
    refuses(ArgumentError, lambda: pretrained.train_pretrained("autoencoder", existing, progress=None), "progress",
            "progress must be")
    refuses(PathError, lambda: pretrained.train_pretrained("autoencoder", 5), "파일 경로", "str or Path")
    assert existing.read_bytes() == b"student checkpoint"


def test_the_command_still_rebuilds_the_shipped_weights(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(pretrained, "train_pretrained", lambda *a, **k: calls.append((a, k)) or tmp_path / "x.pt")
    pretrained.main(["autoencoder"])  # --out 없이: 배포 가중치를 다시 만듦 (덮어씀)
    pretrained.main(["vae", "--out", str(tmp_path / "new.pt")])
    assert calls[0] == (("autoencoder", None), {"force": True})
    assert calls[1] == (("vae", str(tmp_path / "new.pt")), {"force": False})
