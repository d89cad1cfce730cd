"""aelib.illustrations: 계산 함수는 PyTorch와 같은 값을, 그림 함수는 기대한 축 수의 Figure를 내는지."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from aelib import illustrations as il  # noqa: E402
from aelib.data import class_subset, load_fashion_mnist  # noqa: E402
from aelib.labels import CLASSES  # noqa: E402
from aelib.model import Decoder, Encoder  # noqa: E402


@pytest.fixture(scope="module")
def images():
    return class_subset(load_fashion_mnist("test"), per_class=1).tensors[0]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _torch_conv_transpose(x, kernel, stride, padding, output_padding):
    x = torch.as_tensor(np.asarray(x), dtype=torch.float64)[None, None]
    w = torch.as_tensor(np.asarray(kernel), dtype=torch.float64)[None, None]
    return F.conv_transpose2d(x, w, stride=stride, padding=padding, output_padding=output_padding)[0, 0].numpy()


@pytest.mark.parametrize("n,stride,padding,output_padding", [(2, 2, 1, 1), (2, 2, 1, 0), (3, 2, 1, 1),
                                                             (4, 2, 0, 0), (3, 1, 1, 0), (3, 3, 1, 2)])
def test_reference_transposed_conv_matches_torch(n, stride, padding, output_padding):
    rng = np.random.default_rng(n * 10 + stride)
    x, kernel = rng.normal(size=(n, n)), rng.normal(size=(3, 3))
    expected = _torch_conv_transpose(x, kernel, stride, padding, output_padding)
    np.testing.assert_allclose(il.conv_transpose2d_scatter(x, kernel, stride, padding, output_padding), expected,
                               atol=1e-12)
    np.testing.assert_allclose(il.conv_transpose2d_by_zero_insertion(x, kernel, stride, padding, output_padding),
                               expected, atol=1e-12)


def test_reference_transposed_conv_on_a_real_image_patch(images):
    patch = images[7, 0, 10:16, 10:16]
    kernel = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    expected = _torch_conv_transpose(patch, kernel, 2, 1, 1)
    np.testing.assert_allclose(il.conv_transpose2d_scatter(patch, kernel, 2, 1, 1), expected, atol=1e-6)


def test_stamps_sum_to_the_uncropped_canvas():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    stamps = il.transposed_conv_stamps(x, np.ones((3, 3)), stride=2, output_padding=1)
    assert stamps.shape == (2, 2, 6, 6)
    assert stamps[1, 1, 2:5, 2:5].tolist() == [[4.0] * 3] * 3
    assert stamps.sum() == 9 * x.sum()


def test_output_size_formulas_match_torch_layers():
    for n in (2, 4, 7, 8, 16, 32):
        x = torch.zeros(1, 1, n, n)
        conv = torch.nn.Conv2d(1, 1, 3, stride=2, padding=1)
        assert il.conv_output_size(n) == conv(x).shape[-1]
        for op in (0, 1):
            convt = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=op)
            assert il.conv_transpose_output_size(n, output_padding=op) == convt(x).shape[-1]
    assert il.conv_transpose_output_size(4, output_padding=0) == 7
    assert il.conv_transpose_output_size(4, output_padding=1) == 8


def test_zero_inserted_input_layout():
    big = il.zero_inserted_input(np.array([[1.0, 2.0], [3.0, 4.0]]), 3, 2, 1, 1)
    assert big.shape == (6, 6)
    assert big[1, 1] == 1 and big[1, 3] == 2 and big[3, 1] == 3 and big[3, 3] == 4
    assert np.count_nonzero(big) == 4


def test_autoencoder_diagram(images):
    fig = il.draw_autoencoder_diagram(images[0], images[0], z=[1.5, -0.25])
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "인코더" in texts and "디코더" in texts and "\u22120.25" in texts
    assert len(fig.axes[0].images) == 2
    assert len(il.draw_autoencoder_diagram().axes[0].images) == 0


def test_strided_conv_picture():
    fig = il.draw_strided_conv(positions=((0, 0), (0, 1), (3, 3)), ncols=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert "출력 4×4" in [t.get_text() for t in fig.axes[0].texts]


def test_layer_stacks_follow_the_real_models():
    enc = Encoder()
    shapes, x = [(1, 32, 32)], torch.zeros(1, 1, 32, 32)
    for layer in enc.model:
        x = layer(x)
        if not isinstance(layer, torch.nn.ReLU):
            shapes.append(tuple(x.shape[1:]))
    assert shapes == [(1, 32, 32), (32, 16, 16), (64, 8, 8), (128, 4, 4), (2048,), (2,)]
    fig = il.draw_layer_stack(shapes, ["Conv2d"] * 3 + ["Flatten", "Linear"])
    assert len(fig.axes) == 1
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"16×16×32", "2048", "2"} <= labels
    assert Decoder()(torch.zeros(1, 2)).shape == (1, 1, 32, 32)
    with pytest.raises(ValueError):
        il.draw_layer_stack(shapes, ["too few"])


def test_transposed_conv_pictures():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    fig = il.draw_transposed_conv(x, np.ones((3, 3)))
    assert isinstance(fig, Figure) and len(fig.axes) == 3 + 4 + 1
    out_texts = [t.get_text() for t in fig.axes[2].texts]
    assert out_texts[:4] == ["1", "3", "2", "2"] and "10" in out_texts
    fig = il.draw_transposed_conv_as_conv(positions=((0, 0), (3, 3)))
    assert len(fig.axes) == 2


def test_class_table_html():
    table = il.class_table_html()
    assert table.count("<tr>") == 11
    for c in CLASSES:
        assert c.korean in table and c.color in table


def test_kernel_effect_and_image_rows(images):
    fig = il.plot_kernel_effect(images[0, 0], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert len(fig.axes) == 4
    assert fig.axes[3].images[0].get_array().shape == (16, 16)
    fig = il.plot_image_rows({"원본": images[:5], "다시": images[5:]}, col_titles=list("abcde"))
    assert len(fig.axes) == 10


def test_point_label_uses_a_real_minus_sign():
    assert il.point_label([-0.94, 1.66]) == "(\u22120.9, 1.7)"
    assert il.point_label(torch.tensor([2.5505, -0.5834]), digits=2) == "(2.55, \u22120.58)"
