import pytest
import torch

from aelib.errors import ShapeError
from aelib.model import Autoencoder, Decoder, Encoder

from . import seed_model


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def test_parameter_counts_match_the_book():
    model = Autoencoder()
    assert n_params(model.encoder) == 96_770
    assert n_params(model.decoder) == 246_273
    assert n_params(model) == 343_043


def test_seed_classes_load_our_state_dict_and_agree():
    torch.manual_seed(0)
    model = Autoencoder().eval()
    enc, dec = seed_model.Encoder(2), seed_model.Decoder(2)
    enc.load_state_dict(model.encoder.state_dict(), strict=True)
    dec.load_state_dict(model.decoder.state_dict(), strict=True)
    x = torch.rand(4, 1, 32, 32)
    with torch.no_grad():
        assert torch.equal(enc(x), model.encode(x))
        assert torch.equal(dec(enc(x)), model(x))


def test_shapes_through_the_model():
    model = Autoencoder()
    x = torch.rand(3, 1, 32, 32)
    with torch.no_grad():
        z = model.encode(x)
        images = model.decode(z)
        logits = model(x)
    assert z.shape == (3, 2)
    assert images.shape == (3, 1, 32, 32)
    assert 0 <= float(images.min()) and float(images.max()) <= 1
    assert torch.allclose(images, torch.sigmoid(logits))


def test_latent_size_is_a_parameter():
    model = Autoencoder(latents=5)
    assert model.encode(torch.rand(2, 1, 32, 32)).shape == (2, 5)
    # 인코더 Linear(2048→5): 3×2048 가중치 + 3 편향 더, 디코더 Linear(5→2048): 3×2048 가중치 더
    assert n_params(model) == 343_043 + (3 * 2048 + 3) + 3 * 2048


@pytest.mark.parametrize("shape", [(4, 28, 28), (4, 1, 28, 28), (1, 32, 32), (4, 3, 32, 32)])
def test_wrong_image_shape_is_a_clear_error(shape):
    with pytest.raises(ShapeError) as err:
        Encoder()(torch.rand(*shape))
    assert "(N, 1, 32, 32)" in str(err.value) and str(shape) in str(err.value)


@pytest.mark.parametrize("shape", [(2,), (4, 3), (4, 2, 1)])
def test_wrong_latent_shape_is_a_clear_error(shape):
    with pytest.raises(ShapeError) as err:
        Decoder(latents=2)(torch.rand(*shape))
    assert "(N, 2)" in str(err.value) and "잠재 벡터" in str(err.value)
