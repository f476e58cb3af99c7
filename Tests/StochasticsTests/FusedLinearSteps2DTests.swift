import Testing
@testable import Stochastics

/// The fused 2-D linear Euler–Maruyama kernel (`FusedLinearSteps2D`): bitwise equal to drawing the
/// noise with `NoiseStream.fillSteps` and stepping in Swift, for every kernel this CPU runs
/// (portable, AVX2, AVX-512, automatic); first divergence reported like a step-by-step loop; errors.
@Suite("FusedLinearSteps2D (noise + 2-D linear step in registers)")
struct FusedLinearSteps2DTests {
    /// Step-by-step reference: x ← (x + Δt·Bx) + a·ξ_k with ξ from `fillSteps`, the same double operations.
    /// Returns the states and the first (step, stream offset) with a non-finite state, if any.
    static func reference(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int, b: SIMD4<Double>,
                          dt: Double, a: Double, x0: [Double]) throws -> ([Double], (UInt64, Int)?) {
        let n = streams.count
        var noise = [Double](repeating: 0, count: n * steps * 2)
        try noise.withUnsafeMutableBufferPointer {
            try NoiseStream.fillSteps(seed: seed, streams: streams, firstStep: firstStep, steps: steps, dimension: 2, into: $0)
        }
        var x = x0
        for k in 0..<steps {
            for i in 0..<n {
                let u = x[2 * i], v = x[2 * i + 1]
                let f0 = b[0] * u + b[1] * v
                let f1 = b[2] * u + b[3] * v
                x[2 * i] = (u + dt * f0) + a * noise[(k * n + i) * 2]
                x[2 * i + 1] = (v + dt * f1) + a * noise[(k * n + i) * 2 + 1]
            }
            if let i = (0..<n).first(where: { !x[2 * $0].isFinite || !x[2 * $0 + 1].isFinite }) {
                return (x, (firstStep + UInt64(k), i))
            }
        }
        return (x, nil)
    }

    static func fused(seed: UInt64, streams: Range<UInt64>, firstStep: UInt64, steps: Int, b: SIMD4<Double>,
                      dt: Double, a: Double, x0: [Double], kernel: FusedLinearSteps2D.Kernel) throws -> ([Double], FusedLinearSteps2D.Divergence?) {
        var x = x0
        let div = try x.withUnsafeMutableBufferPointer {
            try FusedLinearSteps2D.advance(seed: seed, streams: streams, firstStep: firstStep, steps: steps, matrix: b,
                                           timeStep: dt, amplitude: a, states: $0, kernel: kernel)
        }
        return (x, div)
    }

    /// The kernels this CPU runs (the AVX ones are skipped, not failed, where absent).
    static let kernels = FusedLinearSteps2D.Kernel.allCases.filter(\.isAvailable)

    @Test func availabilityMatchesTheCPU() {
        // On this project's machines (AMD EPYC Zen 4) all kernels run; elsewhere at least the portable one.
        #expect(Self.kernels.contains(.portable) && Self.kernels.contains(.automatic))
        if FusedLinearSteps2D.usesAVX512 { #expect(NoiseStream.usesAVX2) }
        var x = [Double](repeating: 0, count: 2)
        for kernel in FusedLinearSteps2D.Kernel.allCases where !kernel.isAvailable {
            x.withUnsafeMutableBufferPointer { buf in
                #expect(throws: StochasticsError.kernelUnavailable(String(describing: kernel))) {
                    try FusedLinearSteps2D.advance(seed: 0, streams: 0..<1, firstStep: 0, steps: 1, matrix: .zero,
                                                   timeStep: 0.1, amplitude: 1, states: buf, kernel: kernel)
                }
            }
        }
    }

