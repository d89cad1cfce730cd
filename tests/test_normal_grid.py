"""정규분포 분위수 격자 (latent.normal_grid)와 바둑판 그림 (plotting.plot_decoded_mosaic)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from aelib import latent  # noqa: E402
from aelib.plotting import plot_decoded_mosaic  # noqa: E402
from aelib.pretrained import load_pretrained  # noqa: E402


def test_normal_grid_uses_normal_quantiles_in_grid_order():
    g = latent.normal_grid(5, 0.01, 0.99)
    assert g.shape == (25, 2)
    q = torch.tensor([-2.326348, -0.6588332, 0.0, 0.6588332, 2.326348])  # Φ⁻¹(0.01, 0.255, 0.5, 0.745, 0.99)
    assert torch.allclose(g[:5, 0], q, atol=1e-5)  # 첫 행: z₁이 작은 쪽부터
    assert torch.allclose(g[::5, 1], q.flip(0), atol=1e-5)  # 첫 열: z₂가 큰 쪽(위)부터
    # latent.grid와 같은 순서: 끝점이 같으면 모서리 네 점이 같음
    box = latent.grid(torch.tensor([q[0], q[0]]), torch.tensor([q[-1], q[-1]]), 5)
    assert torch.allclose(g[[0, 4, 20, 24]], box[[0, 4, 20, 24]], atol=1e-6)
    # 칸마다 N(0, 1)의 확률이 같음: Φ(격자값)이 고르게 퍼짐
    p = torch.distributions.Normal(0.0, 1.0).cdf(g[:5, 0].double())
    assert torch.allclose(p.diff(), torch.full((4,), 0.245, dtype=torch.float64), atol=1e-5)


@pytest.mark.parametrize("p_lo, p_hi", [(0.0, 0.99), (0.5, 0.4), (0.01, 1.0)])
def test_normal_grid_refuses_bad_probabilities(p_lo, p_hi):
    with pytest.raises(ValueError):
        latent.normal_grid(4, p_lo, p_hi)


def test_mosaic_places_each_decoded_point_in_its_tile():
    model = load_pretrained("autoencoder")[0]
    n = 4
    points = latent.normal_grid(n)
    fig = plot_decoded_mosaic(model, points, n, z=torch.randn(50, 2, generator=torch.Generator().manual_seed(0)),
                              labels=torch.arange(50) % 10, title="시험")
    scatter_ax, tiles = fig.axes[0], fig.axes[1:]
    assert len(tiles) == n * n
    expected = latent.decode(model, points).squeeze(1).numpy()
    for tile, image in zip(tiles, expected):
        assert np.allclose(tile.images[0].get_array(), image)
    # 타일 순서 = 화면 순서 (왼쪽 위부터 행 방향)
    centres = [(t.get_position().x0, -t.get_position().y0) for t in tiles]
    assert centres == sorted(centres, key=lambda c: (c[1], c[0]))
    # 산점도의 격자점
    offsets = scatter_ax.collections[-1].get_offsets()
    assert np.allclose(offsets, points.numpy())
    plt.close(fig)
    with pytest.raises(ValueError):
        plot_decoded_mosaic(model, points[:-1], n)
