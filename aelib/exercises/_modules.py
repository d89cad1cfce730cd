"""2.3, 3.3: 학생이 쓴 ``nn.Module``을 같은 가중치의 정답 모듈과 행동(출력·기울기)으로 비교합니다.

학생이 ``__init__``에서 층을 새로 만들어도 됩니다: 한 번 실행해 실제로 쓰인 파라미터를 찾고, 그 모양이
정답의 파라미터와 순서대로 같으면 그 값을 정답 모듈에 옮겨 비교합니다 (엄격한 ``load_state_dict``가 아님).
"""

from typing import Callable

import torch

from ._core import StudentError, Wrong, call, same, tensor, value


def _used_parameters(student, make_input):
    student.zero_grad(set_to_none=True)
    out = call(student, make_input())
    if isinstance(out, torch.Tensor) and out.requires_grad:
        call(lambda: out.float().square().sum().backward())
    used = [p for p in student.parameters() if p.grad is not None]
    student.zero_grad(set_to_none=True)
    return used


def _copy_into(ref, student, make_input):
    try:
        ref.load_state_dict(student.state_dict())
        return
    except RuntimeError:
        pass
    used = _used_parameters(student, make_input)
    wanted = list(ref.parameters())
    if [p.shape for p in used] != [p.shape for p in wanted]:
        raise Wrong("values", "쓰인 층이 노트의 층과 다릅니다 (순서·모양) / the layers used differ from the note's")
    with torch.no_grad():
        for mine, theirs in zip(used, wanted):
            theirs.copy_(mine)


def grade_module(cls, ref_cls, make_input: Callable, batch_sizes, variants: list[tuple[str, Callable]]):
    """배치 크기마다 출력의 모양·값, 그리고 기울기를 정답과 비교합니다."""
    student = value(cls)
    student = call(student)
    ref = ref_cls()
    _copy_into(ref, student, lambda: make_input(2))
    for n in batch_sizes:
        x = make_input(n)
        out = tensor(call(student, x))
        expected = ref(x)
        if tuple(out.shape) != tuple(expected.shape):
            raise Wrong("shape", f"배치 {n}: 받은 모양 {tuple(out.shape)}, 정답 {tuple(expected.shape)} / batch {n}: "
                                 f"got {tuple(out.shape)}, expected {tuple(expected.shape)}")
        if not same(out, expected):
            for mistake, variant in variants:
                if same(out, variant(ref, x)):
                    raise Wrong(mistake)
            raise Wrong("values")
        if not out.requires_grad:
            raise Wrong("detached")
        try:
            call(lambda: out.square().sum().backward())
        except StudentError:
            raise
        if not any(p.grad is not None for p in student.parameters()):
            raise Wrong("detached")
    student.zero_grad(set_to_none=True)
