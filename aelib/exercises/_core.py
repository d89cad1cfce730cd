"""채점의 공통 부분: 결과, 학생 코드 실행(시간 제한, stderr 가둠), 점수, 예측 비교.

채점 결과는 넷 중 하나입니다.

- ``정답입니다 ✓`` — 무작위 입력에서 정답과 같고, 뒤의 셀이 쓰는 방식(인자 이름, dtype, 배치 1)으로도 돌아감
- ``아직 풀지 않았습니다`` — 함수가 ``NotImplementedError``를 내거나 ``None``/``...``을 돌려줌
- ``틀렸습니다 ✗`` — 가장 그럴듯한 실수를 한국어와 영어로
- ``채점기 오류`` — 채점 코드 자체의 오류 (학생 답의 잘못이 아님; 강사에게 알림)

``check``와 ``reveal``은 점수(맞으면 1.0, 아니면 0.0)를 돌려줍니다. 노트북의 채점 셀은 nbgrader의
채점 셀이고, 셀의 마지막 값인 이 점수가 nbgrader의 부분 점수가 됩니다 (오류를 내지 않으므로 학생용
노트북의 Run All이 멈추지 않음).
"""

import ast
import contextlib
import io
import math
import os
import re
import signal
import sys
import threading
import warnings
from dataclasses import dataclass, field
from typing import Callable

import torch

CORRECT, UNSOLVED, WRONG, CHECKER_ERROR = "correct", "unsolved", "wrong", "checker_error"
TIME_LIMIT = 5.0  # 학생 코드 한 번 부르기의 시간 제한 (초)

# 모든 연습문제에 쓰는 실수. 연습문제마다의 실수는 nbXX 모듈의 MISTAKES에 있습니다.
COMMON_MISTAKES = {
    "shape": ("출력의 모양이 다릅니다.", "The output has the wrong shape."),
    "values": ("값이 정답과 다릅니다.", "The values differ from the reference."),
    "not_tensor": ("텐서가 아니라 {kind}을(를) 돌려주었습니다: 뒤의 셀은 torch 텐서를 씁니다 (ndarray, not tensor 등).",
                   "Returned a {kind}, not a torch tensor; the next cells need a tensor."),
    "error": ("실행 중 오류가 났습니다: {error}", "The code raised an error: {error}"),
    "timeout": ("{seconds:g}초 안에 끝나지 않았습니다: 끝나지 않는 반복문이 없는지 보세요.",
                "Did not finish within {seconds:g} s: look for a loop that never ends."),
    "in_place": ("제자리 연산(`+=`, `.add_()`, `.exp_()` 등)이 자동 미분을 깨뜨렸습니다: 새 텐서를 만드는 연산을 쓰세요.",
                 "An in-place operation (+=, .add_(), .exp_(), …) broke autograd: use out-of-place operations."),
    "detached": ("기울기가 흐르지 않습니다: `.detach()`, `.item()`, `.data`, `torch.no_grad()`를 쓰지 마세요.",
                 "No gradient flows: avoid .detach(), .item(), .data and torch.no_grad()."),
    "keywords": ("뒤의 셀은 이 함수를 인자 이름으로 부릅니다 ({call}): 주어진 이름을 그대로 쓰세요.",
                 "The next cells call this function by keyword ({call}); keep the given parameter names."),
    "grad_mode_changed": ("함수가 기울기 기록을 끈 채로 두었습니다 (`torch.set_grad_enabled(False)`): 뒤의 훈련이 "
                          "배우지 않게 됩니다. `with torch.no_grad():` 블록 안에서만 끄세요.",
                          "The function left gradient recording switched off (torch.set_grad_enabled(False)), so "
                          "later training would not learn; switch it off only inside a `with torch.no_grad():` block."),
}


@dataclass
class Feedback:
    """채점 결과: ``status``는 correct/unsolved/wrong/checker_error, ``mistake``는 실수의 이름 (틀렸을 때)."""

    exercise: str
    status: str
    message: str
    mistake: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == CORRECT

    @property
    def score(self) -> float:
        return 1.0 if self.ok else 0.0

    def __str__(self) -> str:
        return self.message


class Wrong(Exception):
    """틀린 답: ``mistake``는 연습문제의 실수 이름, ``detail``은 덧붙일 한 줄."""

    def __init__(self, mistake: str, detail: str = "", **fmt):
        super().__init__(mistake)
        self.mistake, self.detail, self.fmt = mistake, detail, fmt


