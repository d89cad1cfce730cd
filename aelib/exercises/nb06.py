"""노트북 06의 연습문제: 6.1 가장 가까운 레이블로 넓이 재기, 6.2 예측 (N(0, I)의 점이 가장 많이 떨어지는 영역)."""

import torch

from ._core import Wrong, call, register, register_prediction, same, tensor

MISTAKES = {
    "counts_not_shares": ("개수를 돌려주었습니다: 점의 수로 나누어 비율(합 1)로 만드세요.",
                          "Returned counts: divide by the number of points so that the shares sum to 1."),
    "farthest": ("가장 먼 임베딩을 골랐습니다: 가장 가까운 것을 고르세요.",
                 "Picked the farthest embedding; pick the nearest."),
    "index_not_label": ("임베딩의 번호를 레이블처럼 썼습니다: 번호로 `labels`에서 레이블을 찾으세요.",
                        "Used the embedding's index as its label: look the label up in labels."),
    "missing_classes": ("점이 하나도 떨어지지 않은 클래스가 빠졌습니다 (모양 {shape}): 클래스는 늘 10개입니다. "
                        "`bincount`에 몇 칸이 필요한지 알려 주세요.",
                        "Classes that get no point are missing (shape {shape}); there are always 10 classes. "
                        "Tell bincount how many bins you need."),
}


def nearest_label_shares(points: torch.Tensor, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """정답: 점마다 가장 가까운 임베딩의 레이블을 붙이고, 레이블 0–9마다 점의 비율 (10,), 합 1.
    거리는 float64로 계산합니다 (경계에서 결정이 흔들리지 않게)."""
    d = torch.cdist(torch.as_tensor(points, dtype=torch.float64), torch.as_tensor(z, dtype=torch.float64))
    nearest = torch.as_tensor(labels)[d.argmin(dim=1)]
    return torch.bincount(nearest, minlength=10).double() / len(points)


@register("6.1", "가장 가까운 레이블로 넓이 재기", "점과 임베딩 사이의 모든 거리를 한 번에 재는 함수가 있습니다. "
          "점마다 가장 가까운 임베딩을 고르고 그 레이블을 센 뒤 비율로 만드세요. 점이 하나도 없는 클래스도 "
          "결과에 0으로 남아야 합니다.", nearest_label_shares, MISTAKES)
def _grade_shares(fn):
    z = torch.randn(300, 2, dtype=torch.float64)
    labels = torch.randint(0, 10, (300,))
    labels[labels == 9] = 8  # 레이블 9가 없는 데이터: bincount의 minlength가 필요함
    points = torch.rand(500, 2, dtype=torch.float64) * 6 - 3
    out = tensor(call(fn, points, z, labels), allow_numpy=True)
    expected = nearest_label_shares(points, z, labels)
    if out.numel() == 9 and same(out.flatten(), expected[:9], atol=1e-6):
        raise Wrong("missing_classes", shape=tuple(out.shape))
    if out.numel() == 10 and tuple(out.shape) != (10,):
        raise Wrong("shape", f"모양 (10,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected shape (10,)")
    if same(out.flatten(), expected, atol=1e-6):
        return
    d = torch.cdist(points, z)
    if same(out.flatten(), expected * len(points)):
        raise Wrong("counts_not_shares")
    far = torch.bincount(labels[d.argmax(dim=1)], minlength=10).double() / len(points)
    if out.numel() == 10 and same(out.flatten(), far, atol=1e-6):
        raise Wrong("farthest")
    index = d.argmin(dim=1)
    by_index = torch.bincount(index % 10, minlength=10).double() / len(points)
    if out.numel() == 10 and same(out.flatten(), by_index, atol=1e-6):
        raise Wrong("index_not_label")
    if out.numel() != 10:
        raise Wrong("shape", f"클래스 10개의 비율 (10,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected shape (10,)")
    raise Wrong("values")


register_prediction("6.2", "N(0, I)의 점이 가장 많이 떨어지는 영역")
