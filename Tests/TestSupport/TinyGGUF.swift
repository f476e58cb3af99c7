import Foundation

/// A GGUF v3 file written from explicit metadata and F32 tensors (little-endian, alignment 32), for tests that need
/// a model file with known weights: the head-asymmetry fixtures (`headAsymmetryFixture`).
public struct TinyGGUF {
    public enum Value { case u32(UInt32), f32(Float), string(String) }
    public var metadata: [(key: String, value: Value)]
    /// Name, GGUF dims `[in, out]` (`out` rows of `in` values), row-major values.
    public var tensors: [(name: String, dims: [Int], values: [Float])]

    public init(metadata: [(key: String, value: Value)], tensors: [(name: String, dims: [Int], values: [Float])]) {
        self.metadata = metadata; self.tensors = tensors
    }

    public var bytes: [UInt8] {
        var b = [UInt8]()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        func string(_ s: String) { u64(UInt64(s.utf8.count)); b += Array(s.utf8) }
        func pad() { while b.count % 32 != 0 { b.append(0) } }
        b += Array("GGUF".utf8); u32(3); u64(UInt64(tensors.count)); u64(UInt64(metadata.count))
        for (key, value) in metadata {
            string(key)
            switch value {
            case let .u32(v): u32(4); u32(v)
            case let .f32(v): u32(6); u32(v.bitPattern)
            case let .string(s): u32(8); string(s)
            }
        }
        var offset = 0
        for t in tensors {
            string(t.name); u32(UInt32(t.dims.count)); t.dims.forEach { u64(UInt64($0)) }; u32(0); u64(UInt64(offset))
            offset += (t.values.count * 4 + 31) / 32 * 32
        }
        pad()
        for t in tensors {
            t.values.forEach { u32($0.bitPattern) }
            pad()
        }
        return b
    }

    /// Writes ``bytes`` to `url`.
    public func write(to url: URL) throws { try Data(bytes).write(to: url) }

    /// A llama file holding only what the head-asymmetry analysis reads: the metadata, a 2-token `token_embd`, and per
    /// layer `attn_norm` `[d]`, `attn_q` `[d, heads·d_head]`, `attn_k` `[d, kvHeads·d_head]` (row-major `[out × d]`).
    public static func llamaAttention(width d: Int, heads: Int, kvHeads: Int,
                                      layers: [(norm: [Float], query: [Float], key: [Float])],
                                      architecture: String = "llama") -> TinyGGUF {
        let meta: [(key: String, value: Value)] = [
            ("general.architecture", .string(architecture)), ("llama.block_count", .u32(UInt32(layers.count))),
            ("llama.embedding_length", .u32(UInt32(d))), ("llama.feed_forward_length", .u32(UInt32(2 * d))),
            ("llama.attention.head_count", .u32(UInt32(heads))), ("llama.attention.head_count_kv", .u32(UInt32(kvHeads))),
            ("llama.context_length", .u32(16)), ("llama.rope.freq_base", .f32(10_000)),
            ("llama.attention.layer_norm_rms_epsilon", .f32(1e-5)),
        ]
        let kv = kvHeads * (d / heads)
        var tensors: [(name: String, dims: [Int], values: [Float])] = [("token_embd.weight", [d, 2], [Float](repeating: 0.5, count: 2 * d))]
        for (n, l) in layers.enumerated() {
            tensors += [("blk.\(n).attn_norm.weight", [d], l.norm), ("blk.\(n).attn_q.weight", [d, d], l.query),
                        ("blk.\(n).attn_k.weight", [d, kv], l.key)]
        }
        return TinyGGUF(metadata: meta, tensors: tensors)
    }
}

