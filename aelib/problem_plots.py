"""샘플링의 세 가지 문제를 보여 주는 그림 (측정은 ``aelib.problems``, 여기는 그리기만)."""

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Circle

from . import latent, problems, validate
from .labels import COLORS, KOREAN_NAMES, LABEL_CMAP
from .plotting import (EMBEDDING_GRAY, _axes, _figsize, _gray, _positive, _spread_box, _text, scatter_latent,
                       signed)
from .errors import ArgumentError, ShapeError
from .problems import NUM_CLASSES

LABEL_SIZE = 11
# 강조 색: 표 3-3의 클래스 색(rainbow)에 없는 색이라 레이블 색의 점들 위에서도 헷갈리지 않습니다.
HIGHLIGHT = "#ff00ff"
# 둘을 가르는 색 한 쌍 (Okabe–Ito의 파랑과 주황): 적록 색각 이상에서도 밝기와 색상이 달라 구별됩니다.
GOOD, BAD = "#0072B2", "#E69F00"


# ---------------------------------------------------------------- 인자 확인 (그림을 만들기 전에)

# 결과 종류 → 그 결과를 만드는 aelib.problems 함수 (메시지용)
MAKERS = {problems.ClassAreas: "class_areas", problems.ClassMix: "decoded_class_mix",
          problems.DistributionStats: "distribution_stats", problems.PriorCoverage: "prior_coverage",
          problems.EmptyArea: "empty_area", problems.HoleQuality: "hole_quality",
          problems.Interpolation: "interpolation_jumps", problems.JumpStats: "interpolation_jump_stats"}


def _result(obj, kind, name: str, function: str) -> None:
    """``aelib.problems``의 측정 결과인지 (예: ``class_areas(...)``가 돌려준 ``ClassAreas``)."""
    if not isinstance(obj, kind):
        maker = MAKERS[kind]
        validate.fail(ArgumentError, f"{function}의 {name}은(는) aelib.problems.{maker}(...)가 돌려준 {kind.__name__}여야 "
                                     f"합니다. 받은 값: {validate.describe(obj)}.",
                      f"{function} needs {name} to be the {kind.__name__} returned by aelib.problems.{maker}(...), "
                      f"got {validate.describe_en(obj)}.")


def _points_and_labels(z, labels, function: str, name: str = "z") -> torch.Tensor:
    """그림의 임베딩 (N, 2) 유한한 실수와 임베딩마다 레이블 하나 (0–9). 확인한 float32 CPU 텐서를 돌려줍니다."""
    z = validate.latent_points(z, 2, name).detach().cpu()
    validate.class_labels(labels, len(z), "labels")
    return z


def _optional_figsize(figsize) -> None:
    if figsize is not None:
        _figsize(figsize)


def _extent(lo, hi):
    return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))


def _share_bars(ax, shares, title, reference=None, reference_label="데이터 비율 10 %", xlabel="비율"):
    """클래스마다 가로 막대 (위에서부터 넓은 순서), 막대 끝에 백분율."""
    order = sorted(range(NUM_CLASSES), key=lambda c: shares[c])
    y = np.arange(NUM_CLASSES)
    ax.barh(y, [shares[c] for c in order], color=[COLORS[c] for c in order], edgecolor="#333333", linewidth=0.6)
    ax.set_yticks(y, [f"{c} {KOREAN_NAMES[c]}" for c in order])
    for yi, c in zip(y, order):
        ax.text(shares[c], yi, f" {shares[c] * 100:.1f} %", va="center", fontsize=9)
    if reference is not None:
        ax.axvline(reference, color="black", linestyle="--", linewidth=1, label=reference_label)
        ax.legend(loc="lower right", fontsize=9)
    ax.set_xlim(0, max(shares) * 1.25)
    ax.set_xlabel(xlabel)
    ax.set_title(title)


