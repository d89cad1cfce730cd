import pytest
import torch

from aelib.checkpoint import load_checkpoint, read_checkpoint, save_checkpoint
from aelib.classifier import ClothingClassifier
from aelib.errors import CheckpointError
from aelib.model import Autoencoder
from aelib.train import History


def test_round_trip_keeps_weights_and_metadata(tmp_path):
    torch.manual_seed(1)
    model = Autoencoder()
    history = History(train={"bce": [0.29, 0.26]}, val={"bce": [0.27, 0.255]})
    path = save_checkpoint(tmp_path / "sub" / "ae.pt", model, history, note="시험")
    assert not list(path.parent.glob("*.part"))
    fresh = Autoencoder()
    meta = load_checkpoint(path, fresh)
    for a, b in zip(model.state_dict().values(), fresh.state_dict().values()):
        assert torch.equal(a, b)
    assert meta["latents"] == 2 and meta["epochs"] == 2 and meta["val"] == {"bce": 0.255}
    assert meta["note"] == "시험" and meta["versions"]["torch"] == str(torch.__version__)
    assert History.from_dict(meta["history"]) == history


def test_checkpoint_of_another_latent_size_says_so(tmp_path):
    path = save_checkpoint(tmp_path / "ae3.pt", Autoencoder(latents=3))
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path, Autoencoder(latents=2))
    assert "잠재 크기 3" in str(err.value) and "3 latents" in str(err.value)


def test_checkpoint_of_another_model_says_so(tmp_path):
    path = save_checkpoint(tmp_path / "clf.pt", ClothingClassifier())
    with pytest.raises(CheckpointError, match="ClothingClassifier"):
        load_checkpoint(path, Autoencoder())


def test_foreign_and_broken_files_are_refused(tmp_path):
    foreign = tmp_path / "plain.pt"
    torch.save(Autoencoder().state_dict(), foreign)
    with pytest.raises(CheckpointError, match="aelib 체크포인트가 아닙니다"):
        read_checkpoint(foreign)
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"\x00garbage")
    with pytest.raises(CheckpointError, match="읽을 수 없는"):
        read_checkpoint(broken)
    with pytest.raises(CheckpointError, match="없습니다"):
        read_checkpoint(tmp_path / "missing.pt")


def test_tampered_weights_shape_is_refused(tmp_path):
    path = save_checkpoint(tmp_path / "ae.pt", Autoencoder())
    ckpt = torch.load(path, weights_only=True)
    ckpt["state_dict"]["decoder.fc.weight"] = torch.zeros(10, 2)
    torch.save(ckpt, path)
    with pytest.raises(CheckpointError, match="맞지 않습니다"):
        load_checkpoint(path, Autoencoder())
