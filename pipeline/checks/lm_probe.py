"""`python -m pipeline.checks.lm_probe MODEL GPU_LAYERS`: load the language model and read one
sentence with it, in a process of its own (`lm.probe` runs it before a run uses the
model). Exit status 0 and "ok" when it could; a one-line reason and status 1 when
llama.cpp refused the file; a crash shows as the signal that ended the process."""

from __future__ import annotations

import math
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from .lm import PROBE_SENTENCE, LanguageModelUnavailable, _Loaded

    try:
        model = _Loaded(Path(argv[0]), threads=1, gpu_layers=int(argv[1]) if len(argv) > 1 else 0)
        reading = model.read([PROBE_SENTENCE], "en")[PROBE_SENTENCE]
    except (LanguageModelUnavailable, OSError, ValueError) as exc:
        print(f"the model cannot be used: {exc}")
        return 1
    if not reading.logprobs or not all(math.isfinite(v) and v <= 0.0 for v in reading.logprobs):
        print("the model read the test sentence but gave no usable probabilities")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
