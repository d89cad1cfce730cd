"""잘못된 입력 6: 탐색 위젯 — 표 3-3 밖의 레이블, 길이가 다른 레이블, 없는 아이템 사이의 보간, NaN 임베딩 …

공개 API(``aelib.explorer``)로만 시험합니다. 오류는 모두 ``ExplorerValueError``이면서 종류별 오류이기도 합니다.
"""

import math

import numpy as np
import pytest
import torch
from torch.utils.data import TensorDataset

from aelib.errors import (ExplorerValueError, ImageValueError, LabelError, LatentValueError, ShapeError)
from aelib.explorer import CompareExplorer, InterpolationExplorer, LatentExplorer
from aelib.model import Autoencoder
from aelib.vae import VAE


@pytest.fixture(scope="module")
def setup():
    torch.manual_seed(0)
    model = Autoencoder().eval()
    g = torch.Generator().manual_seed(1)
    images = torch.rand(60, 1, 32, 32, generator=g)
    labels = torch.arange(60) % 10
    labels[labels == 5] = 4  # 이 데이터에는 5(샌들)가 없음
    z = torch.randn(60, 2, generator=g)
    return model, images, labels, z


def refused(kind, make, *words):
    with pytest.raises(ExplorerValueError) as err:
        make()
    assert isinstance(err.value, kind), type(err.value)
    for w in words:
        assert w in str(err.value), (w, str(err.value))
    assert err.value.korean and err.value.english and str(err.value).index(err.value.korean) == 0
    return err.value


# ------------------------------------------------------------------ 레이블

@pytest.mark.parametrize("bad, words", [
    (lambda y: y + 1, ["[10]", "표 3-3", "Table 3-3"]),
    (lambda y: y - 1, ["[-1]", "0–9"]),
    (lambda y: torch.where(y == 0, 255, y), ["[255]"]),
    (lambda y: y.float() + 0.5, ["정수가 아닌", "non-integer"]),
    (lambda y: [str(v) for v in y.tolist()], ["labels", "0–9"]),
    (lambda y: y.bool(), ["labels", "bool"]),
])
def test_labels_outside_table_3_3(setup, bad, words):
    model, images, labels, z = setup
    for make in (lambda: LatentExplorer(model, z, bad(labels)),
                 lambda: InterpolationExplorer(model, images, bad(labels), z, a=(1, 0), b=(7, 0)),
                 lambda: CompareExplorer(model, model, z, z, bad(labels))):
        refused(LabelError, make, "labels", *words)


@pytest.mark.parametrize("cut", [1, 30, 59])
def test_labels_of_the_wrong_length(setup, cut):
    model, images, labels, z = setup
    for make in (lambda: LatentExplorer(model, z, labels[:-cut]),
                 lambda: InterpolationExplorer(model, images, labels[:-cut], z),
                 lambda: CompareExplorer(model, model, z, z, labels[:-cut])):
        refused(ShapeError, make, f"레이블 수({60 - cut})", "임베딩 수(60)", f"({60 - cut})")
    refused(ShapeError, lambda: LatentExplorer(model, z, labels.reshape(6, 10)), "1차원")


def test_float_labels_with_integer_values_are_fine(setup):
    model, images, labels, z = setup
    ex = LatentExplorer(model, z, labels.double().numpy())
    assert ex.labels.dtype == np.int64 and ex.labels.tolist() == labels.tolist()


# ------------------------------------------------------------------ 보간의 아이템

@pytest.fixture(scope="module")
def walk(setup):
    model, images, labels, z = setup
    return InterpolationExplorer(model, TensorDataset(images, labels), labels, z, a=(1, 0), b=(7, 1))


@pytest.mark.parametrize("args, kind, words", [
    ((1, 6, 7, 0), ShapeError, ["index_a 6", "0–5"]),          # 바지는 6장 (0–5)
    ((1, 0, 7, -1), ShapeError, ["index_b -1"]),
    ((1, 0, 7, 2.5), ShapeError, ["index_b", "정수 번호", "2.5"]),
    ((1, True, 7, 0), ShapeError, ["index_a", "True"]),
    ((10, 0, 7, 0), LabelError, ["class_a 10", "표 3-3"]),
    ((1, 0, -1, 0), LabelError, ["class_b -1"]),
    ((1, 0, "바지", 0), LabelError, ["class_b", "'바지'"]),
    ((5, 0, 7, 0), LabelError, ["class_a 5", "샌들", "no items"]),  # 이 데이터에 없는 클래스
])
def test_interpolation_between_items_that_do_not_exist(walk, args, kind, words):
    before = (walk.index_a, walk.index_b, walk.decoded_image.value)
    refused(kind, lambda: walk.set_items(*args), *words)
    assert (walk.index_a, walk.index_b, walk.decoded_image.value) == before  # 위젯은 그대로


