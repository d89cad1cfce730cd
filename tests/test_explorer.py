"""잠재 공간 탐색 위젯 (브라우저 없이): 슬라이더 → 디코더 출력, 범위 자르기, 가장 가까운 클래스, 보간 끝점."""

import io
import math

import re

import numpy as np
import pytest
import torch
from PIL import Image

from aelib import latent
from aelib.data import class_subset, load_fashion_mnist
from aelib.errors import AelibError
from aelib.explorer import ExplorerValueError, InterpolationExplorer, LatentExplorer
from aelib.labels import KOREAN_NAMES
from aelib.pretrained import load_pretrained


@pytest.fixture(scope="module")
def model():
    return load_pretrained("autoencoder")[0]


@pytest.fixture(scope="module")
def data(model):
    ds = class_subset(load_fashion_mnist("test"), 100)  # 클래스마다 100장, 1000장
    images, labels = ds.tensors
    return ds, labels, latent.embed(model, images)


@pytest.fixture()
def explorer(model, data):
    ds, labels, z = data
    return LatentExplorer(model, z, labels)


@torch.no_grad()
def reference(model, z1, z2) -> np.ndarray:
    """디코더가 (z1, z2)에서 만드는 [0, 1] 이미지 (32, 32) — 위젯과 따로 계산."""
    model.eval()
    return model.decode(torch.tensor([[z1, z2]], dtype=torch.float32))[0, 0].numpy()


def shown_pixels(png: bytes, scale: int) -> np.ndarray:
    """위젯이 보내는 PNG를 풀어 32×32 회색 값으로: 확대가 최근접 이웃이면 각 scale×scale 칸은 한 색."""
    a = np.asarray(Image.open(io.BytesIO(png)).convert("L")).astype(int)
    assert a.shape == (32 * scale, 32 * scale)
    blocks = a.reshape(32, scale, 32, scale)
    assert (blocks == blocks[:, :1, :, :1]).all(), "확대가 최근접 이웃이 아님 (픽셀이 흐려짐)"
    return blocks[:, 0, :, 0]


def quantised(image01: np.ndarray) -> np.ndarray:
    """흰 바탕에 검은 옷: 값 v → round(255·(1 − v))."""
    return np.rint((1.0 - image01) * 255.0).astype(int)


def assert_shows(png: bytes, expected01: np.ndarray, scale: int):
    got = shown_pixels(png, scale)
    want = quantised(expected01)
    # 스레드 수에 따라 float 합산 순서가 달라 반올림 경계에서 1 차이가 날 수 있음
    assert np.abs(got - want).max() <= 1
    assert (got == want).mean() > 0.98


def test_slider_shows_exactly_the_decoder_output(model, explorer):
    before = explorer.decoded_image.value
    z1_before, z2 = explorer.point
    target = explorer.z1.min + 0.8 * (explorer.z1.max - explorer.z1.min)
    explorer.z1.value = target  # 브라우저에서 슬라이더를 끄는 것과 같은 경로 (observe)
    z1, z2_after = explorer.point
    assert z1 == pytest.approx(target, abs=explorer.z1.step)
    assert z2_after == z2
    expected = reference(model, z1, z2)
    assert np.abs(explorer.decoded - expected).max() < 1e-5
    assert explorer.decoded_image.value != before
    assert_shows(explorer.decoded_image.value, expected, scale=8)
    # 옛 점의 이미지는 아님: 시험이 실제로 실패할 수 있는지 확인
    assert np.abs(quantised(reference(model, z1_before, z2)) - shown_pixels(explorer.decoded_image.value, 8)).max() > 1


def test_second_slider_and_set_point(model, explorer):
    explorer.z2.value = explorer.z2.min + 0.1 * (explorer.z2.max - explorer.z2.min)
    assert_shows(explorer.decoded_image.value, reference(model, *explorer.point), scale=8)
    z = explorer.set_point(0.5, 1.0)
    assert z == explorer.point
    assert z == pytest.approx((0.5, 1.0), abs=max(explorer.z1.step, explorer.z2.step))
    assert_shows(explorer.decoded_image.value, reference(model, *z), scale=8)


