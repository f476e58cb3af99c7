import Dynamics
import Estimators
import ResourceLimits

/// A caller's 3-D array of trajectories, shape (rollouts, steps, dimension): a pointer to element [0, 0, 0], its
/// element type and its three strides in elements (any signs; C order is (steps·d, d, 1), Fortran order
/// (1, rollouts, rollouts·steps)). Element [b, t, k] lies at `data[b·s0 + t·s1 + k·s2]`. A (steps, d) array is
/// one rollout (rollouts 1, s0 0). The library reads an input through ``strided`` and writes an output through
/// ``recorder()``.
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

    /// The view as the library reads it: ``StridedTrajectories`` over the caller's memory (`pt_estimate`).
    var strided: StridedTrajectories {
        StridedTrajectories(base: data, element: dtype == ABIDType.float32 ? .float32 : .float64, rollouts: rollouts,
                            steps: steps, dimension: dimension,
                            strides: (rollout: strides.0, step: strides.1, coordinate: strides.2))
    }

    /// The view as the engine writes it: a ``StridedTrajectoryRecorder`` into the caller's memory (`pt_simulate_*`;
    /// the caller passed a writable `void *`; float32 rounded to nearest, as the CLI's `--float32` file).
    func recorder() throws -> StridedTrajectoryRecorder {
        try StridedTrajectoryRecorder(base: UnsafeMutableRawPointer(mutating: data), dtype: dtype == ABIDType.float32 ? .float32 : .float64,
                                      rollouts: rollouts, steps: steps, dimension: dimension, strides: strides)
    }
}
