"""입력 손상 함수: 값의 범위, 요청한 잡음 수준, 같은 시드면 같은 잡음, 잘못된 값의 오류."""

import pytest
import torch

from aelib.corruption import CorruptionValueError, gaussian_noise, mask_pixels, psnr


@pytest.fixture
def images():
    return torch.rand(64, 1, 32, 32, generator=torch.Generator().manual_seed(1))


@pytest.mark.parametrize("sigma", [0.0, 0.1, 0.5, 2.0])
def test_gaussian_noise_stays_in_range(images, sigma):
    noisy = gaussian_noise(images, sigma, seed=0)
    assert noisy.shape == images.shape and noisy.dtype == images.dtype
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0


@pytest.mark.parametrize("sigma", [0.05, 0.1, 0.2])
def test_gaussian_noise_has_the_requested_level(sigma):
    gray = torch.full((200, 1, 32, 32), 0.5)  # 가운데 회색: 작은 σ에서는 거의 잘리지 않음
    difference = gaussian_noise(gray, sigma, seed=0) - gray
    assert float(difference.double().std()) == pytest.approx(sigma, rel=0.02)
    assert float(difference.double().mean()) == pytest.approx(0.0, abs=0.01 * sigma)


def test_gaussian_noise_per_image_levels():
    gray = torch.full((3, 1, 32, 32), 0.5)
    sigmas = torch.tensor([0.0, 0.05, 0.15])
    stds = (gaussian_noise(gray, sigmas, seed=0) - gray).flatten(1).double().std(dim=1)
    assert stds[0] == 0.0
    assert stds[1:].tolist() == pytest.approx([0.05, 0.15], rel=0.1)


def test_same_seed_same_noise_other_seed_other_noise(images):
    assert torch.equal(gaussian_noise(images, 0.3, seed=5), gaussian_noise(images, 0.3, seed=5))
    assert not torch.equal(gaussian_noise(images, 0.3, seed=5), gaussian_noise(images, 0.3, seed=6))
    assert torch.equal(mask_pixels(images, 0.3, seed=5), mask_pixels(images, 0.3, seed=5))
    g1, g2 = torch.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    assert torch.equal(gaussian_noise(images, 0.3, generator=g1), gaussian_noise(images, 0.3, generator=g2))


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 1.0])
def test_masking_hides_the_requested_share(fraction):
    ones = torch.ones(50, 1, 32, 32)
    masked = mask_pixels(ones, fraction, seed=0)
    assert masked.min() >= 0.0 and masked.max() <= 1.0
    assert float((masked == 0).double().mean()) == pytest.approx(fraction, abs=0.01)
    kept = masked != 0
    assert torch.equal(masked[kept], ones[kept])  # 가리지 않은 픽셀은 그대로


@pytest.mark.parametrize("call, arg, value", [
    (gaussian_noise, "sigma", -0.1), (gaussian_noise, "sigma", float("nan")),
    (mask_pixels, "fraction", 1.5), (mask_pixels, "fraction", -0.01),
])
def test_bad_levels_are_refused_with_the_argument_named(images, call, arg, value):
    with pytest.raises(CorruptionValueError, match=arg) as info:
        call(images, value, seed=0)
    assert str(value) in str(info.value) or "nan" in str(info.value)


def test_seed_and_generator_together_are_refused(images):
    with pytest.raises(CorruptionValueError, match="seed"):
        gaussian_noise(images, 0.1, seed=0, generator=torch.Generator())


def test_psnr_of_known_error():
    clean = torch.zeros(2, 1, 32, 32)
    other = clean + torch.tensor([0.1, 0.01]).reshape(2, 1, 1, 1)  # 평균제곱오차 1e-2, 1e-4
    assert psnr(clean, other).tolist() == pytest.approx([20.0, 40.0], abs=1e-4)  # 0.1은 float32에서 정확하지 않음
    assert psnr(clean, clean).isinf().all()


def test_noise_slider_updates_images_and_psnr():
    from aelib.explorer import png_to_array
    from aelib.model import Autoencoder
    from aelib.noise_slider import NoiseSlider

    torch.manual_seed(0)
    image = torch.rand(1, 32, 32)
    slider = NoiseSlider({"AE": Autoencoder(latents=4)}, image, sigma=0.0)
    assert torch.equal(slider.noisy, image.reshape(1, 1, 32, 32))  # σ = 0: 잡음 없음
    before = png_to_array(slider._images["잡음 낀 입력"].value)
    assert slider.set_sigma(0.4) == pytest.approx(0.4)
    after = png_to_array(slider._images["잡음 낀 입력"].value)
    assert not (before == after).all()
    assert slider.psnr["입력"] < 15 and set(slider.outputs) == {"AE"}
    assert slider.set_sigma(5.0) == pytest.approx(0.8)  # 슬라이더가 끝으로 자름
    assert "NoiseSlider(AE)" == slider._repr_mimebundle_()["text/plain"]
    with pytest.raises(ValueError, match="sigma"):
        NoiseSlider({"AE": Autoencoder(latents=4)}, image, sigma=float("nan"))
