"""세 문제의 대표 숫자를 나란히 그리는 그림: 막대 높이 = 표의 숫자, 목표 값의 점선, 로그 눈금."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from aelib import latent  # noqa: E402
from aelib import problems as P  # noqa: E402
from aelib.data import class_subset, load_fashion_mnist  # noqa: E402
from aelib.pretrained import load_pretrained  # noqa: E402
from aelib.problem_plots import plot_summary_comparison  # noqa: E402


@pytest.fixture(scope="module")
def columns():
    ae = load_pretrained("autoencoder")[0]
    classifier = load_pretrained("classifier")[0]
    images, labels = class_subset(load_fashion_mnist("test"), 100).tensors
    z = latent.embed(ae, images)
    return {"상자": P.summary(ae, classifier, z, labels, sampling="box", n=500, grid_n=60),
            "N(0, I)": P.summary(ae, classifier, z, labels, sampling="prior", n=500)}


def bar_tops(ax):
    return [p.get_y() + p.get_height() for p in ax.patches]


def test_one_panel_per_problem_one_bar_per_column(columns):
    fig = plot_summary_comparison(columns)
    axes = fig.axes
    assert len(axes) == 3
    for ax, key in zip(axes, columns["상자"]):
        assert columns["상자"][key]["문제"] in ax.get_title()
        assert "좋은 방향" in ax.get_title()
        assert [t.get_text() for t in ax.get_xticklabels()] == ["상자", "N(0, I)"]
        want = [columns[n][key]["숫자"] for n in columns]
        assert bar_tops(ax) == pytest.approx(want, rel=1e-6)
        texts = [t.get_text() for t in ax.texts]
        assert [f"{v:.3f}" for v in want] == texts
    plt.close(fig)


def test_reference_lines_mark_the_good_values(columns):
    fig = plot_summary_comparison(columns)
    targets = []
    for ax in fig.axes:
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1
        targets.append(dashed[0].get_ydata()[0])
    assert targets == [1.0, 1.0, 0.0]
    # 영역의 배수(1배 ~ 수십 배)는 로그 눈금, 비율은 보통 눈금
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "linear", "linear"]
    plt.close(fig)


def test_infinite_ratio_is_drawn_as_a_full_bar(columns):
    broken = {k: dict(v) for k, v in columns["상자"].items()}
    broken["area_ratio"]["숫자"] = math.inf  # 가장 좁은 클래스 영역이 0일 때
    fig = plot_summary_comparison({"상자": columns["상자"], "비어 있는 클래스": broken})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts][1] == "∞"
    assert bar_tops(ax)[1] > bar_tops(ax)[0] and math.isfinite(bar_tops(ax)[1])
    assert ax.patches[1].get_hatch() == "//"
    plt.close(fig)


def test_mismatched_columns_are_refused(columns):
    with pytest.raises(ValueError):
        plot_summary_comparison({})
    partial = {k: v for k, v in columns["상자"].items() if k != "empty_share"}
    with pytest.raises(ValueError):
        plot_summary_comparison({"상자": columns["상자"], "일부": partial})
