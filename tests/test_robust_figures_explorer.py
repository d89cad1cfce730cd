"""잘못된 입력: 그림 함수(plotting, problem_plots, illustrations)와 탐색 위젯(canvas, widgets).

거절은 그림을 만들기 전에 (열린 그림이 남지 않음), 한국어 줄 다음에 영어 줄, 종류별 오류로.
"""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch.utils.data import TensorDataset  # noqa: E402

from aelib import illustrations as il  # noqa: E402
from aelib import plotting as pl  # noqa: E402
from aelib import problem_plots as pp  # noqa: E402
from aelib import problems  # noqa: E402
from aelib.errors import (ArgumentError, DegenerateDataError, ExplorerImageError, ExplorerLabelError,  # noqa: E402
                          ExplorerLatentError, ExplorerShapeError, ExplorerValueError, ImageValueError, LabelError,
                          LatentValueError, ShapeError)
from aelib.explorer import (InterpolationExplorer, LatentCanvas, LatentExplorer, image_png, png_to_array,  # noqa: E402
                            to_uint8)
from aelib.model import Autoencoder  # noqa: E402


@pytest.fixture(scope="module")
def data():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    z = torch.randn(50, 2, generator=g)
    labels = torch.arange(50) % 10
    images = torch.rand(20, 1, 32, 32, generator=g)
    return z, labels, images, Autoencoder().eval()


@pytest.fixture(scope="module")
def widget_data():
    g = torch.Generator().manual_seed(2)
    return torch.randn(60, 2, generator=g), torch.arange(60) % 10, torch.rand(60, 1, 32, 32, generator=g)


@pytest.fixture(scope="module")
def explorer(data, widget_data):
    z, labels, _ = widget_data
    return LatentExplorer(data[3], z, labels)


def refused(kind, make, korean, english):
    """``make()``가 ``kind``로 거절하고 (한국어 조각, 영어 조각이 각 줄에), 열린 그림을 남기지 않음."""
    before = set(plt.get_fignums())
    with pytest.raises(kind) as err:
        make()
    e = err.value
    assert str(e).startswith(e.korean) and str(e).endswith(e.english)
    assert korean in e.korean, (korean, e.korean)
    assert english in e.english, (english, e.english)
    assert set(plt.get_fignums()) == before, "거절했는데 그림이 열린 채 남음"
    return e


# ------------------------------------------------------------------ plotting


def test_show_images_refuses_before_drawing(data):
    _, _, images, _ = data
    refused(ShapeError, lambda: pl.show_images(torch.zeros(0, 1, 32, 32)), "하나도 없습니다", "holds no images")
    refused(ArgumentError, lambda: pl.show_images(images[:3], size=-1), "size", "greater than 0")
    refused(ArgumentError, lambda: pl.show_images(images[:3], titles="abc"), "titles", "one string per image")


def test_latent_space_arguments(data):
    z, labels, _, model = data
    refused(ArgumentError, lambda: pl.plot_latent_space(z, labels, figsize=(-1, 2)), "figsize[0]", "greater than 0")
    refused(ArgumentError, lambda: pl.plot_latent_space(z, labels, figsize=7), "(너비, 높이)", "(width, height)")
    refused(ArgumentError, lambda: pl.plot_latent_space(z, labels, color="notacolor"), "matplotlib이 아는 색",
            "not a matplotlib colour")
    fig, ax = plt.subplots()
    try:
        refused(ShapeError, lambda: pl.name_clusters(ax, z, labels[:3]), "레이블 수(3)", "number of labels (3)")
        refused(ArgumentError, lambda: pl.scatter_latent(None, z, labels), "matplotlib 축", "matplotlib Axes")
        refused(ArgumentError, lambda: pl.scatter_latent(ax, z, labels, alpha=2), "0–1", "[0, 1]")
        refused(ArgumentError, lambda: pl.annotate_points(ax, [[0.0, math.nan]], ["a"]), "NaN", "NaN")
        refused(ShapeError, lambda: pl.annotate_points(ax, [[0.0, 1.0]], ["a", "b"]), "texts", "one string per point")
    finally:
        plt.close(fig)
    refused(ArgumentError, lambda: pl.compact_png(None), "Figure", "matplotlib Figure")


def test_signed(data):
    assert pl.signed(-0.5) == "\u22120.50" and pl.signed(-0.001) == "0.00"
    refused(ArgumentError, lambda: pl.signed("a"), "실수", "real number")
    refused(ArgumentError, lambda: pl.signed(math.nan), "유한한", "finite")
    refused(ArgumentError, lambda: pl.signed(1.5, digits=-1), "digits", "at least 0")


