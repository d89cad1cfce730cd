"""2.3, 3.3: 학생이 쓴 ``nn.Module``을 같은 가중치의 정답 모듈과 행동(출력·기울기)으로 비교합니다.

학생이 ``__init__``에서 층을 새로 만들어도 됩니다: 한 번 실행해 실제로 쓰인 파라미터를 찾고, 그 모양이
정답의 파라미터와 순서대로 같으면 그 값을 정답 모듈에 옮겨 비교합니다 (엄격한 ``load_state_dict``가 아님).
"""

from typing import Callable

import torch

from ._core import StudentError, Wrong, call, same, tensor, value


def _run_order(module, make_input, student: bool):
    """한 번 실행해 (쓰인 순서의 파라미터, 선언 순서의 파라미터): 둘 다 기울기가 흐른 것만.
    쓰인 순서는 층(하위 모듈)이 불린 순서입니다: 학생이 ``self.fc``를 다시 만들어 선언 순서가 바뀌어도 맞춥니다."""
    calls = []
    hooks = [m.register_forward_pre_hook(lambda m, args: calls.append(m)) for m in module.modules()]
    module.zero_grad(set_to_none=True)
    try:
        out = call(module, make_input()) if student else module(make_input())
    finally:
        for h in hooks:
            h.remove()
    if isinstance(out, torch.Tensor) and out.requires_grad:
        backward = lambda: out.float().square().sum().backward()  # noqa: E731
        call(backward) if student else backward()
    by_use, seen = [], set()
    for m in calls:
        for p in m.parameters(recurse=False):
            if p.grad is not None and id(p) not in seen:
                seen.add(id(p))
                by_use.append(p)
    declared = [p for p in module.parameters() if p.grad is not None]
    module.zero_grad(set_to_none=True)
    return by_use, declared


def _copy_into(ref, student, make_input):
    try:
        ref.load_state_dict(student.state_dict())
        return
    except RuntimeError:
        pass
    wanted, _ = _run_order(ref, make_input, student=False)
    by_use, declared = _run_order(student, make_input, student=True)
    shapes = [p.shape for p in wanted]
    used = next((order for order in (by_use, declared) if [p.shape for p in order] == shapes), None)
    if used is None:
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
