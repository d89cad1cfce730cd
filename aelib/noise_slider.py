"""잡음 수준 슬라이더: 테스트 이미지 하나에 σ만큼 잡음을 넣고, 여러 모델의 재구성을 나란히 봅니다.

잡음의 모양 ε은 시드로 고정하고 σ만 바꾸므로, 슬라이더를 움직이면 같은 잡음이 세지거나 약해집니다.
그림은 ``widgets.Image``로만 바꿔서 빠르고, 엄격한 nbval에서도 출력이 같습니다.
"""

import html

import ipywidgets as widgets
import torch

from . import validate
from .corruption import MAX_SIGMA, gaussian_noise, psnr
from .errors import ArgumentError, ExplorerShapeError
from .explorer import ExplorerValueError, image_png

SCALE = 5  # 32 × 5 = 160 픽셀
FIXED_COLUMNS = ("원본", "잡음 낀 입력")  # 모델 이름으로 쓸 수 없는 열 이름


class NoiseSlider:
    """``models``: ``{이름: 모델}`` (``reconstruct``가 있는 모델). ``image``: (1, 32, 32) 또는 (1, 1, 32, 32).

    시험용 접근자: ``sigma``, ``set_sigma(σ)``, ``noisy`` (보이는 잡음 낀 입력), ``outputs`` ({이름: 재구성}),
    ``psnr`` ({"입력" 또는 이름: dB}).
    """

    def __init__(self, models: dict, image, sigma: float = 0.3, max_sigma: float = 0.8, seed: int = 0):
        image = validate.image_values(image if isinstance(image, torch.Tensor) else torch.as_tensor(image), "image",
                                      widget=True)
        if image.numel() != 32 * 32:
            raise ExplorerShapeError(f"image는 32×32 이미지 한 장 ((1, 32, 32) 또는 (1, 1, 32, 32))이어야 합니다. "
                                     f"받은 모양: {tuple(image.shape)}.",
                                     f"image must be one 32×32 image, (1, 32, 32) or (1, 1, 32, 32), "
                                     f"got shape {tuple(image.shape)}.")
        image = image.detach().cpu().float().reshape(1, 1, 32, 32)
        if not isinstance(models, dict) or not models:
            raise ExplorerValueError("models는 {이름: 모델} 사전이어야 하고 비어 있으면 안 됩니다.",
                                     "models must be a non-empty dict {name: model}.")
        for name, m in models.items():
            if not isinstance(name, str) or not name.strip() or name in FIXED_COLUMNS:
                raise ExplorerValueError(
                    f"models의 이름은 비어 있지 않은 문자열이어야 하고 {list(FIXED_COLUMNS)}은(는) 쓸 수 없습니다 "
                    f"(열 제목이 됨). 받은 이름: {name!r}. 예: {{\"오토인코더\": ae}}.",
                    f"models' names must be non-empty strings other than {list(FIXED_COLUMNS)} (they become column "
                    f"titles), got {name!r}. E.g. {{\"autoencoder\": ae}}.")
            validate.checked_model(m, "NoiseSlider", needs=("reconstruct",), name=f"models[{name!r}]",
                                   kind=ArgumentError, widget=True)
        max_sigma = validate.real(max_sigma, "max_sigma", positive=True, kind=ArgumentError, widget=True)
        if max_sigma > MAX_SIGMA:
            raise ExplorerValueError(f"max_sigma는 {MAX_SIGMA:g} 이하여야 합니다 (gaussian_noise가 받는 σ의 상한). "
                                     f"받은 값: {max_sigma:g}. 예: max_sigma=0.8.",
                                     f"max_sigma must be at most {MAX_SIGMA:g} (the largest σ gaussian_noise takes), "
                                     f"got {max_sigma:g}. E.g. max_sigma=0.8.")
        sigma = self._checked_sigma(sigma, max_sigma)
        seed = validate.seed(seed, kind=ArgumentError, widget=True)
        self.models, self.clean, self.seed = dict(models), image, seed
        self.slider = widgets.FloatSlider(value=sigma, min=0.0, max=max_sigma, step=0.02, description="잡음 σ",
                                          readout_format=".2f", continuous_update=True,
                                          layout=widgets.Layout(width="520px"))
        self.slider.add_class("aelib-noise-sigma")
        names = ["원본", "잡음 낀 입력", *self.models]
        px = 32 * SCALE
        self._images = {name: widgets.Image(format="png", width=px, height=px,
                                            layout=widgets.Layout(border="1px solid #999")) for name in names}
        self._images["원본"].value = image_png(self.clean[0, 0].numpy(), SCALE)
        self.readout_html = widgets.HTML()
        columns = [widgets.VBox([widgets.HTML(f"<b>{html.escape(n)}</b>"), self._images[n]]) for n in names]
        self.widget = widgets.VBox([self.slider, widgets.HBox(columns), self.readout_html])
        self.widget.add_class("aelib-noise-slider")
        self._update()
        self.slider.observe(lambda change: self._update(), names="value")

    @property
    def sigma(self) -> float:
        return float(self.slider.value)

    @staticmethod
    def _checked_sigma(sigma, max_sigma: float, clip: bool = False) -> float:
        """σ: 유한한 실수 (numpy 실수도). ``clip``이 아니면 0 ≤ σ ≤ max_sigma여야 합니다."""
        sigma = validate.real(sigma, "sigma", kind=ArgumentError, widget=True)
        if not clip and not 0.0 <= sigma <= max_sigma:
            raise ExplorerValueError(
                f"sigma는 0에서 max_sigma={max_sigma} 사이의 수여야 합니다. 받은 값: {sigma!r}",
                f"sigma must be a number between 0 and max_sigma={max_sigma}, got {sigma!r}",
            )
        return sigma

    def set_sigma(self, sigma: float) -> float:
        """σ를 바꾸고 그림을 다시 그립니다. 범위 밖의 유한한 값은 슬라이더가 끝(0 또는 max_sigma)으로 자릅니다.
        실수가 아니거나 NaN·무한대면 아무것도 바꾸지 않고 ``ExplorerValueError``."""
        self.slider.value = self._checked_sigma(sigma, self.slider.max, clip=True)
        return self.sigma

    @torch.no_grad()
    def _update(self):
        self.noisy = gaussian_noise(self.clean, self.sigma, seed=self.seed)
        self.outputs = {name: m.eval().reconstruct(self.noisy) for name, m in self.models.items()}
        self.psnr = {"입력": float(psnr(self.clean, self.noisy)[0]),
                     **{name: float(psnr(self.clean, out)[0]) for name, out in self.outputs.items()}}
        self._images["잡음 낀 입력"].value = image_png(self.noisy[0, 0].numpy(), SCALE)
        for name, out in self.outputs.items():
            self._images[name].value = image_png(out[0, 0].numpy(), SCALE)
        parts = [f"{html.escape(k)} {v:.1f} dB" for k, v in self.psnr.items()]
        self.readout_html.value = "원본과의 PSNR (클수록 원본에 가까움): " + " | ".join(parts)

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"NoiseSlider({', '.join(self.models)})"  # 실행마다 같은 글자 (nbval)
        return data