def plot_class_areas(z, labels, areas, mix=None, figsize=None):
    """문제 1: (왼쪽) 상자를 가장 가까운 임베딩의 레이블로 칠한 지도, (가운데) 클래스별 넓이 비율,
    (오른쪽, ``mix``가 있으면) 상자에서 균일하게 뽑아 디코딩한 이미지를 분류기가 판정한 비율."""
    _points_and_labels(z, labels, "plot_class_areas")
    _result(areas, problems.ClassAreas, "areas", "plot_class_areas")
    if mix is not None:
        _result(mix, problems.ClassMix, "mix", "plot_class_areas")
    _optional_figsize(figsize)
    ncols = 3 if mix is not None else 2
    fig, axes = plt.subplots(1, ncols, figsize=figsize or (6.2 * ncols, 5.6),
                             gridspec_kw={"width_ratios": [1.35] + [1] * (ncols - 1)})
    ax = axes[0]
    ax.imshow(areas.grid_labels.numpy(), cmap=LABEL_CMAP, vmin=-0.5, vmax=9.5, alpha=0.45,
              extent=_extent(areas.lo, areas.hi), origin="upper", aspect="auto", interpolation="nearest")
    scatter_latent(ax, z, labels, size=1.5, alpha=0.5, legend=False)
    ax.set_xlim(areas.lo[0], areas.hi[0])
    ax.set_ylim(areas.lo[1], areas.hi[1])
    ax.set_title("가장 가까운 임베딩의 레이블로 칠한 잠재 공간")
    _share_bars(axes[1], areas.shares, "클래스마다 차지하는 넓이의 비율", reference=0.1)
    if mix is not None:
        _share_bars(axes[2], mix.shares, f"무작위 점 {mix.n}개를 디코딩해 판정관이 고른 클래스", reference=0.1,
                    reference_label="고르게 나오면 10 %")
    fig.tight_layout()
    return fig


def _prior_circle(ax, radius, **kw):
    ax.add_patch(Circle((0, 0), radius, fill=False, **kw))


def plot_distribution(z, labels, stats, cover, figsize=(11, 6.4)):
    """문제 2: (왼쪽) 임베딩과 원점·평균·N(0, I)의 95 % 원, (오른쪽) N(0, I)에서 뽑은 점이
    데이터가 있는 곳에 떨어졌는지 (파랑 = 데이터가 있는 곳, 주황 = 빈 곳)."""
    _points_and_labels(z, labels, "plot_distribution")
    _result(stats, problems.DistributionStats, "stats", "plot_distribution")
    _result(cover, problems.PriorCoverage, "cover", "plot_distribution")
    _figsize(figsize)
    z = torch.as_tensor(z)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    ax = axes[0]
    scatter_latent(ax, z, labels, size=3, alpha=0.7, legend=False)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.axvline(0, color="black", linewidth=0.8)
    _prior_circle(ax, cover.radius, edgecolor="black", linestyle="--", linewidth=1.5,
                  label=f"N(0, I)의 95 % 원 (반지름 {cover.radius:.2f})")
    ax.plot(*stats.mean, marker="*", markersize=18, color="white", markeredgecolor="black", markeredgewidth=1.5,
            linestyle="", label=f"평균 ({signed(stats.mean[0])}, {signed(stats.mean[1])})")
    ax.plot(0, 0, marker="+", markersize=14, color="black", markeredgewidth=2, linestyle="", label="원점 (0, 0)")
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize=9)
    ax.set_title(f"원 안의 임베딩: {cover.data_in_prior * 100:.1f} %  (N(0, I)라면 95 %)")
    ax = axes[1]
    zn = z.numpy()
    ax.scatter(zn[:, 0], zn[:, 1], s=1.5, color="lightgray", linewidths=0, label="임베딩")
    s = cover.samples.numpy()
    on = cover.on_data.numpy()
    ax.scatter(s[on, 0], s[on, 1], s=5, color=GOOD, linewidths=0,
               label=f"데이터가 있는 곳 {on.mean() * 100:.1f} %")
    ax.scatter(s[~on, 0], s[~on, 1], s=5, color=BAD, linewidths=0,
               label=f"빈 곳 {(~on).mean() * 100:.1f} %")
    _prior_circle(ax, cover.radius, edgecolor="black", linestyle="--", linewidth=1.5)
    ax.set_xlim(axes[0].get_xlim())
    ax.set_ylim(axes[0].get_ylim())
    ax.set_aspect("equal")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(loc="lower left", fontsize=9, markerscale=3)
    ax.set_title(f"N(0, I)에서 뽑은 점 {cover.n}개")
    fig.tight_layout()
    return fig