def test_scatter_marker_moves_to_the_point(explorer):
    explorer.set_point(0.0, 0.0)
    first = explorer.scatter_image.value
    explorer.set_point(explorer.z1.max, explorer.z2.min)
    second = explorer.scatter_image.value
    assert first != second
    img = Image.open(io.BytesIO(second)).convert("RGB")
    assert img.size == (explorer.canvas.width, explorer.canvas.height)
    x, y = explorer.canvas.pixel(*explorer.point)
    assert img.getpixel((round(x), round(y))) == (0, 0, 0)  # 과녁 가운데의 검은 점
    # 과녁은 축의 오른쪽 아래 모서리에 있어야 함 (data → pixel 변환 확인)
    left, top, right, bottom = explorer.canvas.axes_box
    assert abs(x - right) < 2 and abs(y - bottom) < 2


def test_slider_range_is_the_widened_bounding_box(data, explorer):
    _, _, z = data
    lo, hi = z.min(0).values, z.max(0).values
    pad = 0.15 * (hi - lo)
    assert explorer.z1.min == pytest.approx(float(lo[0] - pad[0]), rel=1e-5)
    assert explorer.z1.max == pytest.approx(float(hi[0] + pad[0]), rel=1e-5)
    assert explorer.z2.min == pytest.approx(float(lo[1] - pad[1]), rel=1e-5)
    assert explorer.z2.max == pytest.approx(float(hi[1] + pad[1]), rel=1e-5)


def test_out_of_range_values_are_clamped(model, explorer):
    explorer.z1.value = explorer.z1.max + 100.0
    assert explorer.z1.value == explorer.z1.max
    assert_shows(explorer.decoded_image.value, reference(model, *explorer.point), scale=8)
    assert explorer.set_point(-1e9, 1e9) == (explorer.z1.min, explorer.z2.max)
    assert_shows(explorer.decoded_image.value, reference(model, explorer.z1.min, explorer.z2.max), scale=8)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "abc", None])
def test_set_point_refuses_non_finite_values(explorer, bad):
    before = explorer.point
    with pytest.raises(ExplorerValueError) as info:
        explorer.set_point(bad, 0.0)
    assert isinstance(info.value, AelibError) and isinstance(info.value, ValueError)
    assert "유한" in str(info.value) or "실수" in str(info.value)  # 한국어
    assert "finite" in str(info.value) or "real numbers" in str(info.value)  # 영어
    assert explorer.point == before


def test_nan_written_to_slider_is_undone(model, explorer):
    explorer.set_point(1.0, 1.0)
    good = explorer.point
    explorer.z1.value = math.nan  # ipywidgets는 NaN을 받아 버림 → 위젯이 마지막 값으로 되돌림
    assert explorer.point == good
    assert np.isfinite(explorer.decoded).all()
    assert_shows(explorer.decoded_image.value, reference(model, *good), scale=8)


@pytest.mark.parametrize("where", [(0.0, 0.0), (3.0, -2.0), (-2.0, 7.0), (5.0, 7.0)])
def test_readout_names_the_nearest_class_and_distance(data, explorer, where):
    _, labels, z = data
    point = explorer.set_point(*where)
    # float64, 행렬곱 없이: float32의 빠른 cdist는 작은 거리에서 1e-4 넘게 틀릴 수 있음
    d = torch.cdist(torch.tensor([point], dtype=torch.float64), z.double(),
                    compute_mode="donot_use_mm_for_euclid_dist")[0]
    i = int(d.argmin())
    assert explorer.nearest_label == int(labels[i])
    assert explorer.nearest_distance == pytest.approx(float(d[i]), abs=1e-6)
    assert f"<b>{KOREAN_NAMES[int(labels[i])]}</b>" in explorer.readout
    assert f"{float(d[i]):.3f}" in explorer.readout


def _ratio(readout: str) -> float:
    return float(re.search(r"의 <b>([0-9.]+|inf)</b>배", readout).group(1))


