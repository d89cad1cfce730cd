"""노트북 05의 연습문제: 5.1 두 점을 잇는 직선, 5.2 예측 (직선 한가운데의 옷)."""

import torch

from ._core import StudentError, Wrong, call, register, register_prediction, same, tensor

MISTAKES = {
    "endpoints": ("끝점이 빠졌습니다: 첫 점은 z_a, 마지막 점은 정확히 z_b여야 합니다 (`steps`개, 양 끝 포함).",
                  "Endpoints missing: the first point must be z_a and the last exactly z_b (steps points)."),
    "transposed": ("점마다 한 줄이 아니라 좌표마다 한 줄입니다 (모양 (2, steps)): 결과는 점 `steps`개가 한 줄씩인 "
                   "(steps, 2)여야 합니다 (쌓는 방향 `dim=1`, 또는 `.T`).",
                   "One row per coordinate instead of one row per point (shape (2, steps)); the result must be "
                   "(steps, 2), one point per row."),
    "reversed": ("방향이 반대입니다: z_a에서 시작해 z_b에서 끝나야 합니다.",
                 "Wrong direction: start at z_a and end at z_b."),
    "dtype": ("입력이 {given}인데 결과가 {got}입니다: 뒤의 셀은 float64 점으로 거리를 재므로 입력의 dtype을 따라야 "
              "합니다 (`torch.linspace(…, dtype=z_a.dtype)`).",
              "The input is {given} but the result is {got}; the next cell measures distances in float64, so "
              "follow the input's dtype."),
}


def interpolate(z_a: torch.Tensor, z_b: torch.Tensor, steps: int) -> torch.Tensor:
    """정답: z_a에서 z_b까지 직선 위의 점 ``steps``개 (양 끝 포함), 모양 (steps, 2), 입력의 dtype."""
    t = torch.linspace(0.0, 1.0, steps, dtype=z_a.dtype).unsqueeze(1)
    return (1 - t) * z_a + t * z_b


@register("5.1", "두 점을 잇는 직선", "0에서 1까지 같은 간격의 비율 t를 만들고, t가 0이면 z_a, 1이면 z_b가 되는 "
          "식을 세우세요. 점마다 한 줄이 되도록 t의 모양을 브로드캐스팅에 맞추고, dtype은 입력을 따릅니다.",
          interpolate, MISTAKES)
def _grade_interpolate(fn):
    for steps, dtype in ((2, torch.float32), (5, torch.float32), (21, torch.float32), (11, torch.float64)):
        z_a, z_b = torch.randn(2, dtype=dtype), torch.randn(2, dtype=dtype)
        try:
            out = tensor(call(fn, z_a, z_b, steps))
        except StudentError as e:
            if dtype == torch.float64:
                raise Wrong("dtype", f"float64 입력에서 오류 / error on float64 input: {e.error}",
                            given="float64", got="오류 (error)") from None
            raise
        expected = interpolate(z_a, z_b, steps)
        if out.shape == expected.shape and out.dtype != dtype:
            raise Wrong("dtype", given=str(dtype)[6:], got=str(out.dtype)[6:])
        if same(out, expected):
            continue
        if same(out, interpolate(z_b, z_a, steps)):
            raise Wrong("reversed")
        if out.dim() == 2 and same(out.T, expected):
            raise Wrong("transposed")
        if out.shape == expected.shape and not (same(out[0], z_a) and same(out[-1], z_b)):
            raise Wrong("endpoints")
        if out.shape != expected.shape:
            raise Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답 {tuple(expected.shape)} / got "
                                 f"{tuple(out.shape)}, expected {tuple(expected.shape)}")
        raise Wrong("values")


register_prediction("5.2", "직선 한가운데의 옷")
