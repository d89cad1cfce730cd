"""견고함 2 — 모델, 값, 환경, 체크포인트: 받을 수 없는 것은 함수 이름과 필요한 것을 말하며 거절."""

import shutil
import time

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from aelib import checkpoint, latent, validate
from aelib.classifier import ClothingClassifier
from aelib.corruption import gaussian_noise, mask_pixels
from aelib.data import SPLIT_FILES, load_fashion_mnist, raw_folder
from aelib.errors import (CheckpointError, DataNotFoundError, ExplorerValueError, ImageValueError, LabelError,
                          LatentValueError, ModelError)
from aelib.model import Autoencoder
from aelib.pca import PlaneDecoder, fit_pca
from aelib.plotting import plot_decoded_grid, plot_reconstructions
from aelib.train import evaluate, fit

IMAGES = torch.rand(4, 1, 32, 32)
DATA = TensorDataset(IMAGES, torch.tensor([0, 1, 2, 3]))


def frozen():
    return Autoencoder().requires_grad_(False)


def on_meta():
    with torch.device("meta"):
        return Autoencoder()


@pytest.mark.parametrize("call, says", [
    (lambda: fit(frozen(), DATA, epochs=1, progress=False), ("fit", "requires_grad_(True)")),
    (lambda: latent.embed(on_meta(), IMAGES), ("embed", "meta")),
    (lambda: latent.decode(Autoencoder().double(), torch.zeros(1, 2)), ("decode", "float64", ".float()")),
    (lambda: latent.embed(ClothingClassifier(), IMAGES), ("embed", "encode(x)", "분류기가 아니라 오토인코더")),
    (lambda: plot_reconstructions(ClothingClassifier(), IMAGES), ("plot_reconstructions", "reconstruct(x)")),
    (lambda: plot_decoded_grid(object(), torch.zeros(3, 2), [0, 1, 2]), ("plot_decoded_grid", "decode(z)")),
    (lambda: evaluate(on_meta(), DATA), ("evaluate", "meta")),
    (lambda: checkpoint.save_checkpoint("/tmp/x.pt", on_meta()), ("save_checkpoint", "meta")),
    (lambda: checkpoint.load_checkpoint("/tmp/none.pt", on_meta()), ("load_checkpoint", "meta")),
    (lambda: PlaneDecoder(ClothingClassifier(), None), ("PlaneDecoder", "decode(z)")),
    (lambda: validate.checked_model(Autoencoder(), "judged_fraction", needs=("judge",)),
     ("judged_fraction", "judge(images)", "판정용 분류기")),
])
def test_wrong_models_are_refused_by_name(call, says):
    with pytest.raises((ModelError, CheckpointError)) as err:
        call()
    for part in says:
        assert part in err.value.korean, (part, err.value.korean)
    assert says[0] in err.value.english


def test_explorer_and_noise_slider_refuse_wrong_models_as_widget_errors():
    from aelib.explorer import LatentExplorer
    from aelib.noise_slider import NoiseSlider

    with pytest.raises(ExplorerValueError, match="float64"):
        LatentExplorer(Autoencoder().double(), torch.zeros(3, 2), [0, 1, 2])
    with pytest.raises(ExplorerValueError, match="reconstruct"):
        NoiseSlider({"분류기": ClothingClassifier()}, IMAGES[0])


def test_float_class_labels_are_refused_before_training():
    data = TensorDataset(IMAGES, torch.tensor([0.0, 1.0, 2.0, 3.0]))
    with pytest.raises(LabelError, match="long"):
        fit(ClothingClassifier(), data, epochs=1, progress=False)


# ---------------------------------------------------------------------------- 값


def test_identical_or_nan_embeddings_are_refused_by_fit_pca():
    with pytest.raises(LatentValueError, match="모두 같은 점"):
        fit_pca(torch.ones(50, 4))
    z = torch.randn(50, 4)
    z[7, 2] = float("nan")
    with pytest.raises(LatentValueError, match=r"번호 \[7\]"):
        fit_pca(z)
    p = fit_pca(torch.randn(50, 4, dtype=torch.float64))  # 보통 임베딩은 그대로
    assert torch.isfinite(p.explained_ratio).all()


