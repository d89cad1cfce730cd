# 노트(../shared/seed/chapter3-autoencoder-notes.md)의 클래스를 글자 그대로 옮긴 것: aelib 가중치가 들어가는지 확인용.
import torch.nn as nn


# Encoder
class Encoder(nn.Module): # 인코더 클래스 정의
    def __init__(self, latents):
        super().__init__()
        self.latents = latents # 임베딩 크기: 2
        self.model = nn.Sequential( # 순차적 모델 정의
            nn.Conv2d(in_channels=1, out_channels=32, kernel_size=3, stride=2, padding=1), # 첫 번째 conv2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=32, out_channels=64, kernel_size=3, stride=2, padding=1), # 두 번째 conv2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=64, out_channels=128, kernel_size=3, stride=2, padding=1), # 세 번째 conv2d 레이어
            nn.ReLU(),
            nn.Flatten(), # 평탄화
            nn.Linear(in_features=2048, out_features=self.latents) # fully connected layer
        )

    def forward(self, x): # 순전파 함수 정의
        return self.model(x) # 입력 x를 모델에 전달하여 출력 반환


# Decoder
class Decoder(nn.Module): # 디코더 클래스 정의
    def __init__(self, latents):
        super().__init__()
        self.latents = latents # 임베딩 크기: 2
        self.fc = nn.Linear(self.latents, 2048) # fully connected layer

        self.model = nn.Sequential( # 순차적 모델 정의
            nn.ConvTranspose2d(in_channels=128, out_channels=128,
                kernel_size=3, stride=2, padding=1, output_padding=1), # 첫 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.ConvTranspose2d(in_channels=128, out_channels=64,
                kernel_size=3, stride=2, padding=1, output_padding=1), # 두 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.ConvTranspose2d(in_channels=64, out_channels=32,
                kernel_size=3, stride=2, padding=1, output_padding=1), # 세 번째 convtranspose2d 레이어
            nn.ReLU(),
            nn.Conv2d(in_channels=32, out_channels=1, kernel_size=3, stride=1, padding=1) # 출력 conv2d 레이어
        )

    def forward(self, x): # 순전파 함수 정의
        x = self.fc(x) # fully connected layer 통과
        x = x.reshape(x.shape[0], 128, 4, 4) # 텐서 형태 재조정
        x = self.model(x) # 모델에 입력 x 전달하여 출력 반환
        return x # 최종 출력 반환
