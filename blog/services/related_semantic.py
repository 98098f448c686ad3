"""Optional semantic component of related posts: sentence embeddings from WordLlama.

WordLlama (PyPI `wordllama`) ships its model inside the wheel: a 256-dimension token embedding
table (16 MB) and its tokenizer, averaged into one vector per text. Nothing is downloaded at run
time: the files are read from the installed package. Install it with
`.venv/bin/pip install -r requirements-semantic.txt` and set RELATED_SEMANTIC=true; the default
install does without it.

Why the files are opened here rather than with `WordLlama.load()`: in 0.4.0 `load()` looks for
the tokenizer in `wordllama/tokenizer/`, but the wheel ships it in `wordllama/tokenizers/`, so
`load()` goes to Hugging Face (and fails offline) although the file is on disk.

Embeddings are stored with each post's terms (`post_terms.embedding`, float16, L2-normalized),
so a publish embeds one post, not the site. bench/related_quality.py --semantic measures what
the component adds (figures in bench/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources

import numpy as np

#: The WordLlama model shipped in the wheel, and its width.
MODEL = "l2_supercat"
DIMENSIONS = 256
INSTALL = ".venv/bin/pip install -r requirements-semantic.txt"


def available() -> bool:
    """Return whether the WordLlama package is installed."""
    try:
        import wordllama  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model():
    """Return the WordLlama inference object, read once per process from the package's files."""
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = resources.files("wordllama")
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / f"{MODEL}_tokenizer_config.json"))
    with safe_open(str(root / "weights" / f"{MODEL}_{DIMENSIONS}.safetensors"), "np") as file:
        table = file.get_tensor("embedding.weight")
    return WordLlamaInference(table, tokenizer, binary=False)


def warm_up() -> None:
    """Read the model now (0.24 s), so that a worker does it before its first publish."""
    _model()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return the L2-normalized embeddings of `texts`, one float32 row each (zeros for a text
    without a single token: WordLlama's own normalizing would divide by zero)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def pack(vector: np.ndarray) -> bytes:
    """Return `vector` as stored: little-endian float16 (512 bytes; cosines change < 0.001)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack(stored: bytes) -> np.ndarray:
    return np.frombuffer(stored, dtype="<f2").astype(np.float32)
