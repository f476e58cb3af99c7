/// Scratch buffers for ``AttentionWorldModel/lossAndGradient(points:targets:count:workspace:gradientInto:)``
/// on batches of up to ``capacity`` points of one model shape (d, M): Q = XW and the output-side
/// blocks (n × d each: Q, Ȳ, G, P) and the slot-side blocks (n × M each: logits, attention,
/// ∂L/∂ℓ). Allocated once; a loss/gradient call then allocates nothing itself (OpenBLAS may
/// allocate inside `dgemm`). One workspace per thread: it is a reference type and not `Sendable`.
public final class AttentionWorldModelWorkspace {
    /// Largest batch size n.
    public let capacity: Int
    /// State dimension d it was made for.
    public let dimension: Int
    /// Slot count M it was made for.
    public let slotCount: Int
    let q: UnsafeMutablePointer<Double>
    let readout: UnsafeMutablePointer<Double>
    let g: UnsafeMutablePointer<Double>
    let p: UnsafeMutablePointer<Double>
    let logits: UnsafeMutablePointer<Double>
    let attention: UnsafeMutablePointer<Double>
    let dLogits: UnsafeMutablePointer<Double>

    /// - Throws: ``WorldModelError/invalidCount(name:value:requirement:)`` for capacity < 1.
    public init(capacity: Int, dimension: Int, slotCount: Int) throws(WorldModelError) {
        guard capacity >= 1 else { throw .invalidCount(name: "workspace capacity", value: capacity, requirement: "≥ 1") }
        guard dimension >= 1 else { throw .zeroDimension }
        guard slotCount >= 1 else { throw .zeroSlots }
        self.capacity = capacity
        self.dimension = dimension
        self.slotCount = slotCount
        func block(_ n: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: n)
            b.initialize(repeating: 0, count: n)
            return b
        }
        q = block(capacity * dimension)
        readout = block(capacity * dimension)
        g = block(capacity * dimension)
        p = block(capacity * dimension)
        logits = block(capacity * slotCount)
        attention = block(capacity * slotCount)
        dLogits = block(capacity * slotCount)
    }

    deinit {
        for b in [q, readout, g, p, logits, attention, dLogits] { b.deallocate() }
    }
}

extension AttentionWorldModel {
    /// A workspace for batches of up to `capacity` points of this model's shape.
    public func makeWorkspace(capacity: Int) throws(WorldModelError) -> AttentionWorldModelWorkspace {
        try AttentionWorldModelWorkspace(capacity: capacity, dimension: dimension, slotCount: slotCount)
    }
}
