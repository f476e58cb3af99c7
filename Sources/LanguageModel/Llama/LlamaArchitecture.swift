/// The llama-like decoder families read by `LlamaModel` (GGUF `general.architecture`). They share the block
/// (RMSNorm → grouped-query attention with RoPE → RMSNorm → SwiGLU) and differ in (llama.cpp `src/llama-model.cpp`,
/// `convert_hf_to_gguf.py`; docs/theory/language-models.md "Qwen2 and Qwen3"):
///
/// | | RoPE pairs | q/k/v biases | QK-norm | head dim | head |
/// | --- | --- | --- | --- | --- | --- |
/// | `llama` | adjacent (x[2i], x[2i+1]): the converter permuted Wq/Wk rows | no | no | d / heads | tied (an untied `output.weight` is unsupported) |
/// | `qwen2` | halves (x[i], x[i+D/2]), "neox": Wq/Wk stored as in HF | `attn_q/k/v.bias` | no | d / heads | tied or `output.weight` |
/// | `qwen3` | halves | no | RMSNorm of each head's q and k (`attn_q_norm`, `attn_k_norm`, gain `[D]`) before RoPE | `attention.key_length` (may differ from d / heads) | tied or `output.weight` |
///
/// Metadata keys carry the architecture name as prefix (`qwen2.block_count`, …).
public enum LlamaArchitecture: String, Sendable, Equatable, CaseIterable {
    case llama, qwen2, qwen3

    /// RoPE on halves (llama.cpp's `LLAMA_ROPE_TYPE_NEOX`) instead of adjacent pairs (`LLAMA_ROPE_TYPE_NORM`).
    public var rotatesHalves: Bool { self != .llama }
    /// q, k, v projections with biases.
    public var hasQKVBiases: Bool { self == .qwen2 }
    /// Per-head RMSNorm of q and k before RoPE.
    public var hasQKNorm: Bool { self == .qwen3 }
    /// Whether an `output.weight` head may replace the tied embedding.
    public var allowsUntiedHead: Bool { self != .llama }
}
