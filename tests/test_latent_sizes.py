"""2차원을 넘어서: 잠재 크기마다의 모델, 체크포인트, 배포 가중치, 잡음 제거 오토인코더, PCA 평면."""

import pytest
import torch

from aelib import latent
from aelib.checkpoint import load_checkpoint, save_checkpoint
from aelib.corruption import gaussian_noise
from aelib.denoising import DenoisingAutoencoder
from aelib.errors import CheckpointError
from aelib.model import Autoencoder
from aelib.pca import PlaneDecoder, fit_pca
from aelib.pretrained import AUTOENCODER_BY_LATENTS, RECIPES, load_pretrained, weights_path
from aelib.train import evaluate

SIZES = sorted(AUTOENCODER_BY_LATENTS)


def n_params(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("n", SIZES)
def test_only_the_two_linear_layers_grow_with_the_latent_size(n):
    model = Autoencoder(latents=n)
    # 잠재 크기 2: 343,043. 하나 늘 때마다 인코더 Linear(2048 → n)에 2,049개, 디코더 Linear(n → 2048)에 2,048개
    assert n_params(model) == 343_043 + (n - 2) * (2048 + 1 + 2048)
    z = model.encode(torch.zeros(3, 1, 32, 32))
    assert z.shape == (3, n) and model.decode(z).shape == (3, 1, 32, 32)


def test_checkpoint_of_one_size_is_refused_by_another_with_both_sizes_named(tmp_path):
    path = save_checkpoint(tmp_path / "ae8.pt", Autoencoder(latents=8))
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path, Autoencoder(latents=16))
    assert "잠재 크기 8" in str(info.value) and "잠재 크기 16" in str(info.value)
    assert "8 latents" in str(info.value) and "16 latents" in str(info.value)
    load_checkpoint(path, Autoencoder(latents=8))  # 같은 크기는 받음


def test_denoising_checkpoint_is_not_a_plain_autoencoder(tmp_path):
    path = save_checkpoint(tmp_path / "dae.pt", DenoisingAutoencoder(latents=32))
    with pytest.raises(CheckpointError, match="DenoisingAutoencoder"):
        load_checkpoint(path, Autoencoder(latents=32))


@pytest.mark.parametrize("n", SIZES)
def test_shipped_weights_per_latent_size(n, test_set):
    name = AUTOENCODER_BY_LATENTS[n]
    model, meta = load_pretrained(name)
    assert model.latents == n and meta["latents"] == n
    assert meta["command"] == f"python -m aelib.pretrained {name}"
    # 잠재 크기만 바뀐 같은 설정 (2차원 밖의 모델은 1 에포크)
    assert meta["recipe"] == {**RECIPES["autoencoder"][1], "epochs": meta["epochs"]}
    assert meta["epochs"] == (3 if n == 2 else 1)
    assert weights_path(name).stat().st_size < 2.5e6
    images = test_set.tensors[0][:2000]
    subset = torch.utils.data.TensorDataset(images, test_set.tensors[1][:2000])
    assert evaluate(model, subset)["bce"] < 0.30


def test_more_latents_reconstruct_better():
    """1 에포크 뒤의 검증 BCE는 잠재 크기 2 → 8 → 32에서 분명히 줄어듦 (배포 가중치의 훈련 기록)."""
    val = {n: load_pretrained(AUTOENCODER_BY_LATENTS[n])[1]["history"]["val"]["bce"][0] for n in SIZES}
    assert val[2] - val[8] > 0.005 and val[8] - val[32] > 0.0


def test_denoising_model_beats_the_plain_one_on_noisy_inputs(test_set):
    plain, _ = load_pretrained("autoencoder_32")
    denoising, meta = load_pretrained("denoising_32")
    assert meta["command"] == "python -m aelib.pretrained denoising_32" and denoising.max_sigma == 0.5
    clean = test_set.tensors[0][:1000]
    for sigma in (0.2, 0.4):
        noisy = gaussian_noise(clean, sigma, seed=0)
        with torch.no_grad():
            errors = {name: torch.nn.functional.binary_cross_entropy(m.reconstruct(noisy), clean).item()
                      for name, m in (("plain", plain), ("denoising", denoising))}
        # 뚜렷한 차이: 잡음 제거 모델의 BCE가 평범한 모델보다 적어도 5 % 작음
        assert errors["denoising"] < 0.95 * errors["plain"], (sigma, errors)


def test_pca_finds_the_known_directions_and_lifts_back():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(5000, 4, generator=g) * torch.tensor([3.0, 2.0, 0.5, 0.1]) + torch.tensor([1.0, 0, 0, -1])
    pca = fit_pca(z, k=2)
    assert pca.components.abs().argmax(dim=1).tolist() == [0, 1]
    assert (pca.components.gather(1, torch.tensor([[0], [1]])) > 0).all()  # 부호가 정해짐
    assert pca.explained_ratio.sum().item() == pytest.approx(13 / 13.26, abs=0.01)
    coords = pca.project(z)
    assert coords.mean(dim=0).tolist() == pytest.approx([0, 0], abs=1e-4)
    back = pca.lift(coords)
    assert back.shape == z.shape
    assert torch.allclose(pca.project(back), coords, atol=1e-4)


def test_plane_decoder_decodes_plane_points_with_the_big_model():
    model = Autoencoder(latents=8).eval()
    z = torch.randn(300, 8, generator=torch.Generator().manual_seed(0))
    pca = fit_pca(z, k=2)
    plane = PlaneDecoder(model, pca)
    coords = torch.tensor([[0.0, 0.0], [1.0, -2.0]])
    with torch.no_grad():
        assert torch.allclose(plane.decode(coords), model.decode(pca.lift(coords)))
    assert latent.decode(plane, coords).shape == (2, 1, 32, 32)