/// The head-asymmetry fixture (`TinyGGUF.headAsymmetryFixture`): width 8, 4 query heads over 2 key heads (d_head 2,
/// g(h) = h / 2), 2 layers, every weight exact in Float32 (multiples of 1/2), with the values each head must give.
///
/// U = [u₁ u₂], V = [v₁ v₂] are orthonormal pairs with UᵀV = 0 (rows of a 4 × 4 Hadamard matrix / 2 on the first
/// four coordinates). Layer 0: W_Q^h = W_K^{g(h)} for every head (random entries), so W is symmetric: A = 0 exactly,
/// with or without the (random, positive) gain. Layer 1 (gain 2 everywhere, so W_eff = 4W and the indices agree):
/// - key head 0: K₀ = C Uᵀ, C = [[1, 3], [−3, 1]] (= sI + αR with s = 1, α = 3);
///   - head 0: Q = Uᵀ → W = U C Uᵀ: A = 3/√10, henrici_relative 0, commutator 0 (C is normal);
///   - head 1: Q = Vᵀ → W = V C Uᵀ (W² = 0): A = 1/√2, henrici_relative 1, commutator 1;
/// - key head 1: K₁ = T Vᵀ, T = [[1, 2], [0, 1]];
///   - head 2: Q = Vᵀ → W = V T Vᵀ: A = 1/√3, henrici_relative 2/√6, commutator 4√2/6;
///   - head 3: Q = T⁻ᵀ Jᵀ Vᵀ with J = [[0, −1], [1, 0]] → W = V J Vᵀ: A = 1 exactly, henrici_relative 0, commutator 0.
public enum HeadAsymmetryFixture {
    public static let width = 8, heads = 4, kvHeads = 2, headDimension = 2

    /// Expected (asymmetry, henrici_relative, commutator) of layer 1's heads 0…3.
    public static let layer1: [(asymmetry: Double, henriciRelative: Double, commutator: Double)] = [
        (3 / 10.0.squareRoot(), 0, 0),
        (0.5.squareRoot(), 1, 1),
        (1 / 3.0.squareRoot(), 2 / 6.0.squareRoot(), 4 * 2.0.squareRoot() / 6),
        (1, 0, 0),
    ]

    /// Rows (length 8) of the orthonormal vectors u₁, u₂, v₁, v₂.
    static let u1: [Float] = [0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0], u2: [Float] = [0.5, -0.5, 0.5, -0.5, 0, 0, 0, 0]
    static let v1: [Float] = [0.5, 0.5, -0.5, -0.5, 0, 0, 0, 0], v2: [Float] = [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]

    /// The 2 × 8 block a·[r₁; r₂] for the 2 × 2 matrix a (row-major) and rows r₁, r₂.
    static func block(_ a: [Float], _ r1: [Float], _ r2: [Float]) -> [Float] {
        var out = [Float]()
        for i in 0..<2 {
            for j in 0..<8 {
                let x: Float = a[2 * i] * r1[j]
                let y: Float = a[2 * i + 1] * r2[j]
                out.append(x + y)
            }
        }
        return out
    }

    /// The fixture's layers (norm, W_Q, W_K), layer 0 from `seed`.
    public static func layers(seed: UInt64 = 15) -> [(norm: [Float], query: [Float], key: [Float])] {
        var rng = SplitMix64(seed: seed)
        let key0 = (0..<(kvHeads * headDimension * width)).map { _ in Float(rng.nextDouble() * 2 - 1) }
        let half = headDimension * width
        let first = Array(key0[0..<half]), second = Array(key0[half...])
        let query0: [Float] = first + first + second + second
        let norm0 = (0..<width).map { _ in Float(0.5 + rng.nextDouble()) }
        let identity: [Float] = [1, 0, 0, 1]
        let key1: [Float] = block([1, 3, -3, 1], u1, u2) + block([1, 2, 0, 1], v1, v2)
        // T⁻ᵀ Jᵀ = [[1, 0], [−2, 1]] · [[0, 1], [−1, 0]] = [[0, 1], [−1, −2]].
        var query1: [Float] = block(identity, u1, u2)
        query1 += block(identity, v1, v2)
        query1 += block(identity, v1, v2)
        query1 += block([0, 1, -1, -2], v1, v2)
        return [(norm0, query0, key0), ([Float](repeating: 2, count: width), query1, key1)]
    }

    public static func file(seed: UInt64 = 15, architecture: String = "llama") -> TinyGGUF {
        TinyGGUF.llamaAttention(width: width, heads: heads, kvHeads: kvHeads, layers: layers(seed: seed), architecture: architecture)
    }
}