class Unsolved(Exception):
    pass


class StudentError(Exception):
    """학생 코드가 낸 오류 (채점기의 오류와 구별)."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


class _Timeout(BaseException):  # 학생 코드의 except Exception에 잡히지 않게
    pass


@dataclass
class Exercise:
    key: str  # "2.1"
    title: str
    hint: str
    grade: Callable  # answer → 통과하면 None, 아니면 Wrong / Unsolved
    reference: object
    mistakes: dict = field(default_factory=dict)


@dataclass
class Prediction:
    """"예측하고 실행하기" 연습문제: 숫자면 ``tolerance`` 안이면 맞음, 글자면 앞뒤 공백을 뺀 같은 글자."""

    key: str
    title: str
    tolerance: float = 0.0


EXERCISES: dict[str, Exercise] = {}
PREDICTIONS: dict[str, Prediction] = {}


def register(key, title, hint, reference, mistakes=None):
    """``@register("2.1", …)``: 채점 함수를 연습문제로 등록합니다."""
    def wrap(grade):
        EXERCISES[key] = Exercise(key, title, hint, grade, reference, dict(mistakes or {}))
        return grade
    return wrap


def register_prediction(key, title, tolerance=0.0):
    PREDICTIONS[key] = Prediction(key, title, tolerance)


# ---------------------------------------------------------------- 학생 코드 부르기


_OWN_FILES = (os.path.dirname(os.path.abspath(__file__)), os.path.abspath(contextlib.__file__))


def _is_own(frame) -> bool:
    return os.path.abspath(frame.f_code.co_filename).startswith(_OWN_FILES)


def _in_student_code(frame) -> bool:
    """``call``이 부른 학생 코드(또는 그 코드가 부른 것) 안인지: ``call``까지 올라가며 채점기 밖의 프레임이 있는지."""
    f = frame
    while f is not None and f.f_code is not call.__code__:
        if not _is_own(f):
            return True
        f = f.f_back
    return False


def _keep_raising(frame):
    """시간이 다 된 뒤: 학생 코드가 ``except:``로 ``_Timeout``을 삼켜도 그다음 줄에서 다시 내도록, 학생 쪽 프레임을
    줄마다 추적합니다 (채점기와 contextlib의 프레임은 빼고, ``call``보다 바깥은 건드리지 않음)."""
    def tracer(fr, event, arg):
        if _is_own(fr):
            return None
        if event == "line":  # 잡힌 뒤의 첫 줄(except 줄)에서 내면 그 except 밖으로 나감
            raise _Timeout
        return tracer

    f = frame
    while f is not None and f.f_code is not call.__code__:
        if not _is_own(f):
            f.f_trace_lines = True
            f.f_trace = tracer
        f = f.f_back
    sys.settrace(tracer)


@contextlib.contextmanager
def _time_limit(seconds: float):
    """메인 스레드(노트북 커널)에서는 SIGALRM으로 시간 제한; 그 밖에서는 제한 없이."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        if not _in_student_code(frame):  # 학생 코드가 이미 끝나 채점기·정리 코드에 있음: 건드리지 않음
            return
        _keep_raising(frame)
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    previous_trace = sys.gettrace()
    # 다 된 뒤에도 0.05초마다 다시: except가 겹겹이 있어도 한 겹씩 벗겨 나옴 (추적 함수는 한 번 내면 풀림)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.settrace(previous_trace)


def call(fn, *args, **kwargs):
    """학생 코드를 부릅니다: 시간 제한, stderr와 경고는 가둠, 오류는 ``StudentError``로.
    학생 코드가 기울기 기록(전역 상태)을 바꿔 두면 되돌리고 그 실수를 알려 줍니다."""
    grad_mode = torch.is_grad_enabled()
    try:
        with _time_limit(TIME_LIMIT), contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*args, **kwargs)
    except (Wrong, Unsolved):
        raise
    except NotImplementedError:
        raise Unsolved from None
    except Exception as e:
        raise StudentError(e) from None
    finally:
        changed = torch.is_grad_enabled() != grad_mode
        torch.set_grad_enabled(grad_mode)
    if changed:
        raise Wrong("grad_mode_changed")
    return out


def value(out):
    """``None``/``...``은 아직 풀지 않은 것."""
    if out is None or out is Ellipsis:
        raise Unsolved
    return out


