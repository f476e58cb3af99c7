"""paththermo.LanguageModel against `paththermo text-ep --model M --text ... --json` (bit for bit: both run the
library's TextScorer on the same model file), on the tiny GPT-2 GGUF fixture (always present: Tests/Fixtures/gpt2,
made by scripts/make_gpt2_fixture.py, 32-token context) and on SmolLM2 when models/ holds it
(scripts/fetch_model.sh; skipped otherwise). Also the handle's life cycle, threads and bad inputs."""
import gc
import json
import pathlib
import subprocess
import threading

import pytest

import paththermo
from test_errors import run_child

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
TINY = ROOT / "Tests" / "Fixtures" / "gpt2" / "tiny-gpt2.gguf"
SMOLLM = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"

MODELS = {
    "tiny-gpt2": (TINY, "The cup fell. It broke.", "A cup."),
    "smollm2": (SMOLLM, "The glass fell off the table. It broke into pieces. Then we swept the floor.",
                "Here is a short story."),
}


def model_path(name):
    path = MODELS[name][0]
    if not path.is_file():
        pytest.skip(f"{path} absent (scripts/fetch_model.sh downloads it)")
    return path


def run_cli(cli, path, text, level, *extra):
    out = subprocess.run([str(cli), "text-ep", "--model", str(path), "--text", text, "--level", level, *extra, "--json"],
                         check=True, capture_output=True, text=True)
    document = json.loads(out.stdout)
    document.pop("provenance")        # the CLI's run record (command line, commit): the library does not know it
    return document


CONVENTIONS = {
    "as written": ({}, []),
    "leading space": ({"leading_space": True}, ["--leading-space"]),
    "prefix": ({"prefix": "PREFIX"}, ["--prefix", "PREFIX"]),
    "text segmentation": ({"leading_space": True, "segmentation": "text"}, ["--leading-space", "--segmentation", "text"]),
}


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("convention", sorted(CONVENTIONS))
def test_equals_cli_json(model, convention, cli):
    path = model_path(model)
    _, text, prefix = MODELS[model]
    kwargs, extra = CONVENTIONS[convention]
    kwargs = {k: (prefix if v == "PREFIX" else v) for k, v in kwargs.items()}
    extra = [prefix if v == "PREFIX" else v for v in extra]
    with paththermo.LanguageModel(path, **kwargs) as lm:
        for level in ("token", "sentence"):
            expected = run_cli(cli, path, text, level, *extra)
            result = lm.text_ep(text, level=level)
            assert result.to_dict() == expected                      # every number bit for bit
            assert result.entropy_production == expected["entropy_production"]
            assert result.entropy_production == result.logp_forward - result.logp_reversed
            assert result.per_block.shape == (expected["blocks"],)
            assert result.level == level


def test_one_sentence_has_zero_sentence_ep():
    with paththermo.LanguageModel(TINY) as lm:
        r = lm.text_ep("The cup fell.", level="sentence")
        assert r.blocks == 1 and r.entropy_production == 0.0


def test_handle_life_cycle():
    lm = paththermo.LanguageModel(TINY)
    first = lm.text_ep("It fell.").to_dict()
    assert lm.text_ep("It fell.").to_dict() == first                 # the loaded model is reused, same bits
    lm.close()
    lm.close()                                                       # idempotent
    assert lm.closed
    with pytest.raises(paththermo.Error, match="closed"):
        lm.text_ep("It fell.")
    for _ in range(20):                                              # freed by __del__: no growth, no crash
        paththermo.LanguageModel(TINY).text_ep("It fell.")
        gc.collect()


def test_threads_on_one_handle_equal_sequential():
    texts = ["The cup fell. It broke.", "It fell.", "The cup broke. It fell."]
    with paththermo.LanguageModel(TINY, leading_space=True) as lm:
        sequential = [lm.text_ep(t, level).to_dict() for t in texts for level in ("token", "sentence")]
        results = [None] * len(sequential)

        def work(i):
            results[i] = lm.text_ep(texts[i // 2], ("token", "sentence")[i % 2]).to_dict()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sequential))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == sequential


ERRORS = {
    "missing file": ("paththermo.LanguageModel('/nonexistent/model.gguf')",
                     "model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh"),
    "garbage file": ("open(tmp, 'wb').write(b'GGUF garbage \\x00\\x01\\x02' * 3); paththermo.LanguageModel(tmp)", ""),
    "empty text": ("paththermo.LanguageModel(TINY).text_ep('   ')", "empty"),
    "unknown level": ("paththermo.LanguageModel(TINY).text_ep('It fell.', level='word')", "unknown level"),
    "unknown segmentation": ("paththermo.LanguageModel(TINY, segmentation='words')", "unknown segmentation"),
    "no sentence end": ("paththermo.LanguageModel(TINY).text_ep('It fell', level='sentence')", "sentence end"),
    "longer than the context": ("paththermo.LanguageModel(TINY).text_ep('ab ' * 20 + '.')", "context"),
    "outside the vocabulary": ("paththermo.LanguageModel(TINY).text_ep('Caf\\u00e9.')", ""),
    "not a str": ("paththermo.LanguageModel(TINY).text_ep(b'It fell.')", "str"),
    "NUL in text": ("paththermo.LanguageModel(TINY).text_ep('It\\x00 fell.')", "NUL"),
}

@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_input_raises_error(name, subprocess_env):
    body, expected = ERRORS[name]
    setup = f"import os, tempfile\nTINY = {str(TINY)!r}\ntmp = os.path.join(tempfile.mkdtemp(), 'garbage.gguf')"
    child = run_child(body, expected, subprocess_env, setup=setup, timeout=120)
    assert child.returncode == 0, f"{name}: status {child.returncode}\n{child.stdout}\n{child.stderr}"