def test_far_point_reads_as_many_taus(explorer):
    explorer.set_point(explorer.z1.max, explorer.z2.max)  # 상자 모서리: 데이터에서 멂
    assert _ratio(explorer.readout) > 1 and 'style="width:100.0%"' in explorer.readout  # 게이지 끝까지
    explorer.set_point(*explorer.z[0].tolist())  # 임베딩 바로 위
    assert explorer.nearest_distance < 1e-3
    assert _ratio(explorer.readout) < 0.05


def test_last_line_of_a_cell_shows_the_widget(explorer):
    bundle = explorer._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle  # anywidget: (데이터, 메타데이터)
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert bundle["text/plain"] == "LatentExplorer(z₁, z₂ 슬라이더)"  # 실행마다 같음 (nbval)


def test_bad_embeddings_are_refused(model, data):
    _, labels, z = data
    with pytest.raises(ExplorerValueError):
        LatentExplorer(model, z[:, :1], labels)
    with pytest.raises(ExplorerValueError):
        LatentExplorer(model, z, labels[:-1])


# --- 보간


@pytest.fixture()
def interp(model, data):
    ds, labels, z = data
    return InterpolationExplorer(model, ds, labels, z, a=(1, 3), b=(7, 5))


def test_interpolation_endpoints_decode_the_embeddings(model, data, interp):
    ds, labels, z = data
    ia = int(torch.nonzero(labels == 1).flatten()[3])
    ib = int(torch.nonzero(labels == 7).flatten()[5])
    assert (interp.index_a, interp.index_b) == (ia, ib)
    assert interp.z_a == tuple(z[ia].tolist()) and interp.z_b == tuple(z[ib].tolist())

    interp.set_t(0.0)
    assert interp.point == interp.z_a
    assert_shows(interp.decoded_image.value, reference(model, *z[ia].tolist()), scale=7)
    assert np.abs(interp.decoded - reference(model, *z[ia].tolist())).max() < 1e-5

    interp.t_slider.value = 1.0
    assert interp.point == interp.z_b
    assert_shows(interp.decoded_image.value, reference(model, *z[ib].tolist()), scale=7)

    # 원본 두 장은 데이터셋의 이미지 그대로
    assert_shows(interp.image_a.value, ds.tensors[0][ia, 0].numpy(), scale=4)
    assert_shows(interp.image_b.value, ds.tensors[0][ib, 0].numpy(), scale=4)


def test_interpolation_midpoint_and_clamping(model, data, interp):
    _, _, z = data
    interp.t_slider.value = 0.5
    mid = ((z[interp.index_a] + z[interp.index_b]) / 2).tolist()
    assert interp.point == pytest.approx(mid, abs=1e-6)
    assert_shows(interp.decoded_image.value, reference(model, *interp.point), scale=7)
    assert interp.set_t(7.0) == 1.0
    with pytest.raises(ExplorerValueError):
        interp.set_t(math.nan)


def test_choosing_other_items_updates_everything(model, data, interp):
    ds, labels, z = data
    before = (interp.image_a.value, interp.scatter_image.value)
    interp.class_a.value = 9  # 드롭다운으로 앵클 부츠
    interp.item_a.value = 2
    ia = int(torch.nonzero(labels == 9).flatten()[2])
    assert interp.index_a == ia
    assert interp.image_a.value != before[0] and interp.scatter_image.value != before[1]
    assert_shows(interp.image_a.value, ds.tensors[0][ia, 0].numpy(), scale=4)
    interp.set_t(0.0)
    assert_shows(interp.decoded_image.value, reference(model, *z[ia].tolist()), scale=7)
    assert "앵클 부츠" in interp.readout
    with pytest.raises(ExplorerValueError):
        interp.set_items(1, 10_000, 7, 0)
    with pytest.raises(ExplorerValueError):
        interp.set_items(12, 0, 7, 0)


def test_empty_means_the_same_tau_as_notebook_06(explorer):
    from aelib.problems import data_threshold

    assert explorer.empty_threshold == pytest.approx(data_threshold(explorer.z), rel=1e-9)
    z1, z2 = explorer.z[0].tolist()
    explorer.set_point(z1 + 1.5 * explorer.empty_threshold, z2)
    ratio = explorer.nearest_distance / explorer.empty_threshold
    assert f"<b>{ratio:.2f}</b>배" in explorer.readout  # 연속: 거리 ÷ τ (깜박이지 않음)
    assert f"τ({explorer.empty_threshold:.3f})" in explorer.readout


