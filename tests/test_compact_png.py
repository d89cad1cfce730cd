"""노트북에 저장되는 인라인 그림(``aelib.plotting.compact_png``): 256색 PNG, 클래스 이름 표시는 그대로, 빈 그림은 없음."""

import io
import json

import matplotlib.pyplot as plt
import numpy as np
import torch
from PIL import Image

from aelib.plotting import CLASS_NAMES_KEY, compact_png, scatter_latent


def test_compact_png_is_a_smaller_palette_png_that_keeps_the_class_name_mark():
    from IPython.core.pylabtools import print_figure

    z = torch.randn(3000, 2, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(3000) % 10
    fig, ax = plt.subplots(figsize=(6, 5))
    scatter_latent(ax, z, labels)
    full, small = print_figure(fig, "png", bbox_inches="tight"), compact_png(fig)
    plt.close(fig)
    image = Image.open(io.BytesIO(small))
    assert image.mode == "P" and len(small) < len(full)
    assert image.size == Image.open(io.BytesIO(full)).size
    mark = json.loads(image.text[CLASS_NAMES_KEY])
    assert sorted(mark[0]["classes"]) == list(range(10))
    # 색이 256개로 줄어도 그림은 거의 같음 (화소 평균 차이가 밝기 2/255 미만)
    a = np.asarray(Image.open(io.BytesIO(full)).convert("RGB"), dtype=float)
    b = np.asarray(image.convert("RGB"), dtype=float)
    assert np.abs(a - b).mean() < 2.0


def test_an_empty_figure_gives_no_png():
    fig = plt.figure()
    assert compact_png(fig) is None
    plt.close(fig)