@pytest.mark.parametrize("a, kind, words", [
    ((12, 0), LabelError, ["a[0] 12"]),
    (3, ExplorerValueError, ["(클래스 번호, 클래스 안 번호)"]),
    ((1, 0, 2), ExplorerValueError, ["a=(1, 0)"]),
    ((1, 99), ShapeError, ["index_a 99"]),
    ((5, 0), LabelError, ["샌들"]),
])
def test_interpolation_constructor_items(setup, a, kind, words):
    model, images, labels, z = setup
    refused(kind, lambda: InterpolationExplorer(model, images, labels, z, a=a, b=(7, 0)), *words)


@pytest.mark.parametrize("t", [math.nan, math.inf, "반", None])
def test_t_must_be_a_finite_number(walk, t):
    before = walk.t
    with pytest.raises(ExplorerValueError):
        walk.set_t(t)
    assert walk.t == before


def test_interpolation_images_and_counts(setup):
    model, images, labels, z = setup
    refused(ImageValueError, lambda: InterpolationExplorer(model, images * 255, labels, z), "255로 나누세요")
    refused(ImageValueError, lambda: InterpolationExplorer(model, (images * 255).byte(), labels, z), "uint8")
    refused(ShapeError, lambda: InterpolationExplorer(model, images[:50], labels, z), "이미지 수(50)", "임베딩 수(60)")
    refused(ShapeError, lambda: InterpolationExplorer(model, images[:, 0], labels, z), "(N, 1, 32, 32)")


# ------------------------------------------------------------------ 임베딩과 그 밖의 인자

def with_nan(z, row=3):
    bad = z.clone()
    bad[row, 1] = float("nan")
    return bad


@pytest.mark.parametrize("bad, kind, words", [
    (lambda z: with_nan(z), LatentValueError, ["NaN", "[3]"]),
    (lambda z: with_nan(z, 0) * torch.inf, LatentValueError, ["NaN 또는 무한대"]),
    (lambda z: z[:, :1], ShapeError, ["(N, 2)"]),
    (lambda z: z[:1], ShapeError, ["2개 이상"]),
    (lambda z: z.bool(), LatentValueError, ["torch.bool"]),
])
def test_bad_embeddings(setup, bad, kind, words):
    model, images, labels, z = setup
    n = len(bad(z))
    refused(kind, lambda: LatentExplorer(model, bad(z), labels[:n]), "z", *words)
    refused(kind, lambda: CompareExplorer(model, model, z, bad(z), labels[:n] if n == 60 else labels),
            "z_vae" if n == 60 else "z")


def test_float64_and_numpy_embeddings_are_points(setup):
    model, images, labels, z = setup
    a = LatentExplorer(model, z, labels, start=(0.5, -0.5))
    b = LatentExplorer(model, z.double().numpy(), labels.numpy(), start=np.array([0.5, -0.5]))
    assert a.point == b.point and np.array_equal(a.decoded, b.decoded)


@pytest.mark.parametrize("kwargs, kind, words", [
    (dict(margin=math.nan), ExplorerValueError, ["margin", "nan"]),
    (dict(margin=-0.1), ExplorerValueError, ["margin", "0 이상"]),
    (dict(margin="넓게"), ExplorerValueError, ["margin", "실수"]),
    (dict(start=(0.0, 0.0, 0.0)), ShapeError, ["start", "실수 2개"]),
    (dict(start=(math.nan, 0.0)), LatentValueError, ["start", "NaN"]),
    (dict(start=0.5), ShapeError, ["start"]),
])
def test_other_arguments(setup, kwargs, kind, words):
    model, images, labels, z = setup
    refused(kind, lambda: LatentExplorer(model, z, labels, **kwargs), *words)


def test_models_that_do_not_fit(setup):
    model, images, labels, z = setup
    refused(ShapeError, lambda: LatentExplorer(Autoencoder(latents=3), z, labels), "잠재 크기는 3")
    refused(ExplorerValueError, lambda: LatentExplorer(torch.nn.Linear(2, 2), z, labels), "decode(z)")
    refused(ShapeError, lambda: CompareExplorer(model, VAE(latents=4), z, z, labels), "vae", "4")
    refused(ExplorerValueError, lambda: CompareExplorer(model, model, z, z, labels, names=("하나",)), "names")
