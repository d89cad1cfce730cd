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


# 책의 그림은 색 번호 0–9를 matplotlib 기본 색 순환(tab10)으로 칠합니다.
_TAB10 = [matplotlib.colors.to_hex(c) for c in matplotlib.colormaps["tab10"].colors]

CLASSES: tuple[ClothingClass, ...] = tuple(
    ClothingClass(i, en, ko, _TAB10[i])
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
