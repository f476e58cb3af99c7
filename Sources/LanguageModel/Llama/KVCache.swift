/// The key/value cache of the incremental decoder: for every layer ℓ, the rotated keys K_ℓ and the values V_ℓ
/// of all tokens seen so far by each of B sequences that advance together (same position p in every row):
///
///     keys[ℓ][b, j, :] = RoPE_j(Wk_ℓ h_ℓ(b, j)),   values[ℓ][b, j, :] = Wv_ℓ h_ℓ(b, j),   j = 0..<length
///
/// Layout per layer: `[B × capacity × kvLength]` row-major (row b's positions contiguous, kv heads side by side
/// in a position), so the keys of row b and kv head g are a `(p+1) × D` matrix with leading dimension kvLength —
/// exactly what one attention product reads. Memory: 2 · L · B · capacity · kvLength Floats
/// (SmolLM2, B = 32, capacity 128: 189 MB). A cache used for one single chunk from position 0 (teacher forcing)
/// only needs a layer's keys while that layer runs: `sharedAcrossLayers` then keeps one slot for all layers
/// (30× less memory), and `advance` must not be called between layers.
final class KVCache {
    let batch: Int, capacity: Int, kvLength: Int, layers: Int
    private let slots: Int
    /// Positions filled in every row.
    private(set) var length = 0
    private let keys: [UnsafeMutablePointer<Float>], values: [UnsafeMutablePointer<Float>]

    init(layers: Int, batch: Int, capacity: Int, kvLength: Int, sharedAcrossLayers: Bool = false) {
        self.layers = layers; self.batch = batch; self.capacity = capacity; self.kvLength = kvLength
        slots = sharedAcrossLayers ? 1 : layers
        let n = batch * capacity * kvLength
        func buffer() -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        keys = (0..<slots).map { _ in buffer() }
        values = (0..<slots).map { _ in buffer() }
    }

    deinit { (keys + values).forEach { $0.deallocate() } }

    /// Start of row b's keys (resp. values) in `layer`: position j, kv head g at offset j · kvLength + g · D.
    func keys(layer: Int, row b: Int) -> UnsafeMutablePointer<Float> { keys[layer % slots] + b * capacity * kvLength }
    func values(layer: Int, row b: Int) -> UnsafeMutablePointer<Float> { values[layer % slots] + b * capacity * kvLength }

    /// Copies the new keys and values of `count` positions per row (`k`, `v`: `[B × count × kvLength]`) after the
    /// `length` cached ones of `layer`. The caller advances `length` once all layers are written.
    func append(layer: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, count: Int) {
        for b in 0..<batch {
            let dst = b * capacity * kvLength + length * kvLength, src = b * count * kvLength
            (keys[layer % slots] + dst).update(from: k + src, count: count * kvLength)
            (values[layer % slots] + dst).update(from: v + src, count: count * kvLength)
        }
    }

    /// Marks `count` more positions as filled (after `append` on every layer).
    func advance(by count: Int) { length += count }

    /// Whether all layers share one slot (single-chunk teacher forcing only).
    var isShared: Bool { slots == 1 && layers > 1 }
}
