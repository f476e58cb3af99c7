import ResourceLimits

/// A caller's 3-D array of trajectories, shape (rollouts, steps, dimension): a pointer to element [0, 0, 0], its
/// element type and its three strides in elements (any signs; C order is (steps·d, d, 1), Fortran order
/// (1, rollouts, rollouts·steps)). Element [b, t, k] lies at `data[b·s0 + t·s1 + k·s2]`. A (steps, d) array is
/// one rollout (rollouts 1, s0 0). Inputs are read through ``element(_:_:_:)``; outputs written through
/// ``store(_:_:_:_:)`` (float64 or float32, rounded to nearest).
struct ABITrajectoryView {
    let data: UnsafeRawPointer
    let dtype: Int32
    let rollouts: Int
    let steps: Int
    let dimension: Int
    let strides: (Int, Int, Int)

    /// Validates the description (no pointer is dereferenced here) and checks `rollouts × steps × dimension`
    /// doubles against the memory budget (`what` names the buffer in the message).
    /// - Throws: ``ABIArgumentError`` for a null pointer, an unknown dtype, a non-positive extent or offsets that
    ///   overflow Int; ``ResourceLimitError`` beyond the memory budget.
    init(name: String, data: UnsafeRawPointer?, dtype: Int32, shape: (Int64, Int64, Int64),
         strides: (Int64, Int64, Int64)) throws {
        guard let data else { throw ABIArgumentError("\(name): null data pointer") }
        guard dtype == ABIDType.float64 || dtype == ABIDType.float32 else {
            throw ABIArgumentError("\(name): unknown dtype code \(dtype) (0: float64, 1: float32)")
        }
        guard shape.0 >= 1, shape.1 >= 1, shape.2 >= 1 else {
            throw ABIArgumentError("\(name): shape (\(shape.0), \(shape.1), \(shape.2)) has no entries")
        }
        var extent = 0
        for (count, stride) in [(shape.0, strides.0), (shape.1, strides.1), (shape.2, strides.2)] {
            guard stride.magnitude < UInt64(Int.max), count <= Int64(Int.max) else {
                throw ABIArgumentError("\(name): strides (\(strides.0), \(strides.1), \(strides.2)) overflow for shape (\(shape.0), \(shape.1), \(shape.2))")
            }
            let (part, o1) = Int(count - 1).multipliedReportingOverflow(by: Int(stride.magnitude))
            let (sum, o2) = extent.addingReportingOverflow(part)
            guard !o1, !o2 else {
                throw ABIArgumentError("\(name): strides (\(strides.0), \(strides.1), \(strides.2)) overflow for shape (\(shape.0), \(shape.1), \(shape.2))")
            }
            extent = sum
        }
        _ = try MemoryBudget.standard.check(AllocationPlan("\(name) as doubles").adding(
            .init(Int(shape.0), "rollouts"), .init(Int(shape.1), "steps"), .init(Int(shape.2), "d"), .init(8, "bytes")))
        self.data = data
        self.dtype = dtype
        (rollouts, steps, dimension) = (Int(shape.0), Int(shape.1), Int(shape.2))
        self.strides = (Int(strides.0), Int(strides.1), Int(strides.2))
    }

    /// The offset in elements of [b, t, k].
    @inline(__always) func offset(_ b: Int, _ t: Int, _ k: Int) -> Int { b * strides.0 + t * strides.1 + k * strides.2 }

    /// Element [b, t, k] as a Double.
    @inline(__always) func element(_ b: Int, _ t: Int, _ k: Int) -> Double {
        let o = offset(b, t, k)
        return dtype == ABIDType.float64 ? data.assumingMemoryBound(to: Double.self)[o]
                                         : Double(data.assumingMemoryBound(to: Float.self)[o])
    }

    /// Rollout `b` as one flat row-major (steps × dimension) array of Doubles (the layout of ``TrajectoryData``).
    func rollout(_ b: Int) -> [Double] {
        var out = [Double](repeating: 0, count: steps * dimension)
        for t in 0..<steps { for k in 0..<dimension { out[t * dimension + k] = element(b, t, k) } }
        return out
    }

    /// Writes `value` into [b, t, k] (float32 outputs are rounded to nearest, as the CLI's `--float32` file).
    /// The caller's buffer must be writable; the view came from a `void *`.
    @inline(__always) func store(_ value: Double, _ b: Int, _ t: Int, _ k: Int) {
        let o = offset(b, t, k)
        let p = UnsafeMutableRawPointer(mutating: data)
        if dtype == ABIDType.float64 { p.assumingMemoryBound(to: Double.self)[o] = value }
        else { p.assumingMemoryBound(to: Float.self)[o] = Float(value) }
    }
}