def test_decoded_grid_box(data):
    z, labels, _, model = data
    refused(ArgumentError, lambda: pl.plot_decoded_grid(model, z, labels, n=3, margin=-5), "margin", "at least 0")
    refused(ArgumentError, lambda: pl.plot_decoded_grid(model, z, labels, n=0), "n은(는) 1 이상", "at least 1")
    refused(DegenerateDataError, lambda: pl.plot_decoded_grid(model, torch.ones(5, 2), labels[:5], n=3),
            "상자의 폭이 0", "zero width")


# ------------------------------------------------------------------ problem_plots


def test_gallery_and_summary(data):
    _, _, images, _ = data
    refused(ImageValueError, lambda: pp.plot_gallery({"a": images * 255}), "255로 나누세요", "Divide by 255")
    refused(ArgumentError, lambda: pp.plot_gallery({"a": images}, k=0), "k은(는) 1 이상", "at least 1")
    refused(ShapeError, lambda: pp.plot_gallery({"a": images[:3]}, k=10), "3장뿐", "only 3 images")
    refused(ArgumentError, lambda: pp.plot_summary_comparison({"a": {"x": 1}}), "\"숫자\"", "an entry of")
    refused(ArgumentError, lambda: pp.plot_summary_comparison(
        {"a": {"x": {"문제": "p", "좋은 방향": "0", "숫자": math.nan}}}), "NaN 불가", "no NaN")


@pytest.mark.parametrize("call, words", [
    (lambda z, y, m: pp.plot_class_areas(z, y, None), ("ClassAreas", "class_areas")),
    (lambda z, y, m: pp.plot_distribution(z, y, 3, None), ("DistributionStats", "distribution_stats")),
    (lambda z, y, m: pp.plot_jump_ratios(None), ("JumpStats", "interpolation_jump_stats")),
    (lambda z, y, m: pp.plot_interpolation(z, y, 7), ("Interpolation", "interpolation_jumps")),
    (lambda z, y, m: pp.plot_hole_examples(m, None), ("HoleQuality", "hole_quality")),
    (lambda z, y, m: pp.plot_holes(z, y, None, None), ("EmptyArea", "empty_area")),
])
def test_problem_plots_need_their_results(data, call, words):
    z, labels, _, model = data
    refused(ArgumentError, lambda: call(z, labels, model), words[0], f"aelib.problems.{words[1]}")


def test_problem_plots_check_shapes_before_drawing(data):
    z, labels, _, _ = data
    areas = problems.class_areas(z, labels, n=10)
    refused(ShapeError, lambda: pp.plot_class_areas(z, labels[:5], areas), "레이블 수(5)", "number of labels (5)")
    refused(ShapeError, lambda: pp.plot_side_by_side(z, z[:10], labels), "임베딩 수(10)", "embeddings (10)")
    refused(DegenerateDataError, lambda: pp.plot_side_by_side(z, torch.ones(50, 2), labels), "z_vae", "zero width")
    refused(ArgumentError, lambda: pp.plot_side_by_side(z, z, labels, vae_mean=z), "함께", "together")


# ------------------------------------------------------------------ illustrations


def test_output_size_formulas():
    assert il.conv_output_size(32) == 16 and il.conv_transpose_output_size(4, output_padding=1) == 8
    refused(ArgumentError, lambda: il.conv_output_size(0), "n은(는) 1 이상", "n must be at least 1")
    refused(ArgumentError, lambda: il.conv_output_size(-5), "받은 값: -5", "got -5")
    refused(ArgumentError, lambda: il.conv_output_size(8, stride=0), "stride", "at least 1")
    refused(ArgumentError, lambda: il.conv_output_size("8"), "정수", "integer")
    refused(ArgumentError, lambda: il.conv_output_size(1, kernel_size=7, padding=0), "커널", "fits nowhere")
    refused(ArgumentError, lambda: il.conv_transpose_output_size(4, stride=0), "stride", "at least 1")
    refused(ArgumentError, lambda: il.conv_transpose_output_size(4, stride=2, output_padding=2), "output_padding",
            "smaller than stride")
    refused(ArgumentError, lambda: il.conv_transpose_output_size(1, 1, 1, 3), "padding을 줄이세요", "Lower padding")


def test_transposed_conv_helpers():
    ones = np.ones((2, 2))
    refused(ArgumentError, lambda: il.conv_transpose2d_scatter(ones, np.ones((3, 3)), stride=0), "stride", "at least 1")
    refused(ArgumentError, lambda: il.zero_inserted_input(ones, padding=-1), "padding", "at least 0")
    refused(ArgumentError, lambda: il.zero_inserted_input(ones, padding=5), "kernel_size − 1", "at most kernel_size - 1")
    refused(ArgumentError, lambda: il.transposed_conv_stamps([["a"]], np.ones((3, 3))), "실수의 2차원", "2-D array")
    refused(ShapeError, lambda: il.transposed_conv_stamps(ones, np.ones((3, 2))), "정사각형", "square")
    refused(ShapeError, lambda: il.draw_transposed_conv(np.zeros((0, 0)), np.ones((3, 3))), "비어 있습니다", "empty")