def test_readout_gauge_is_continuous_across_tau(explorer):
    """τ를 사이에 둔 두 점: 글은 숫자만 조금 바뀌고 ("빈 곳입니다"처럼 켜졌다 꺼지는 문장이 없음)."""
    z1, z2 = explorer.z[0].tolist()
    texts = []
    for k in (0.98, 1.02):
        explorer.set_point(z1 + k * explorer.empty_threshold, z2)
        texts.append(re.sub(r"[0-9.]+", "#", explorer.readout))
    assert texts[0] == texts[1]


def test_tau_and_mask_follow_notebook_06_definition_at_scale():
    """격자 칸 계산이 ``problems.self_nn_distances``와 같은 값 (겹친 점, 먼 점 포함), 덮개도 같은 규칙."""
    from aelib.explorer.neighbours import farther_than, nearest_distances, threshold
    from aelib.problems import data_threshold, self_nn_distances

    g = torch.Generator().manual_seed(0)
    z = torch.cat([torch.randn(3000, 2, generator=g), 0.1 * torch.randn(2000, 2, generator=g) + 3,
                   torch.tensor([[40.0, 40.0]]), torch.randn(5, 2, generator=g)])
    z = torch.cat([z, z[:7]])  # 같은 자리의 점
    assert np.abs(nearest_distances(z.numpy()) - self_nn_distances(z).numpy()).max() < 1e-12
    assert threshold(z.numpy()) == pytest.approx(data_threshold(z), rel=1e-12)
    q = torch.rand(4000, 2, generator=g) * 50 - 5
    brute = torch.cdist(q.double(), z.double()).min(dim=1).values.numpy()
    assert np.abs(nearest_distances(z.numpy(), q.numpy()) - brute).max() < 1e-12
    tau = threshold(z.numpy())
    assert (farther_than(z.numpy(), q.numpy(), tau) == (brute > tau)).all()


def test_tau_on_real_embeddings_equals_data_threshold(data):
    from aelib.explorer.neighbours import threshold
    from aelib.problems import data_threshold

    z = data[2]  # 가장자리(최솟값)에 놓인 임베딩도 칸 안에 들어가야 함
    assert threshold(z.numpy()) == pytest.approx(data_threshold(z), rel=1e-12)


def test_widget_state_holds_no_onnx_bytes(model, data):
    images, labels, z = data
    explorer = LatentExplorer(model, z, labels, images=images)
    state = explorer.widget.get_state()
    assert all(set(d) == {"key", "lift"} for d in state["decoders"])
    assert state["panels"][0]["encoder"]["kind"] == "ae"

    def sizes(v):
        if isinstance(v, (bytes, bytearray, memoryview)):
            yield len(v)
        elif isinstance(v, dict):
            for x in v.values():
                yield from sizes(x)
        elif isinstance(v, list):
            for x in v:
                yield from sizes(x)

    assert max(sizes(state)) < 300_000  # ONNX(≈1 MB)는 상태에 없음; 가장 큰 것은 산점도 PNG
    assert len(state["pad_images"]) == 5 and all(len(p["pixels"]) == 784 for p in state["pad_images"])


def test_other_axes_are_named_in_title_readout_and_summary(model, data):
    """주성분 평면(노트북 08)처럼 축 이름을 주면 제목·읽은 글·셀의 글자가 z₁, z₂ 대신 그 이름을 씀."""
    _, labels, z = data
    names = ("제1 주성분", "제2 주성분")
    plane = LatentExplorer(model, z, labels, axis_labels=names)
    assert "옷장의 위치(제1 주성분, 제2 주성분)" in plane.widget.title and "z₁" not in plane.widget.title
    assert plane.readout.startswith("(제1 주성분, 제2 주성분) = (")
    bundle = plane._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert bundle["text/plain"] == "LatentExplorer(제1 주성분, 제2 주성분 슬라이더)"
    assert list(plane.widget.axis_labels) == list(names)