def same(a, b, rtol=1e-4, atol=1e-5) -> bool:
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return a.shape == b.shape and torch.allclose(a, b, rtol=rtol, atol=atol)


def tensor(out, expected_shape=None, allow_numpy=False):
    """학생의 결과가 텐서인지 (``allow_numpy``면 뒤의 셀이 돌아가는 ndarray도 받아 텐서로)."""
    out = value(out)
    if allow_numpy and type(out).__module__ == "numpy" and hasattr(out, "shape"):
        out = torch.from_numpy(out)
    if not isinstance(out, torch.Tensor):
        kind = "numpy ndarray" if type(out).__module__ == "numpy" else type(out).__name__
        raise Wrong("not_tensor", kind=kind)
    if expected_shape is not None and tuple(out.shape) != tuple(expected_shape):
        raise Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답의 모양 {tuple(expected_shape)} / got "
                             f"{tuple(out.shape)}, expected {tuple(expected_shape)}")
    return out


def match(answer_fn, cases, candidates: dict, reference: Callable, close=None, keywords=()) -> None:
    """모든 경우에 정답과 같으면 통과. 아니면 답이 모든 경우에 일치하는 흔한 실수를 찾습니다.
    ``keywords``: 뒤의 셀처럼 첫 인자 뒤를 이 이름들로 넘겨 부릅니다."""
    close = close or (lambda a, b: a == b)

    def run(c):
        try:
            return value(call(answer_fn, c[0], **dict(zip(keywords, c[1:])))) if keywords else \
                value(call(answer_fn, *c))
        except StudentError as e:
            if keywords and isinstance(e.error, TypeError) and "argument" in str(e.error):
                shown = ", ".join(f"{k}=…" for k in keywords)
                raise Wrong("keywords", call=f"f(n, {shown})") from None
            raise

    outs = [run(c) for c in cases]
    refs = [reference(*c) for c in cases]
    if all(close(o, r) for o, r in zip(outs, refs)):
        return
    for mistake, wrong_fn in candidates.items():
        try:
            if all(close(o, wrong_fn(*c)) for o, c in zip(outs, cases)):
                raise Wrong(mistake)
        except (ZeroDivisionError, ValueError, TypeError):
            continue
    bad = next(i for i, (o, r) in enumerate(zip(outs, refs)) if not close(o, r))
    raise Wrong("values", f"입력 {cases[bad]}: 받은 값 {outs[bad]!r}, 정답 {refs[bad]!r} / "
                          f"input {cases[bad]}: got {outs[bad]!r}, expected {refs[bad]!r}")


# ---------------------------------------------------------------- 채점


def diagnose(key: str, answer) -> Feedback:
    """연습문제 ``key``에 대한 ``answer``의 채점 결과 (출력하지 않음)."""
    ex = EXERCISES[key]
    head = f"연습문제 {key} ({ex.title}): "
    try:
        if answer is None or answer is Ellipsis:
            raise Unsolved
        with torch.random.fork_rng():  # 채점이 노트북의 난수 흐름을 바꾸지 않게
            torch.manual_seed(0)
            ex.grade(answer)
    except Unsolved:
        return Feedback(key, UNSOLVED, head + "아직 풀지 않았습니다. / Not yet solved.\n힌트: " + ex.hint)
    except Wrong as w:
        return _wrong(ex, head, w.mistake, w.detail, **w.fmt)
    except StudentError as e:
        text = str(e.error)
        if isinstance(e.error, RuntimeError) and ("inplace" in text or "in-place" in text):
            return _wrong(ex, head, "in_place", "")
        return _wrong(ex, head, "error", "", error=_first_line(e.error))
    except _Timeout:
        return _wrong(ex, head, "timeout", "", seconds=TIME_LIMIT)
    except Exception as e:  # 채점기 자체의 오류: 학생의 잘못으로 보이지 않게
        return Feedback(key, CHECKER_ERROR, head + "채점기 오류입니다 (답의 잘못이 아닙니다). 강사에게 알려 주세요. / "
                        f"Internal checker error (not your answer's fault); please tell the instructor.\n  "
                        f"{_first_line(e)}")
    return Feedback(key, CORRECT, head + "정답입니다 ✓ / Correct.")


def _first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}".rstrip(": ")