def test_spread_points_is_there_for_every_statistic():
    with pytest.raises(LatentValueError, match="distribution_stats"):
        validate.spread_points(np.zeros((10, 2)), "distribution_stats")
    with pytest.raises(LatentValueError, match="NaN"):
        validate.spread_points([[0.0, 1.0], [float("inf"), 0.0]], "distribution_stats")


def test_noise_refuses_0_255_images():
    for corrupt in (lambda x: gaussian_noise(x, 0.3, seed=0), lambda x: mask_pixels(x, 0.3, seed=0)):
        with pytest.raises(ImageValueError, match="255로 나누세요"):
            corrupt(IMAGES * 255)
    from aelib.noise_slider import NoiseSlider

    with pytest.raises(ExplorerValueError, match="255로 나누세요"):
        NoiseSlider({"ae": Autoencoder()}, (IMAGES[0] * 255).to(torch.uint8).float())
    with pytest.raises(ExplorerValueError, match="float32|실수"):
        NoiseSlider({"ae": Autoencoder()}, (IMAGES[0] * 255).to(torch.uint8).numpy())


# ---------------------------------------------------------------------------- 환경


def test_partial_data_names_missing_files_and_test_split_still_loads(tmp_path, test_set):
    from aelib.data import locate

    have = raw_folder(locate())
    target = raw_folder(tmp_path)
    target.mkdir(parents=True)
    for name in SPLIT_FILES["test"]:
        shutil.copy(have / name, target / name)
    loaded = load_fashion_mnist("test", root=tmp_path, download=False, system_dir=tmp_path / "none")
    assert torch.equal(loaded.tensors[1], test_set.tensors[1])
    with pytest.raises(DataNotFoundError) as err:
        load_fashion_mnist("train", root=tmp_path, download=False, system_dir=tmp_path / "none")
    for name in SPLIT_FILES["train"]:
        assert name in err.value.korean and name in err.value.english
    assert "일부만" in err.value.korean


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm 없음")
def test_unreachable_npm_registry_fails_fast_with_a_reason(tmp_path, monkeypatch):
    from aelib.explorer import runtime

    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "cache"))
    start = time.monotonic()
    tarball, (why_ko, why_en) = runtime.npm_pack(shutil.which("npm"), "mathjax@3", tmp_path)
    took = time.monotonic() - start
    assert tarball is None and "ECONNREFUSED" in why_ko and "registry unreachable" in why_en
    assert took < runtime.NPM_TIMEOUT + 5  # 76 s 넘게 매달리지 않음 (실제로는 몇 초)


# ---------------------------------------------------------------------------- 체크포인트


def test_user_metadata_cannot_overwrite_the_format_marker(tmp_path):
    for key in ("format", "latents", "versions"):
        with pytest.raises(CheckpointError, match="예약된 이름"):
            checkpoint.save_checkpoint(tmp_path / "a.pt", Autoencoder(), **{key: "x"})
    assert list(tmp_path.iterdir()) == []
    path = checkpoint.save_checkpoint(tmp_path / "a.pt", Autoencoder(), note="내 모델")
    assert checkpoint.load_checkpoint(path, Autoencoder())["note"] == "내 모델"


def test_newer_format_is_reported_as_newer(tmp_path):
    path = checkpoint.save_checkpoint(tmp_path / "a.pt", Autoencoder())
    ckpt = torch.load(path, weights_only=True)
    ckpt["meta"]["format"] = "aelib-checkpoint/2"
    torch.save(ckpt, path)
    with pytest.raises(CheckpointError) as err:
        checkpoint.load_checkpoint(path, Autoencoder())
    assert "더 새로운 aelib" in err.value.korean and "newer aelib" in err.value.english
    assert "aelib 체크포인트가 아닙니다" not in err.value.korean


def test_illustration_helpers_refuse_in_both_languages():
    from aelib import illustrations
    from aelib.errors import AelibError

    with pytest.raises(AelibError, match=r"\(3,\)") as err:
        illustrations._as_2d([1.0, 2.0, 3.0])
    assert "2-D" in str(err.value)
    with pytest.raises(AelibError, match="layer_names") as err:
        illustrations.draw_layer_stack([(1, 28, 28), (2,)], [])
    assert "needs len(shapes) - 1 = 1" in str(err.value)
