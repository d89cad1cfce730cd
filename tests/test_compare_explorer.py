"""오토인코더·VAE 비교 위젯 (브라우저 없이): 슬라이더 → 두 디코더의 출력, 범위, 자르기, 읽은 글."""

import io
import math

import numpy as np
import pytest
import torch
from PIL import Image

from aelib import latent
from aelib.data import class_subset, load_fashion_mnist
from aelib.explorer import CompareExplorer, ExplorerValueError
from aelib.labels import KOREAN_NAMES
from aelib.pretrained import load_pretrained

from .test_explorer import assert_shows, quantised, reference, shown_pixels

SCALE = 6  # 비교 위젯의 디코딩 이미지: 32 × 6 = 192 픽셀


@pytest.fixture(scope="module")
def models():
    return load_pretrained("autoencoder")[0], load_pretrained("vae")[0]


@pytest.fixture(scope="module")
def data(models):
    ae, vae = models
    images, labels = class_subset(load_fashion_mnist("test"), 100).tensors  # 1000장
    return labels, latent.embed(ae, images), latent.embed(vae, images)


@pytest.fixture()
def explorer(models, data):
    labels, z_ae, z_vae = data
    return CompareExplorer(*models, z_ae, z_vae, labels)


def test_slider_shows_each_decoders_output(models, explorer):
    ae, vae = models
    before = {n: w.value for n, w in explorer.decoded_images.items()}
    target = explorer.z1.min + 0.7 * (explorer.z1.max - explorer.z1.min)
    explorer.z1.value = target  # 브라우저에서 슬라이더를 끄는 것과 같은 경로 (observe)
    z1, z2 = explorer.point
    assert z1 == pytest.approx(target, abs=explorer.z1.step)
    for name, model in zip(explorer.names, (ae, vae)):
        expected = reference(model, z1, z2)
        assert np.abs(explorer.decoded[name] - expected).max() < 1e-5
        assert explorer.decoded_images[name].value != before[name]
        assert_shows(explorer.decoded_images[name].value, expected, scale=SCALE)
    # 두 그림은 서로 다른 디코더의 출력: 바뀌어 보이면 시험이 실패해야 함
    a, v = (shown_pixels(explorer.decoded_images[n].value, SCALE) for n in explorer.names)
    assert np.abs(a - v).max() > 1
    assert np.abs(quantised(reference(vae, z1, z2)) - a).max() > 1


def test_second_slider_and_set_point(models, explorer):
    ae, vae = models
    explorer.z2.value = explorer.z2.min + 0.2 * (explorer.z2.max - explorer.z2.min)
    for name, model in zip(explorer.names, models):
        assert_shows(explorer.decoded_images[name].value, reference(model, *explorer.point), scale=SCALE)
    z = explorer.set_point(0.5, -1.0)
    assert z == explorer.point == pytest.approx((0.5, -1.0), abs=max(explorer.z1.step, explorer.z2.step))
    for name, model in zip(explorer.names, models):
        assert_shows(explorer.decoded_images[name].value, reference(model, *z), scale=SCALE)
    assert f"({z[0]:.3f}, {z[1]:.3f})" in explorer.point_html.value


def test_slider_range_covers_both_latent_boxes(data, explorer):
    _, z_ae, z_vae = data
    both = torch.cat([z_ae, z_vae])
    lo, hi = both.min(0).values, both.max(0).values
    pad = 0.05 * (hi - lo)
    for slider, axis in ((explorer.z1, 0), (explorer.z2, 1)):
        assert slider.min == pytest.approx(float(lo[axis] - pad[axis]), rel=1e-5)
        assert slider.max == pytest.approx(float(hi[axis] + pad[axis]), rel=1e-5)
        for z in (z_ae, z_vae):
            assert slider.min < float(z[:, axis].min()) and float(z[:, axis].max()) < slider.max


def test_out_of_range_values_are_clamped(models, explorer):
    explorer.z2.value = explorer.z2.min - 50.0
    assert explorer.z2.value == explorer.z2.min
    assert explorer.set_point(1e9, -1e9) == (explorer.z1.max, explorer.z2.min)
    for name, model in zip(explorer.names, models):
        assert_shows(explorer.decoded_images[name].value, reference(model, explorer.z1.max, explorer.z2.min),
                     scale=SCALE)


@pytest.mark.parametrize("bad", [math.nan, math.inf, "abc"])
def test_non_finite_points_are_refused(models, explorer, bad):
    before = explorer.point
    with pytest.raises(ExplorerValueError):
        explorer.set_point(0.0, bad)
    assert explorer.point == before
    explorer.z1.value = math.nan  # 슬라이더에 NaN을 써도 마지막 정상 값으로 되돌림
    assert explorer.point == before
    for name, model in zip(explorer.names, models):
        assert_shows(explorer.decoded_images[name].value, reference(model, *before), scale=SCALE)


def test_markers_sit_on_the_point_in_both_scatters(explorer):
    explorer.set_point(0.0, 0.0)
    first = {n: w.value for n, w in explorer.scatter_images.items()}
    point = explorer.set_point(explorer.z1.max, explorer.z2.min)
    for name in explorer.names:
        png = explorer.scatter_images[name].value
        assert png != first[name]
        canvas = explorer.canvases[name]
        img = Image.open(io.BytesIO(png)).convert("RGB")
        x, y = canvas.pixel(*point)
        assert img.getpixel((round(x), round(y))) == (0, 0, 0)  # 과녁 가운데의 검은 점
        left, top, right, bottom = canvas.axes_box
        assert abs(x - right) < 2 and abs(y - bottom) < 2  # 오른쪽 아래 모서리


@pytest.mark.parametrize("where", [(0.0, 0.0), (2.0, 4.0), (-1.5, -1.0)])
def test_readouts_name_each_models_nearest_class(data, explorer, where):
    labels, z_ae, z_vae = data
    point = explorer.set_point(*where)
    for name, z in zip(explorer.names, (z_ae, z_vae)):
        d = torch.cdist(torch.tensor([point], dtype=torch.float64), z.double(),
                        compute_mode="donot_use_mm_for_euclid_dist")[0]
        i = int(d.argmin())
        assert explorer.nearest(*point)[name] == (i, pytest.approx(float(d[i]), abs=1e-6))
        assert f"<b>{KOREAN_NAMES[int(labels[i])]}</b>" in explorer.readouts[name]
        assert f"{float(d[i]):.3f}" in explorer.readouts[name]


def test_without_scatter_and_fixed_repr(models, data):
    labels, z_ae, z_vae = data
    ex = CompareExplorer(*models, z_ae, z_vae, labels, scatter=False, start=(1.0, 1.0))
    assert ex.scatter_images == {} and ex.point == pytest.approx((1.0, 1.0), abs=0.05)
    for name, model in zip(ex.names, models):
        assert_shows(ex.decoded_images[name].value, reference(model, *ex.point), scale=SCALE)
    bundle = ex._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle  # anywidget: (데이터, 메타데이터)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == ex.widget.model_id
    assert bundle["text/plain"] == "CompareExplorer(오토인코더와 VAE, z₁, z₂ 슬라이더)"  # 실행마다 같음 (nbval)


def test_bad_inputs_are_refused(models, data):
    labels, z_ae, z_vae = data
    with pytest.raises(ExplorerValueError):
        CompareExplorer(*models, z_ae, z_vae[:, :1], labels)
    with pytest.raises(ExplorerValueError):
        CompareExplorer(*models, z_ae, z_vae, labels[:-1])
    with pytest.raises(ExplorerValueError):
        CompareExplorer(*models, z_ae, z_vae, labels, start=(math.nan, 0.0))
