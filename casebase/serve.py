"""Local servers for tests and benchmarks: a free loopback port, and a
process run in the background until it answers on a health URL.

One home for the start / wait / stop dance that both the workbench
(`streamlit run`) and a Chroma server (`chroma run`) need.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Sequence

# Loopback only: never through a proxy the environment may name.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(path: Path, n: int = 30) -> str:
    """The last `n` lines of a log file ('' if it cannot be read)."""
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return ""


@contextmanager
def background(cmd: Sequence[str], health: str, log: Path, *, env: Mapping[str, str] | None = None,
               cwd: Path | None = None, timeout: float = 120.0) -> Iterator[subprocess.Popen]:
    """Run `cmd` until the block ends, once GET `health` answers 200.

    Output goes to `log`; its tail is in the RuntimeError raised when the
    process exits early or does not answer within `timeout` seconds. The
    process is terminated (then killed) on the way out, whatever happened.
    """
    name = " ".join([Path(cmd[0]).name, *cmd[1:3]])  # "python -m streamlit", "chroma run --path"
    with open(log, "wb") as out:
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=dict(env) if env is not None else None,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail(log)}")
            try:
                with _OPENER.open(health, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer on {health} within {timeout:.0f}s:\n{tail(log)}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