def test_illustration_figures():
    image = torch.rand(32, 32)
    refused(ArgumentError, lambda: il.draw_strided_conv(ncols=0), "ncols", "at least 1")
    refused(ArgumentError, lambda: il.draw_strided_conv(positions=((9, 9),)), "출력 4×4 밖", "outside the 4x4")
    refused(ArgumentError, lambda: il.draw_transposed_conv_as_conv(n=0), "n은(는) 1 이상", "at least 1")
    refused(ShapeError, lambda: il.plot_kernel_effect(image, np.ones((2, 2, 2))), "2차원", "2-D")
    refused(ArgumentError, lambda: il.plot_kernel_effect(image, np.ones((3, 3)), padding=-1), "padding", "at least 0")
    refused(ArgumentError, lambda: il.plot_image_rows({}), "줄 하나 이상", "at least one row")
    refused(ShapeError, lambda: il.plot_image_rows({"a": torch.rand(3, 1, 32, 32)}, col_titles=["x"]),
            "3개", "one title per column (3)")
    refused(ArgumentError, lambda: il.draw_layer_stack([(1, 28, 28), ("a",)], ["x"]), "shapes[1][0]", "integer")
    refused(ArgumentError, lambda: il.draw_layer_stack([(1, 28, 28), (0,)], ["x"]), "1 이상", "at least 1")


def test_point_label():
    assert il.point_label([-0.94, 1.66]) == "(\u22120.9, 1.7)"
    refused(ShapeError, lambda: il.point_label("abc"), "좌표 목록", "coordinates of one point")
    refused(LatentValueError, lambda: il.point_label([math.nan, 0.0]), "NaN", "NaN")
    refused(ArgumentError, lambda: il.point_label([1.0, 2.0], digits=-1), "digits", "at least 0")


# ------------------------------------------------------------------ 탐색 위젯: canvas


def test_png_helpers():
    refused(ExplorerValueError, lambda: image_png(np.zeros((32, 32)), scale=0), "scale", "at least 1")
    refused(ExplorerShapeError, lambda: image_png(np.zeros(10)), "(32, 32)", "(32, 32)")
    refused(ExplorerShapeError, lambda: to_uint8(np.zeros((2, 2))), "받은 모양: (2, 2)", "got shape (2, 2)")
    refused(ExplorerImageError, lambda: image_png(np.full((32, 32), math.nan)), "NaN", "NaN")
    refused(ExplorerImageError, lambda: image_png(np.full((32, 32), 200.0)), "255로 나누세요", "Divide by 255")
    refused(ExplorerValueError, lambda: png_to_array(b"garbage"), "PNG 그림으로 읽을 수 없습니다", "cannot be read as a PNG")
    refused(ExplorerValueError, lambda: png_to_array(None), "PNG 파일의 바이트", "bytes of a PNG file")
    assert png_to_array(image_png(np.zeros((1, 32, 32), np.float32), 2)).shape == (64, 64)


def test_latent_canvas_arguments(widget_data):
    z, labels, _ = widget_data
    refused(ExplorerValueError, lambda: LatentCanvas(z, labels, [-3, -3], [3, 3], "t", dpi=0), "dpi", "at least 1")
    refused(ExplorerValueError, lambda: LatentCanvas(z, labels, [1, 1], [0, 0], "t"), "lo < hi", "lo < hi")
    refused(ExplorerLabelError, lambda: LatentCanvas(z, labels + 1, [-3, -3], [3, 3], "t"), "[10]", "[10]")


# ------------------------------------------------------------------ 탐색 위젯: widgets


def test_explorer_points(explorer):
    before = explorer.point
    refused(ExplorerLatentError, lambda: explorer.decode_point("a", 0), "실수 두 개", "two real numbers")
    refused(ExplorerLatentError, lambda: explorer.nearest("a", 0), "실수 두 개", "two real numbers")
    refused(ExplorerLatentError, lambda: explorer.nearest(math.nan, 0), "유한한 값", "finite")
    refused(ExplorerLatentError, lambda: explorer.set_point(True, 0), "True·False", "True/False")

    def write_text():
        explorer.z1.value = "a"

    refused(ExplorerLatentError, write_text, "z1.value", "real number")
    assert explorer.point == before


def test_explorer_data(data, widget_data):
    model = data[3]
    z, labels, images = widget_data
    refused(ExplorerLabelError, lambda: InterpolationExplorer(model, TensorDataset(images, (labels + 1) % 10), labels, z),
            "데이터셋의 레이블", "the dataset's labels")
    refused(ExplorerLatentError, lambda: LatentExplorer(model, torch.ones(60, 2), labels), "상자의 폭이 0", "zero width")
    e = refused(ExplorerValueError, lambda: LatentExplorer(Autoencoder().to("meta"), z, labels), "탐색 위젯의 model",
                "The explorer got a model on the meta device")
    assert "explorer" not in e.korean and "탐색" not in e.english
