import pytest
import torch
from torch.distributions import Normal, kl_divergence

from aelib.checkpoint import load_checkpoint, save_checkpoint
from aelib.data import class_subset
from aelib.errors import CheckpointError
from aelib.model import Autoencoder
from aelib.train import fit, seed_everything
from aelib.vae import VAE, kl_to_standard_normal

from . import seed_model


def test_same_body_as_the_autoencoder_with_two_heads():
    vae = VAE()
    assert sum(p.numel() for p in vae.parameters()) == 347_141  # 책: 인코더 100,868 + 디코더 246,273
    seed_encoder = seed_model.Encoder(4)  # 노트의 인코더, Linear만 평균 2 + 로그 분산 2
    seed_encoder.load_state_dict(vae.encoder.state_dict(), strict=True)
    assert vae.decoder.state_dict().keys() == Autoencoder().decoder.state_dict().keys()


def test_kl_matches_torch_distributions():
    torch.manual_seed(0)
    mean, log_var = torch.randn(5, 2), torch.randn(5, 2)
    expected = kl_divergence(Normal(mean, (0.5 * log_var).exp()), Normal(0.0, 1.0)).sum(dim=1)
    assert torch.allclose(kl_to_standard_normal(mean, log_var), expected, atol=1e-5)
    assert torch.equal(kl_to_standard_normal(torch.zeros(3, 2), torch.zeros(3, 2)), torch.zeros(3))


def test_reparameterisation_samples_the_right_normal():
    torch.manual_seed(0)
    mean = torch.tensor([[1.5, -2.0]]).expand(200_000, 2)
    log_var = torch.tensor([[0.0, 2 * torch.log(torch.tensor(0.5))]]).expand(200_000, 2)
    z = VAE.reparameterize(mean, log_var)
    assert torch.allclose(z.mean(0), torch.tensor([1.5, -2.0]), atol=0.01)
    assert torch.allclose(z.std(0), torch.tensor([1.0, 0.5]), atol=0.01)


def test_loss_is_beta_times_bce_plus_kl():
    torch.manual_seed(0)
    vae = VAE(beta=500.0)
    x = torch.rand(6, 1, 32, 32)
    with torch.no_grad():
        losses = vae.losses(x)
    assert losses["loss"] == pytest.approx(float(losses["reconstruction"] + losses["kl"]))
    assert 500 * 0.6 < float(losses["reconstruction"]) < 500 * 0.8  # 훈련 전 BCE ≈ 0.69
    assert float(losses["kl"]) >= 0


def test_same_fit_trains_the_vae(train_set, test_set):
    seed_everything(0)
    vae = VAE()
    history = fit(vae, class_subset(train_set, 100), class_subset(test_set, 20), epochs=2, lr=5e-4, progress=False)
    assert list(history.train) == ["loss", "reconstruction", "kl"]
    assert history.train["loss"][1] < history.train["loss"][0]
    assert history.val["loss"][1] < history.val["loss"][0]


def test_vae_checkpoint_is_refused_by_an_autoencoder(tmp_path):
    path = save_checkpoint(tmp_path / "vae.pt", VAE())
    with pytest.raises(CheckpointError, match="VAE"):
        load_checkpoint(path, Autoencoder())
    assert load_checkpoint(path, VAE())["model_class"] == "VAE"
