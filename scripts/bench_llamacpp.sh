#!/usr/bin/env bash
# Whole-sequence scoring speed of PathThermo's llama forward pass against llama.cpp's CPU prompt processing
# on the same GGUF file (issue 6: "at least that of llama.cpp's CPU prompt processing", ≥ 300 tokens/s on
# 2 cores for 512-token texts), run back to back on the same machine.
#
#   scripts/bench_llamacpp.sh                  # builds llama-bench once (≈ 10 min on 2 cores) into .build-llamacpp/
#   LLAMA_BENCH=/path/to/llama-bench scripts/bench_llamacpp.sh
#   SCRATCH=.build-test scripts/bench_llamacpp.sh   # reuse a release test build (-enable-testing)
#
# llama.cpp comes from the source distribution of the PyPI package llama-cpp-python (it vendors llama.cpp);
# only its `llama-bench` target is built (CPU, native ISA, OpenMP). Then `llama-bench -p 64,256,512 -n 0 -t 2`
# and PathThermo's `LlamaReferenceTests/throughput` (one timed pass per length, random in-vocabulary ids).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$ROOT/models/SmolLM2-135M-Instruct.Q4_1.gguf"
VERSION=0.3.36
[[ -f "$MODEL" ]] || { echo "bench_llamacpp.sh: $MODEL is absent: run scripts/fetch_model.sh" >&2; exit 1; }

BENCH="${LLAMA_BENCH:-$ROOT/.build-llamacpp/llama.cpp/build/bin/llama-bench}"
if [[ ! -x "$BENCH" ]]; then
  mkdir -p "$ROOT/.build-llamacpp"
  cd "$ROOT/.build-llamacpp"
  python3 -m pip download --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d . >/dev/null
  tar xzf "llama_cpp_python-$VERSION.tar.gz"
  rm -rf llama.cpp && mv "llama_cpp_python-$VERSION/vendor/llama.cpp" llama.cpp && rm -rf "llama_cpp_python-$VERSION"
  cmake -S llama.cpp -B llama.cpp/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TESTS=OFF -DGGML_OPENMP=ON >/dev/null
  cmake --build llama.cpp/build --target llama-bench -j 2 >/dev/null
  BENCH="$ROOT/.build-llamacpp/llama.cpp/build/bin/llama-bench"
fi

echo "== llama.cpp (llama-cpp-python $VERSION vendored), 2 threads, prompt processing"
"$BENCH" -m "$MODEL" -p 64,256,512 -n 0 -t 2 -r 3
echo "== PathThermo whole-sequence scoring (LlamaReferenceTests/throughput)"
cd "$ROOT"
swift test -c release -Xswiftc -enable-testing --scratch-path "${SCRATCH:-.build}" \
  --filter "LlamaReferenceTests/throughput" 2>&1 | grep "SmolLM2 forward"