def plot_holes(z, labels, empty, holes, figsize=(18, 5.6)):
    """문제 3: (왼쪽) 빈 곳 지도, (가운데) 균일하게 뽑은 점을 확신도로 칠함, (오른쪽) 거리 구간별 확신도."""
    _spread_box(_points_and_labels(z, labels, "plot_holes"), "z", "plot_holes")  # 지도의 범위 = 임베딩의 상자
    _result(empty, problems.EmptyArea, "empty", "plot_holes")
    _result(holes, problems.HoleQuality, "holes", "plot_holes")
    _figsize(figsize)
    z = torch.as_tensor(z)
    fig, axes = plt.subplots(1, 3, figsize=figsize, gridspec_kw={"width_ratios": [1, 1.15, 1]})
    lo, hi = z.min(0).values.numpy(), z.max(0).values.numpy()
    ax = axes[0]
    empty_map = (empty.grid_distance > empty.threshold).float().numpy()
    ax.imshow(empty_map, cmap="Blues", vmin=0, vmax=1.6, extent=_extent(lo, hi), origin="upper",
              aspect="auto", interpolation="nearest")
    # 임베딩은 회색: 파란 빈 곳이 바지의 파랑(표 3-3의 색)과 섞이지 않게
    scatter_latent(ax, z, labels, size=1.5, alpha=0.6, legend=False, color=EMBEDDING_GRAY)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_title(f"파란 곳 = 빈 곳 (데이터에서 τ = {empty.threshold:.3f}보다 멂, 회색 = 임베딩): 상자의 {empty.share * 100:.1f} %",
                 fontsize=10)
    ax = axes[1]
    zn = z.numpy()
    ax.scatter(zn[:, 0], zn[:, 1], s=1.5, color="lightgray", linewidths=0)
    p = holes.points.numpy()
    sc = ax.scatter(p[:, 0], p[:, 1], c=holes.confidence.numpy(), cmap="viridis", vmin=0, vmax=1, s=7,
                    linewidths=0)
    fig.colorbar(sc, ax=ax, label="판정관(분류기) 확신도")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.set_title(f"상자에서 균일하게 뽑은 점 {holes.n}개 (회색 = 임베딩)", fontsize=10)
    ax = axes[2]
    bins = len(holes.bin_confidence)
    edges = holes.bin_edges
    names = [f"{edges[b]:.3f}–\n{edges[b + 1]:.3f}" for b in range(bins)]
    x = np.arange(bins)
    ax.bar(x - 0.2, holes.bin_confidence, width=0.4, color=GOOD, label="평균 확신도")
    ax.bar(x + 0.2, holes.bin_low_share, width=0.4, color=BAD, label="확신도 < 0.5인 비율")
    for xi, (c, l) in enumerate(zip(holes.bin_confidence, holes.bin_low_share)):
        ax.text(xi - 0.2, c, f"{c:.2f}", ha="center", va="bottom", fontsize=8)
        ax.text(xi + 0.2, l, f"{l:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("가장 가까운 임베딩까지의 거리 구간 (왼쪽이 가까움, 구간마다 점 수가 같음)", fontsize=9)
    ax.legend(loc="upper right", fontsize=9)
    ax.set_title("데이터에서 멀수록 알아보기 어려워질까?", fontsize=10)
    fig.tight_layout()
    return fig


def plot_hole_examples(model, holes, k: int = 8, size: float = 1.25):
    """두 줄: (위) 데이터가 있는 곳에서 뽑아 확신도가 가장 높았던 이미지, (아래) 확신도가 가장 낮았던 이미지.
    제목: 분류기가 판정한 클래스, 확신도, 가장 가까운 임베딩까지의 거리."""
    validate.checked_model(model, "plot_hole_examples", needs=("decode",))
    _result(holes, problems.HoleQuality, "holes", "plot_hole_examples")
    k = validate.integer(k, "k", minimum=1, kind=ArgumentError)
    size = _positive(size, "size")
    conf, dist = holes.confidence, holes.distance
    near = torch.nonzero(dist <= holes.threshold).flatten()
    rows = [(near[conf[near].argsort(descending=True)[:k]], "데이터가 있는 곳,\n확신도 높음"),
            (conf.argsort()[:k], "확신도가\n가장 낮음")]
    fig, axes = plt.subplots(2, k, figsize=(k * size + 1.2, 2 * size * 1.45), squeeze=False)
    for row, (idx, name) in enumerate(rows):
        images = latent.decode(model, holes.points[idx])
        for j, i in enumerate(idx.tolist()):
            _gray(axes[row, j], images[j],
                  f"{KOREAN_NAMES[int(holes.predicted[i])]} {float(conf[i]):.2f}\n거리 {float(dist[i]):.3f}")
            axes[row, j].title.set_fontsize(8)
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=10)
    fig.tight_layout()
    return fig


