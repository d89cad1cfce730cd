"""연습문제 채점: 직접 쓴 함수를 aelib의 정답과 무작위 입력에서 비교하고, 틀리면 흔한 실수를 알려 줍니다.

노트북마다 모듈 하나 (``nb01`` … ``nb08``: 그 노트북의 정답, 채점, 실수의 말), 공통 부분은 ``_core``.
노트북은 ``from aelib.exercises import check_…, reveal, solution_or_reference``로 부릅니다. ``check_…``와
``reveal``은 결과를 출력하고 점수(1.0 또는 0.0)를 돌려주며, 노트북의 채점 셀(nbgrader의 채점 셀)은 이
점수로 끝납니다. 채점 결과는 소수를 출력하지 않으므로 다른 컴퓨터에서도 같은 글자가 나옵니다.
"""

from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from ._core import (CHECKER_ERROR, COMMON_MISTAKES, CORRECT, EXERCISES, PREDICTIONS, TIME_LIMIT, UNSOLVED, WRONG,
                    Feedback, checker, check, diagnose, reveal, solution_or_reference)
from .nb01 import pad_to_32
from .nb02 import EncoderLayers, ReferenceEncoder, conv_output_size
from .nb03 import DecoderLayers, ReferenceDecoder, transposed_output_size
from .nb04 import bce, evaluate_bce
from .nb05 import interpolate
from .nb06 import nearest_label_shares
from .nb07 import kl_divergence, reparameterize
from .nb08 import add_gaussian_noise, psnr

check_pad_to_32 = checker("1.1", "check_pad_to_32")
check_conv_output_size = checker("2.1", "check_conv_output_size")
check_encoder_forward = checker("2.3", "check_encoder_forward")
check_transposed_output_size = checker("3.1", "check_transposed_output_size")
check_decoder_forward = checker("3.3", "check_decoder_forward")
check_bce = checker("4.1", "check_bce")
check_evaluate_bce = checker("4.3", "check_evaluate_bce")
check_interpolate = checker("5.1", "check_interpolate")
check_nearest_label_shares = checker("6.1", "check_nearest_label_shares")
check_reparameterize = checker("7.1", "check_reparameterize")
check_kl_divergence = checker("7.2", "check_kl_divergence")
check_add_gaussian_noise = checker("8.1", "check_add_gaussian_noise")
check_psnr = checker("8.2", "check_psnr")


def mistakes(key: str) -> dict:
    """연습문제 ``key``가 알아보는 실수: 이름 → (한국어, 영어)."""
    return {**COMMON_MISTAKES, **EXERCISES[key].mistakes}
