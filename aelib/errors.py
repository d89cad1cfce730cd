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
    │   ├── TrainingSettingsError  훈련 설정(배치 크기, 에포크, 학습률, 장치 …)이 될 수 없는 값
    │   └── DegenerateDataError    잴 수 없는 데이터 (모든 임베딩이 같은 점, 점이 하나뿐 …)
    ├── CheckpointError        (ValueError) 체크포인트가 없거나, 깨졌거나, 다른 모델의 것
    │   └── CheckpointPathError  (+ PathError) 그 경로에 쓰거나 읽을 수 없음
    ├── PathError              (OSError) 폴더·파일 경로를 쓸 수 없음 (부모가 파일, 권한 없음, 디스크 가득 참 …)
    │   └── ExistingWorkError  이미 있는 파일(학생의 작업 등)을 덮어쓰려 함 (--force로만)
    ├── NotebookError          (ValueError) 노트북 파일이 없거나, 잘렸거나, 노트북이 아니거나, 풀이 표시가 틀림
    ├── ModelError             (TypeError) 함수가 받을 수 없는 모델 (decode 없음, 얼린 모델, meta 장치, float64 …)
    ├── EnvironmentSetupError  (RuntimeError) 필요한 도구·패키지가 없음 (npm, 설치 전의 환경 …)
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


class DegenerateDataError(ArgumentError):
    """분포를 잴 수 없는 데이터: 모든 임베딩이 같은 점, 점이 하나뿐, 특징에 NaN 등."""


class CheckpointError(AelibError, ValueError):
    """체크포인트가 없거나, 깨졌거나, 다른 모델의 것."""


class PathError(AelibError, OSError):
    """경로를 쓸 수 없음: 부모가 파일, 쓰기 권한 없음, 파일 자리에 폴더 등."""


class ExistingWorkError(PathError):
    """이미 있는 파일을 덮어쓰려 함 (학생이 고친 노트북 등): 다른 곳을 고르거나 ``--force``."""


class NotebookError(AelibError, ValueError):
    """노트북 파일이 없거나, 잘렸거나, 노트북이 아닌 JSON이거나, 풀이 표시(### BEGIN/END SOLUTION)가 틀림."""


class ModelError(AelibError, TypeError):
    """함수가 받을 수 없는 모델: 필요한 메서드(encode, decode, judge …)가 없거나, 훈련할 파라미터가 없거나,
    meta 장치에 있거나, float32가 아님."""


class EnvironmentSetupError(AelibError, RuntimeError):
    """필요한 도구나 패키지가 없거나 닿지 않음 (npm 레지스트리, 설치하지 않은 환경)."""


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