def _wrong(ex: Exercise, head, mistake, detail, **fmt) -> Feedback:
    ko, en = {**COMMON_MISTAKES, **ex.mistakes}[mistake]
    lines = [head + "틀렸습니다 ✗", "  " + ko.format(**fmt), "  (" + en.format(**fmt) + ")"]
    if detail:
        lines.append("  " + detail)
    lines.append("힌트: " + ex.hint)
    return Feedback(ex.key, WRONG, "\n".join(lines), mistake)


def check(key: str, answer) -> float:
    """채점 결과를 출력하고 점수(1.0 또는 0.0)를 돌려줍니다 (nbgrader 채점 셀의 부분 점수)."""
    feedback = diagnose(key, answer)
    print(feedback.message)
    return feedback.score


def solution_or_reference(answer, key: str):
    """직접 쓴 ``answer``가 정답이면 그것을, 아니면 aelib의 정답을 돌려주며 어느 쪽인지 알려 줍니다."""
    if diagnose(key, answer).ok:
        print(f"연습문제 {key}: 직접 쓴 답을 씁니다 ✓")
        return answer
    print(f"연습문제 {key}를 아직 풀지 않았거나 틀려서, 여기서는 aelib의 정답을 씁니다.\n"
          f"(Exercise {key} is not solved yet: using the reference from aelib.)")
    return EXERCISES[key].reference


# ---------------------------------------------------------------- 예측하고 실행하기


def _number(x):
    """숫자나 숫자 글자("0.693", "293,120", "1.6e0")는 float로, 아니면 None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, torch.Tensor) and x.numel() == 1:
        return float(x)
    if isinstance(x, (int, float)) or type(x).__module__ == "numpy" and hasattr(x, "__float__"):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.strip().replace(",", "").replace("_", ""))
        except ValueError:
            return None
    return None


def _as_sequence(text: str):
    """예측을 글자로 적은 튜플("(0, 1, 1)", "0,1,1", "0 1 1") → 목록, 아니면 None."""
    try:
        parsed = ast.literal_eval(text.strip())
        if isinstance(parsed, (tuple, list)):
            return list(parsed)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        pass
    parts = [p for p in re.split(r"[\s,]+", text.strip().strip("()[]")) if p]
    return parts if len(parts) > 1 else None


def _agrees(prediction, actual, tolerance: float) -> bool:
    if isinstance(actual, (tuple, list)) and isinstance(prediction, str):
        prediction = _as_sequence(prediction) or prediction
    if isinstance(actual, (tuple, list)):
        return (isinstance(prediction, (tuple, list)) and len(prediction) == len(actual)
                and all(_agrees(p, a, tolerance) for p, a in zip(prediction, actual)))
    p, a = _number(prediction), _number(actual)
    if a is not None:
        return p is not None and math.isfinite(p) and abs(p - a) <= tolerance + 1e-9 * max(1.0, abs(a))
    return isinstance(prediction, str) and prediction.strip() == str(actual).strip()


def reveal(key: str, prediction, actual) -> float:
    """"예측하고 실행하기": 적어 둔 예측과 실제 값을 나란히 보여 주고 점수(1.0 또는 0.0)를 돌려줍니다.
    숫자는 연습문제의 허용 오차 안이면 맞음 (숫자를 글자로 적어도 됨)."""
    spec = PREDICTIONS.get(key, Prediction(key, ""))
    if prediction is None or prediction is Ellipsis:
        print(f"연습문제 {key}: 아직 풀지 않았습니다 (예측을 적지 않았습니다). / Not yet solved (no prediction).\n"
              f"실제 값 / actual: {actual}")
        return 0.0
    shown = prediction.strip() if isinstance(prediction, str) else prediction
    if _agrees(prediction, actual, spec.tolerance):
        within = f" (허용 오차 ±{spec.tolerance:g})" if spec.tolerance else ""
        print(f"연습문제 {key}: 예측 {shown} — 실제 {actual}. 맞았습니다 ✓{within}")
        return 1.0
    print(f"연습문제 {key}: 예측 {shown} — 실제 {actual}. 다릅니다: 아래 풀이와 힌트를 다시 보세요.")
    return 0.0


def checker(key: str, name: str):
    """노트북이 부르는 ``check_…`` 함수 하나를 만듭니다."""
    def check_fn(answer) -> float:
        return check(key, answer)
    check_fn.__name__ = name
    check_fn.__doc__ = f"연습문제 {key} ({EXERCISES[key].title})를 채점해 결과를 출력하고 점수를 돌려줍니다."
    return check_fn
