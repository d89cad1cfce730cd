"""한국어를 먼저, 영어를 함께 쓰는 오류들."""


class AelibError(Exception):
    """aelib의 모든 오류의 부모: 메시지는 한국어 줄 다음에 영어 줄."""

    def __init__(self, korean: str, english: str):
        super().__init__(f"{korean}\n{english}")
        self.korean = korean
        self.english = english


class DataNotFoundError(AelibError, FileNotFoundError):
    """Fashion-MNIST 파일을 어디에서도 찾지 못함."""


class DataCorruptError(AelibError, ValueError):
    """Fashion-MNIST 파일이 있지만 내용이 맞지 않음."""


class ShapeError(AelibError, ValueError):
    """모델에 들어온 텐서의 모양이 맞지 않음."""


class CheckpointError(AelibError, ValueError):
    """체크포인트가 없거나, 깨졌거나, 다른 모델의 것."""