def plot_interpolation(z, labels, interp, title=None, figsize=(14, 5.0)):
    """보간: (위) 직선 위에서 디코딩한 이미지 줄, (아래 왼쪽) 잠재 공간의 직선, (아래 오른쪽) 이웃한 이미지의 변화."""
    _points_and_labels(z, labels, "plot_interpolation")
    _result(interp, problems.Interpolation, "interp", "plot_interpolation")
    _text(title, "title", optional=True)
    _figsize(figsize)
    steps = len(interp.images)
    fig = plt.figure(figsize=figsize)
    top = fig.add_gridspec(2, 1, height_ratios=[1, 2.8], hspace=0.3, left=0.05, right=0.98, top=0.95, bottom=0.11)
    strip = top[0].subgridspec(1, steps, wspace=0.05)
    for i in range(steps):
        ax = fig.add_subplot(strip[0, i])
        _gray(ax, interp.images[i])
        if i in (interp.jump_at, interp.jump_at + 1):
            for spine in ax.spines.values():
                spine.set_edgecolor(HIGHLIGHT)
                spine.set_linewidth(2.5)
    bottom = top[1].subgridspec(1, 2, wspace=0.3)
    ax = fig.add_subplot(bottom[0, 0])
    scatter_latent(ax, z, labels, size=1.5, alpha=0.4, legend=False)
    p = interp.points.numpy()
    ax.plot(p[:, 0], p[:, 1], "k.-", markersize=4)
    ax.plot(*p[0], "ko", markersize=8)
    ax.plot(*p[-1], "ks", markersize=8)
    j = interp.jump_at
    ax.plot(p[j : j + 2, 0], p[j : j + 2, 1], color=HIGHLIGHT, linewidth=3.5, zorder=4)
    ax.set_title("잠재 공간의 직선: ● 시작, ■ 끝, 자홍색 = 가장 크게 바뀐 구간", fontsize=10)
    ax = fig.add_subplot(bottom[0, 1])
    x = np.arange(1, steps)
    ax.bar(x, interp.changes, color=[HIGHLIGHT if i == j else "tab:gray" for i in range(steps - 1)])
    ax.axhline(interp.mean_change, color="black", linestyle="--", linewidth=1,
               label=f"평균 {interp.mean_change:.4f}")
    ax.set_xlabel("이웃한 두 이미지 사이 (단계)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("평균 절대 픽셀 변화")
    ax.legend(fontsize=9)
    ax.set_title(f"최대 ÷ 평균 = {interp.jump_ratio:.2f}  (1이면 고르게 변함)", fontsize=10)
    if title:
        fig.suptitle(title, y=1.0)
    return fig


def plot_jump_ratios(stats, figsize=(6.5, 3.6)):
    """여러 쌍의 점프 비율 히스토그램."""
    _result(stats, problems.JumpStats, "stats", "plot_jump_ratios")
    if not len(stats.ratios):
        raise ArgumentError("plot_jump_ratios의 stats에 점프 비율이 하나도 없습니다: 쌍을 하나 이상 재세요 (pairs ≥ 1).",
                            "plot_jump_ratios: stats holds no jump ratios; measure at least one pair (pairs >= 1).")
    _figsize(figsize)
    fig, ax = plt.subplots(figsize=figsize)
    ax.hist(stats.ratios, bins=20, color="tab:blue", edgecolor="white")
    ax.axvline(stats.limit, color=BAD, linestyle="--", label=f"{stats.limit:g} 초과: {stats.share_above * 100:.1f} %")
    ax.axvline(1.0, color="black", linestyle=":", label="1 = 고르게 변함")
    ax.set_xlabel("점프 비율 (최대 변화 ÷ 평균 변화)")
    ax.set_ylabel("쌍의 수")
    ax.set_title(f"임베딩 {len(stats.ratios)}쌍의 보간: 중앙값 {stats.median_ratio:.2f}")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def _good_value(entry) -> float | None:
    """``"좋은 방향"`` 글의 앞 숫자 ("1에 가까울수록 …" → 1.0). 숫자가 없으면 None."""
    import re

    m = re.match(r"\s*([0-9]+(?:\.[0-9]+)?)", entry.get("좋은 방향", ""))
    return float(m.group(1)) if m else None


SUMMARY_COLORS = ["#9e9e9e", "#5f8fbf", "#e07b39", "#59a14f", "#b07aa1", "#edc948"]


def plot_summary_comparison(columns: dict[str, dict], figsize=None):
    """세 문제의 대표 숫자를 한 그림에: 문제마다 칸 하나, 열(모델·뽑는 방법)마다 막대 하나.

    ``columns``는 ``aelib.problems.summary_table``과 같은 ``{열 이름: summary(...)}``입니다.
    칸마다 "좋은 방향"의 목표 값(예: 1 또는 0)을 검은 점선으로 긋고, 막대 위에 숫자(소수 셋째 자리)를 씁니다.
    비율처럼 1배에서 수십 배까지 퍼지는 숫자(1보다 큰 값이 있고 목표가 1)는 로그 눈금으로 그립니다.
    무한대(가장 좁은 영역의 비율이 0)는 칸의 맨 위까지 닿는 빗금 막대와 "∞"로 표시합니다.
    """
    _check_summary_columns(columns)
    _optional_figsize(figsize)
    names = list(columns)
    keys = list(columns[names[0]])
    fig, axes = plt.subplots(1, len(keys), figsize=figsize or (4.6 * len(keys), 4.6), squeeze=False)
    colors = [SUMMARY_COLORS[i % len(SUMMARY_COLORS)] for i in range(len(names))]
    x = np.arange(len(names))
    for ax, key in zip(axes.flat, keys):
        entry = columns[names[0]][key]
        values = [float(columns[n][key]["숫자"]) for n in names]
        good = _good_value(entry)
        finite = [v for v in values if np.isfinite(v)]
        log = good == 1.0 and any(v > 1 for v in finite) and all(v > 0 for v in values)
        if log:
            ax.set_yscale("log")
            top = max(finite + [good]) * 3
            bottom = 0.5
        else:
            top = max(finite + [good or 0, 1e-9]) * 1.2
            bottom = 0.0
        heights = [v if np.isfinite(v) else top for v in values]
        bars = ax.bar(x, [h - (bottom if log else 0) for h in heights], bottom=bottom if log else 0,
                      color=colors, edgecolor="black", linewidth=0.6)
        for bar, v in zip(bars, values):
            if not np.isfinite(v):
                bar.set_hatch("//")
            ax.annotate("∞" if not np.isfinite(v) else f"{v:.3f}", (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height()),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=10)
        if good is not None:
            ax.axhline(good, color="black", linestyle="--", linewidth=1.3, label=f"목표 {good:g}", zorder=3)
            ax.legend(loc="upper right", fontsize=9)
        ax.set_ylim(bottom, top * (1.6 if log else 1.08))
        ax.set_xticks(x, names, fontsize=9)
        ax.tick_params(axis="x", labelrotation=0)
        ax.set_title(f"{entry['문제']}\n좋은 방향: {entry['좋은 방향']}", fontsize=10)
        ax.set_ylabel(_short_description(key) + (" (로그 눈금)" if log else ""), fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def _check_summary_columns(columns) -> None:
    """``{열 이름: summary(...)}``: 열마다 같은 문제 목록, 문제마다 {"문제", "좋은 방향", "숫자"} (숫자는 NaN이 아닌 실수)."""
    if not isinstance(columns, dict):
        raise ArgumentError(f"columns는 {{열 이름: aelib.problems.summary(...)}} 사전이어야 합니다. 받은 값: {validate.describe(columns)}.",
                            f"columns must be a dict {{column name: aelib.problems.summary(...)}}, got {validate.describe_en(columns)}.")
    names = list(columns)
    if not names:
        raise ArgumentError("columns에 열이 하나 이상 있어야 합니다. 받은 것: 빈 사전.",
                            "columns needs at least one column, got an empty dict.")
    for name in names:
        column = columns[name]
        if not isinstance(column, dict) or not column:
            raise ArgumentError(f"columns의 열 {name!r}은(는) aelib.problems.summary(...)의 결과(비어 있지 않은 사전)여야 합니다. "
                                f"받은 값: {validate.describe(column)}.",
                                f"Column {name!r} of columns must be a result of aelib.problems.summary(...) "
                                f"(a non-empty dict), got {validate.describe_en(column)}.")
        if list(column) != list(columns[names[0]]):
            raise ArgumentError(f"columns의 열 {name!r}의 문제 목록이 첫 열과 다릅니다. 같은 summary 함수의 결과를 주세요.",
                                f"Column {name!r} of columns lists different problems from the first; pass results of one summary function.")
        for key, entry in column.items():
            if not isinstance(entry, dict) or not {"문제", "좋은 방향", "숫자"} <= set(entry):
                raise ArgumentError(f"columns[{name!r}][{key!r}]은(는) \"문제\", \"좋은 방향\", \"숫자\"가 있는 사전이어야 합니다 "
                                    f"(aelib.problems.summary(...)의 항목). 받은 값: {validate.describe(entry)}.",
                                    f"columns[{name!r}][{key!r}] must be a dict with \"문제\", \"좋은 방향\" and \"숫자\" "
                                    f"(an entry of aelib.problems.summary(...)), got {validate.describe_en(entry)}.")
            number = entry["숫자"]
            if isinstance(number, (bool, np.bool_)) or not isinstance(number, (int, float, np.integer, np.floating)) \
                    or np.isnan(number):
                raise ArgumentError(f"columns[{name!r}][{key!r}][\"숫자\"]는 실수여야 합니다 (NaN 불가, 무한대는 ∞ 막대). "
                                    f"받은 값: {validate.describe(number)}.",
                                    f"columns[{name!r}][{key!r}][\"숫자\"] must be a real number (no NaN; infinity "
                                    f"is drawn as an ∞ bar), got {validate.describe_en(number)}.")
            if not isinstance(entry["좋은 방향"], str) or not isinstance(entry["문제"], str):
                raise ArgumentError(f"columns[{name!r}][{key!r}]의 \"문제\"와 \"좋은 방향\"은 글자여야 합니다.",
                                    f"The \"문제\" and \"좋은 방향\" of columns[{name!r}][{key!r}] must be strings.")


_SHORT = {"area_ratio": "가장 넓은 영역 ÷ 가장 좁은 영역", "prior_coverage": "N(0, I)와 데이터가 서로 덮는 비율",
          "empty_share": "빈 곳에 떨어진 점의 비율"}


def _short_description(key: str) -> str:
    return _SHORT.get(key, key)


# ---------------------------------------------------------------- aelib.measures의 그림


def plot_sampler_draws(z_data, draws: dict, titles: dict | None = None, size: float = 3.4, n_show: int = 1000,
                       data_label: str = "테스트 임베딩"):
    """뽑기마다 한 칸: 검은 점 = 데이터가 있는 곳(``z_data``, 2차원), 파란 점 = 그 뽑기에서 뽑은 점 (책의 색).
    ``draws``는 ``{이름: 점 (N, 2)}``, ``titles``는 칸 제목에 덧붙일 글 (예: 에너지 거리). 모든 칸이 같은 축 범위."""
    if not isinstance(draws, dict) or not draws:
        raise ArgumentError(f"draws에 뽑기가 하나 이상 있어야 합니다 ({{이름: 점 (N, 2)}} 사전). 받은 값: {validate.describe(draws)}.",
                            f"draws needs at least one sampler (a dict {{name: points (N, 2)}}), got {validate.describe_en(draws)}.")
    _spread_box(validate.latent_points(z_data, 2, "z_data").detach().cpu(), "z_data", "plot_sampler_draws")
    for name, pts in draws.items():
        validate.latent_points(pts, 2, f"draws[{name!r}]")
    if titles is not None and not isinstance(titles, dict):
        raise ArgumentError(f"titles는 {{뽑기 이름: 덧붙일 글}} 사전(또는 None)이어야 합니다. 받은 값: {validate.describe(titles)}.",
                            f"titles must be a dict {{sampler name: text}} (or None), got {validate.describe_en(titles)}.")
    size = _positive(size, "size")
    n_show = validate.integer(n_show, "n_show", minimum=1, kind=ArgumentError)
    _text(data_label, "data_label")
    z = torch.as_tensor(z_data).detach().cpu().float().numpy()
    lo, hi = z.min(0), z.max(0)
    pad = 0.08 * (hi - lo)
    fig, axes = plt.subplots(1, len(draws), figsize=(size * len(draws), size + 0.5), squeeze=False)
    for ax, (name, pts) in zip(axes.flat, draws.items()):
        p = torch.as_tensor(pts).detach().cpu().float().numpy()[:n_show]
        ax.scatter(z[:n_show, 0], z[:n_show, 1], s=2, color="black", linewidths=0, label=data_label)
        ax.scatter(p[:, 0], p[:, 1], s=2, color=GOOD, alpha=0.7, linewidths=0, label="뽑은 점")
        ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
        ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
        ax.set_xlabel("$z_1$")
        ax.set_title(name + (f"\n{titles[name]}" if titles and name in titles else ""), fontsize=10)
    axes[0, 0].set_ylabel("$z_2$")
    axes[0, 0].legend(loc="upper right", fontsize=8, markerscale=4)
    fig.tight_layout()
    return fig


def plot_gallery(rows: dict, predicted: dict | None = None, k: int = 10, size: float = 1.1):
    """뽑기마다 한 줄, 디코딩한 이미지 ``k``장 (같은 시드면 줄마다 같은 번호의 점). 제목은 분류기가 판정한 클래스."""
    if not isinstance(rows, dict) or not rows:
        raise ArgumentError(f"rows에 줄이 하나 이상 있어야 합니다 ({{이름: 이미지}} 사전). 받은 값: {validate.describe(rows)}.",
                            f"rows needs at least one row (a dict {{name: images}}), got {validate.describe_en(rows)}.")
    k = validate.integer(k, "k", minimum=1, kind=ArgumentError)
    size = _positive(size, "size")
    rows = {name: validate.plot_images(images, f"rows[{name!r}]") for name, images in rows.items()}  # [0, 1] 이미지
    for name, images in rows.items():
        if len(images) < k:
            raise ShapeError(f"rows[{name!r}]의 이미지가 {len(images)}장뿐입니다: 줄마다 k={k}장이 필요합니다. k를 줄이세요.",
                             f"rows[{name!r}] holds only {len(images)} images; each row needs k={k}. Lower k.")
    if predicted is not None:
        if not isinstance(predicted, dict) or set(predicted) != set(rows):
            raise ArgumentError(f"predicted는 rows와 같은 이름의 {{이름: 판정한 클래스}} 사전(또는 None)이어야 합니다. "
                                f"받은 값: {validate.describe(predicted)}.",
                                f"predicted must be a dict {{name: predicted classes}} with the names of rows (or None), "
                                f"got {validate.describe_en(predicted)}.")
        for name, classes in predicted.items():
            count = len(validate.class_labels(classes, None, f"predicted[{name!r}]"))
            if count < k:
                raise ShapeError(f"predicted[{name!r}]의 클래스가 {count}개뿐입니다: 그리는 이미지 k={k}장마다 하나씩 필요합니다.",
                                 f"predicted[{name!r}] holds only {count} classes; one per drawn image (k={k}) is needed.")
    fig, axes = plt.subplots(len(rows), k, figsize=(k * size + 1.6, len(rows) * size * 1.3), squeeze=False)
    for r, (name, images) in enumerate(rows.items()):
        for j in range(k):
            title = KOREAN_NAMES[int(predicted[name][j])] if predicted else None
            _gray(axes[r, j], images[j], title)
            axes[r, j].title.set_fontsize(8)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def _standardise(z: torch.Tensor) -> torch.Tensor:
    z = z.double()
    return ((z - z.mean(0)) / z.std(0)).float()


def plot_posterior_ellipses(ax, mean, sigma, labels, k: float = 2.0):
    """VAE의 "점 대신 영역": 평균 μ마다 축이 kσ인 타원 (레이블 색, 표 3-3).

    ``mean``, ``sigma``: (N, 2) 유한한 실수 (σ ≥ 0), ``labels``: (N,) 0–9, ``k``: 0보다 큰 실수."""
    from matplotlib.patches import Ellipse

    _axes(ax)
    _check_posterior(mean, sigma, "plot_posterior_ellipses")
    validate.class_labels(labels, len(mean), "labels")
    k = _positive(k, "k")

    mean, sigma = torch.as_tensor(mean).float().numpy(), torch.as_tensor(sigma).float().numpy()
    for (x, y), (sx, sy), c in zip(mean, sigma, torch.as_tensor(labels).tolist()):
        ax.add_patch(Ellipse((x, y), 2 * k * sx, 2 * k * sy, facecolor=COLORS[c], alpha=0.18,
                             edgecolor=COLORS[c], linewidth=0.6))
    return ax


def _check_posterior(mean, sigma, function: str, names=("mean", "sigma")) -> None:
    """사후 분포 (μ, σ): 같은 모양 (N, 2)의 유한한 실수, σ ≥ 0."""
    m = validate.latent_points(mean, 2, names[0])
    s = validate.latent_points(sigma, 2, names[1])
    if m.shape != s.shape:
        raise ShapeError(f"{function}의 {names[0]}과 {names[1]}의 모양이 다릅니다: {tuple(m.shape)}와 {tuple(s.shape)}. "
                         "같은 이미지들의 μ와 σ를 주세요.",
                         f"{function}: {names[0]} and {names[1]} differ in shape, {tuple(m.shape)} and {tuple(s.shape)}. "
                         "Pass μ and σ of the same images.")
    if bool((s < 0).any()):
        raise ArgumentError(f"{function}의 {names[1]}(표준편차 σ)에 음수가 있습니다: σ는 0 이상입니다 "
                            "(log_var에서 torch.exp(0.5 * log_var)로 구하세요).",
                            f"{function}: {names[1]} (standard deviation σ) has negative values; σ must be >= 0 "
                            "(compute it as torch.exp(0.5 * log_var)).")


def plot_side_by_side(z_ae, z_vae, labels, vae_mean=None, vae_sigma=None, ellipse_count: int = 300,
                      figsize=(13, 5.6)):
    """오토인코더(왼쪽)와 VAE(오른쪽)의 테스트 임베딩을 **각자 표준화**(평균 0, 표준편차 1)해 같은 눈금으로.
    ``vae_mean``, ``vae_sigma``를 주면 앞 ``ellipse_count``개 점의 μ ± 2σ 타원을 VAE 칸에 겹칩니다
    (표준화에 쓴 같은 눈금으로 σ도 나눔)."""
    checked_ae = _points_and_labels(z_ae, labels, "plot_side_by_side", "z_ae")
    checked_vae = _points_and_labels(z_vae, labels, "plot_side_by_side", "z_vae")
    _spread_box(checked_ae, "z_ae", "plot_side_by_side")  # 표준화: 표준편차가 0이면 0으로 나누기
    _spread_box(checked_vae, "z_vae", "plot_side_by_side")
    if (vae_mean is None) != (vae_sigma is None):
        raise ArgumentError("vae_mean과 vae_sigma는 함께 주거나 함께 빼야 합니다 (타원에는 μ와 σ가 모두 필요).",
                            "Pass vae_mean and vae_sigma together or leave both out (the ellipses need both μ and σ).")
    ellipse_count = validate.integer(ellipse_count, "ellipse_count", minimum=1, kind=ArgumentError)
    if vae_mean is not None:
        _check_posterior(vae_mean, vae_sigma, "plot_side_by_side", ("vae_mean", "vae_sigma"))
        if len(vae_mean) > len(checked_ae):
            raise ShapeError(f"vae_mean의 점({len(vae_mean)}개)이 레이블({len(checked_ae)}개)보다 많습니다: "
                             "앞에서부터 같은 순서의 이미지여야 합니다.",
                             f"vae_mean has more points ({len(vae_mean)}) than there are labels ({len(checked_ae)}); "
                             "they must be the first images in the same order.")
    _figsize(figsize)
    za, zv = torch.as_tensor(z_ae).float(), torch.as_tensor(z_vae).float()
    fig, axes = plt.subplots(1, 2, figsize=figsize, sharex=True, sharey=True)
    scatter_latent(axes[0], _standardise(za), labels, size=2, alpha=0.5, legend=False)
    axes[0].set_title("오토인코더: 테스트 임베딩 (표준화)")
    scatter_latent(axes[1], _standardise(zv), labels, size=2, alpha=0.5, legend=True)
    axes[1].set_title("VAE: 테스트 이미지의 μ (표준화)")
    if vae_mean is not None and vae_sigma is not None:
        m = torch.as_tensor(vae_mean).double()
        mu, sd = zv.double().mean(0), zv.double().std(0)
        plot_posterior_ellipses(axes[1], ((m[:ellipse_count] - mu) / sd),
                                torch.as_tensor(vae_sigma).double()[:ellipse_count] / sd, torch.as_tensor(labels)[:ellipse_count])
        axes[1].set_title(f"VAE: 테스트 이미지의 μ (표준화), 앞 {ellipse_count}개는 μ ± 2σ 타원")
    for ax in axes:
        ax.set_xlabel("$z_1$ (표준화)")
        ax.set_ylabel("$z_2$ (표준화)")
        ax.set_aspect("equal")
    axes[0].set_xlim(-4, 4)
    axes[0].set_ylim(-4, 4)
    fig.tight_layout()
    return fig
