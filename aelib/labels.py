"""Table 3-3: Fashion-MNIST 레이블 — 이 표 하나가 모든 이름과 색의 출처입니다."""

from dataclasses import dataclass

import matplotlib


@dataclass(frozen=True)
class ClothingClass:
    """한 의류 클래스: 번호, 영어 이름, 한국어 이름, 그림에 쓰는 색."""

    id: int
    english: str
    korean: str
    color: str


# 책의 그림은 표 3-3의 색 번호 0–9를 matplotlib의 ``rainbow`` 색 지도로 칠합니다 (``c=labels, cmap="rainbow"``:
# 번호 0은 보라, 8(가방)은 주황빛 빨강, 9(앵클 부츠)는 빨강). 노트의 "주황색(가방), 빨간색(앵클 부츠)"가 이 색입니다.
COLORMAP = "rainbow"
_RAINBOW = [matplotlib.colors.to_hex(matplotlib.colormaps[COLORMAP](i / 9)) for i in range(10)]

CLASSES: tuple[ClothingClass, ...] = tuple(
    ClothingClass(i, en, ko, _RAINBOW[i])
    for i, (en, ko) in enumerate(
        [
            ("T-shirt/top", "티셔츠/탑"),
            ("Trouser", "바지"),
            ("Pullover", "풀오버"),
            ("Dress", "드레스"),
            ("Coat", "코트"),
            ("Sandal", "샌들"),
            ("Shirt", "셔츠"),
            ("Sneaker", "스니커즈"),
            ("Bag", "가방"),
            ("Ankle boot", "앵클 부츠"),
        ]
    )
)

KOREAN_NAMES = [c.korean for c in CLASSES]
ENGLISH_NAMES = [c.english for c in CLASSES]
COLORS = [c.color for c in CLASSES]
LABEL_CMAP = matplotlib.colors.ListedColormap(COLORS, name="fashion_mnist")


def table_rows() -> list[tuple[int, str, str, str]]:
    """표 3-3을 (번호, 영어, 한국어, 색) 줄 목록으로 돌려줍니다."""
    return [(c.id, c.english, c.korean, c.color) for c in CLASSES]
