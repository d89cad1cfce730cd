"""벤치마크 작업자의 대화 규칙: 표준 입력으로 JSON 명령 한 줄, 표준 출력으로 JSON 답 한 줄.

torch 작업자(train_speed.py)와 Keras 작업자(keras_book_model.py, 다른 가상환경)가 함께 씁니다.
표준 라이브러리만 씁니다.
"""

import json
import resource
import sys


def max_rss_mib() -> float:
    """이 프로세스의 최대 상주 메모리 (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reply(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
