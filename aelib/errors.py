"""한국어를 먼저, 영어를 함께 쓰는 오류들.

종류별로 잡을 수 있습니다 (모두 ``AelibError``의 자식)::

    AelibError
    ├── DataNotFoundError      (FileNotFoundError) Fashion-MNIST 파일이 어디에도 없음
    ├── DataCorruptError       (ValueError) 파일은 있지만 내용이 Fashion-MNIST가 아님
    ├── ShapeError             (ValueError) 텐서의 모양이 맞지 않음
    ├── ImageValueError        (ValueError) 이미지의 자료형·값이 [0, 1] 실수가 아님 (0–255, NaN, 정수 …)
    ├── LatentValueError       (ValueError) 잠재 공간의 점이 실수가 아님, NaN·무한대
    ├── LabelError             (ValueError) 레이블이 표 3-3의 0–9가 아님
    ├── ArgumentError          (ValueError) 개수·비율 같은 인자가 될 수 없는 값 (n = 0, margin = NaN …)
    │   └── TrainingSettingsError  훈련 설정(배치 크기, 에포크, 학습률, 장치 …)이 될 수 없는 값
    ├── CheckpointError        (ValueError) 체크포인트가 없거나, 깨졌거나, 다른 모델의 것
    │   └── CheckpointPathError  (+ PathError) 그 경로에 쓰거나 읽을 수 없음
    ├── PathError              (OSError) 폴더·파일 경로를 쓸 수 없음 (부모가 파일, 권한 없음 …)
    └── ExplorerValueError     (ValueError) 탐색 위젯에 받을 수 없는 값
        ├── ExplorerShapeError   (+ ShapeError)
        ├── ExplorerImageError   (+ ImageValueError)
        ├── ExplorerLatentError  (+ LatentValueError)
        └── ExplorerLabelError   (+ LabelError)
"""


class AelibError(Exception):
    """aelib의 모든 오류의 부모: 메시지는 한국어 줄 다음에 영어 줄."""

    def __init__(self, korean: str, english: str):
        super().__init__(f"{korean}\n{english}")
        self.korean = korean
        self.english = english

    def __str__(self) -> str:  # OSError 등 다른 부모가 있어도 두 줄 메시지 그대로
        return f"{self.korean}\n{self.english}"


class DataNotFoundError(AelibError, FileNotFoundError):
    """Fashion-MNIST 파일을 어디에서도 찾지 못함."""


class DataCorruptError(AelibError, ValueError):
    """Fashion-MNIST 파일이 있지만 내용이 맞지 않음."""


class ShapeError(AelibError, ValueError):
    """모델에 들어온 텐서의 모양이 맞지 않음."""


class ImageValueError(AelibError, ValueError):
    """이미지가 모델의 약속(실수 자료형, 유한한 값, [0, 1] 범위)을 지키지 않음."""


class LatentValueError(AelibError, ValueError):
    """잠재 공간의 점이 실수로 바꿀 수 없는 것이거나 NaN·무한대를 담음."""


class LabelError(AelibError, ValueError):
    """레이블이 표 3-3의 번호(0–9 정수)가 아님."""


class ArgumentError(AelibError, ValueError):
    """개수·비율 같은 인자가 될 수 없는 값 (음수 개수, 정수가 아닌 개수, NaN 비율 등)."""


class TrainingSettingsError(ArgumentError):
    """훈련 설정이 될 수 없는 값 (빈 데이터셋, 배치 크기 ≤ 0, 학습률 ≤ 0, 없는 장치 등)."""


class CheckpointError(AelibError, ValueError):
    """체크포인트가 없거나, 깨졌거나, 다른 모델의 것."""


class PathError(AelibError, OSError):
    """경로를 쓸 수 없음: 부모가 파일, 쓰기 권한 없음, 파일 자리에 폴더 등."""


class CheckpointPathError(CheckpointError, PathError):
    """체크포인트를 그 경로에 저장하거나 그 경로에서 읽을 수 없음."""


class ExplorerValueError(AelibError, ValueError):
    """탐색 위젯에 받을 수 없는 값이 들어옴 (NaN, 무한대, 범위 밖의 번호 등)."""


class ExplorerShapeError(ExplorerValueError, ShapeError):
    """탐색 위젯에 들어온 임베딩·레이블·이미지의 모양(개수)이 맞지 않음."""


class ExplorerImageError(ExplorerValueError, ImageValueError):
    """탐색 위젯에 들어온 이미지가 [0, 1] 실수 이미지가 아님."""


class ExplorerLatentError(ExplorerValueError, LatentValueError):
    """탐색 위젯에 들어온 임베딩·점이 유한한 실수가 아님."""


class ExplorerLabelError(ExplorerValueError, LabelError):
    """탐색 위젯에 들어온 레이블·클래스가 표 3-3에 없음."""


# 위젯에서 난 오류는 위젯 종류와 원래 종류를 함께 갖는 자식으로 바꿔 냅니다.
FOR_WIDGET = {
    ShapeError: ExplorerShapeError,
    ImageValueError: ExplorerImageError,
    LatentValueError: ExplorerLatentError,
    LabelError: ExplorerLabelError,
    ArgumentError: ExplorerValueError,
    ExplorerValueError: ExplorerValueError,
}