    static func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// 37 and 70 streams = full lane groups (16 for AVX2, 32 for AVX-512) and a partial one; odd and even first steps (a step
    /// starting mid Philox block); a stream range crossing 2³² (carry into the counter's high word);
    /// 1 step and many steps.
    @Test(arguments: [
        (UInt64(7), UInt64(0), 37, UInt64(7), 45),
        (UInt64(0xDEAD_BEEF), UInt64(0xFFFF_FFF8), 19, UInt64(0), 64),
        (UInt64(3), UInt64(5), 16, UInt64(1 << 33) + 1, 1),
        (UInt64(3), UInt64(100), 3, UInt64(2), 2),
        (UInt64(9), UInt64(64), 70, UInt64(11), 33),
    ])
    func fusedEqualsBufferedNoiseAndSwiftStep(seed: UInt64, firstStream: UInt64, count: Int, firstStep: UInt64, steps: Int) throws {
        let b = SIMD4<Double>(-1, 1.3, -0.9, -0.7), dt = 0.01, a = (2 * 0.5 * 0.01).squareRoot()
        let streams = firstStream..<(firstStream + UInt64(count))
        let x0 = (0..<(2 * count)).map { Double($0 % 7) * 0.25 - 0.7 }
        let (expected, none) = try Self.reference(seed: seed, streams: streams, firstStep: firstStep, steps: steps,
                                                  b: b, dt: dt, a: a, x0: x0)
        #expect(none == nil)
        for kernel in Self.kernels {
            let (got, div) = try Self.fused(seed: seed, streams: streams, firstStep: firstStep, steps: steps, b: b,
                                            dt: dt, a: a, x0: x0, kernel: kernel)
            let same = Self.bitwiseEqual(got, expected)
            #expect(same, "kernel \(kernel)")
            #expect(div == nil)
        }
    }

    @Test func firstDivergenceIsTheEarliestStepThenLowestStream() throws {
        // f = 10x, Δt = 0.1: |x| doubles per step, so a stream starting at 2^e overflows after ≈ 1024 − e
        // steps. Streams 21 and 27 start largest (equal): both overflow first, at the same step; the
        // report must name stream 21 (for AVX2 a later lane group than 3, which starts smaller and
        // overflows later; for AVX-512 the same group).
        let count = 40
        var x0 = [Double](repeating: 1, count: 2 * count)
        x0[2 * 3] = 0x1p20
        x0[2 * 21 + 1] = 0x1p40; x0[2 * 27] = 0x1p40
        let b = SIMD4<Double>(10, 0, 0, 10)
        let (_, expected) = try Self.reference(seed: 1, streams: 0..<UInt64(count), firstStep: 3, steps: 1200, b: b,
                                               dt: 0.1, a: 1e-3, x0: x0)
        let e = try #require(expected)
        #expect(e.1 == 21)
        for kernel in Self.kernels {
            let (_, div) = try Self.fused(seed: 1, streams: 0..<UInt64(count), firstStep: 3, steps: 1200, b: b,
                                          dt: 0.1, a: 1e-3, x0: x0, kernel: kernel)
            #expect(div == FusedLinearSteps2D.Divergence(step: e.0, streamOffset: e.1), "kernel \(kernel)")
        }
    }

    @Test func badArgumentsThrow() {
        var x = [Double](repeating: 0, count: 6)
        x.withUnsafeMutableBufferPointer { buf in
            #expect(throws: StochasticsError.self) {
                try FusedLinearSteps2D.advance(seed: 0, streams: 0..<4, firstStep: 0, steps: 3, matrix: .zero,
                                               timeStep: 0.1, amplitude: 1, states: buf)
            }
            #expect(throws: StochasticsError.self) {
                try FusedLinearSteps2D.advance(seed: 0, streams: 0..<3, firstStep: UInt64.max / 2, steps: 3,
                                               matrix: .zero, timeStep: 0.1, amplitude: 1, states: buf)
            }
            #expect(throws: StochasticsError.self) {
                try FusedLinearSteps2D.advance(seed: 0, streams: 0..<3, firstStep: 0, steps: -1, matrix: .zero,
                                               timeStep: 0.1, amplitude: 1, states: buf)
            }
        }
    }
}
