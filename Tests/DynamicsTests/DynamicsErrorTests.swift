import LinearAlgebra
import Testing
@testable import Dynamics

@Suite("Dynamics input errors")
struct DynamicsErrorTests {
    /// Runs `body` and returns the DynamicsError it throws (nil if it throws nothing or something else).
    func error(_ body: () throws -> Void) -> DynamicsError? {
        do { try body(); return nil } catch let e as DynamicsError { return e } catch { return nil }
    }

    func engine(dt: Double = 0.01, diffusion: Double = 0.5, rollouts: Int = 2, steps: Int = 3, burnIn: Int = 0,
                thin: Int = 1, threads: Int = 0, chunk: Int = 4, x0: [Double]? = nil) throws {
        _ = try EulerMaruyama(timeStep: dt, diffusion: diffusion, rollouts: rollouts, steps: steps, burnIn: burnIn,
                              thin: thin, seed: 0, threads: threads, chunk: chunk, initialState: x0)
    }

    @Test func driftConstructionErrors() throws {
        let square = Matrix.identity(2)
        #expect(error { _ = try LinearDrift(matrix: Matrix(rows: 2, columns: 3)) } == .notSquare(name: "drift matrix B", rows: 2, columns: 3))
        #expect(error { _ = try LinearDrift(matrix: Matrix(rows: 0, columns: 0)) } == .zeroDimension)
        #expect(error { _ = try LinearDrift(matrix: Matrix(rows: 2, columns: 2, repeating: .nan)) } == .nonFinite(name: "drift matrix B"))
        #expect(error { _ = try LinearDrift.paperToy(alpha: .infinity) }
                == .invalidArgument(name: "alpha", value: .infinity, requirement: "finite"))

        let keys = Matrix(rows: 4, columns: 2, repeating: 1)
        #expect(error { _ = try SoftmaxAttentionDrift(scores: Matrix(rows: 2, columns: 3), keys: keys, beta: 1) }
                == .notSquare(name: "score matrix W", rows: 2, columns: 3))
        #expect(error { _ = try SoftmaxAttentionDrift(scores: Matrix(rows: 0, columns: 0), keys: keys, beta: 1) } == .zeroDimension)
        #expect(error { _ = try SoftmaxAttentionDrift(scores: square, keys: Matrix(rows: 0, columns: 2), beta: 1) } == .zeroSlots)
        #expect(error { _ = try SoftmaxAttentionDrift.paperToy(alpha: 1, slots: 0) } == .zeroSlots)
        if case .dimensionMismatch = error({ _ = try SoftmaxAttentionDrift(scores: square, keys: Matrix(rows: 4, columns: 3), beta: 1) }) {} else {
            Issue.record("keys of width 3 with a 2×2 W must be a dimension mismatch")
        }
        var badKeys = keys
        badKeys[1, 1] = .infinity
        #expect(error { _ = try SoftmaxAttentionDrift(scores: square, keys: badKeys, beta: 1) } == .nonFinite(name: "keys"))
        #expect(error { _ = try SoftmaxAttentionDrift(scores: Matrix(rows: 2, columns: 2, repeating: .nan), keys: keys, beta: 1) }
                == .nonFinite(name: "score matrix W"))
        for beta in [0.0, -1, .nan, .infinity] {
            if case .invalidArgument(name: "beta", _, _) = error({ _ = try SoftmaxAttentionDrift(scores: square, keys: keys, beta: beta) }) {} else {
                Issue.record("beta = \(beta) must be rejected")
            }
        }
        if case .invalidArgument(name: "leak", _, _) = error({ _ = try SoftmaxAttentionDrift(scores: square, keys: keys, beta: 1, leak: .nan) }) {} else {
            Issue.record("leak = NaN must be rejected")
        }
        #expect(error { _ = try ClosureDrift(dimension: 0) { _, _ in } } == .zeroDimension)
    }

    @Test func jacobianPointErrors() throws {
        let drifts: [any Drift] = [try LinearDrift.paperToy(alpha: 1), try SoftmaxAttentionDrift.paperToy(alpha: 1),
                                   try ClosureDrift(dimension: 2) { _, out in out[0] = 0; out[1] = 0 }]
        for drift in drifts {
            if case .dimensionMismatch = error({ _ = try drift.jacobian(at: [1, 2, 3]) }) {} else {
                Issue.record("\(type(of: drift)): a 3-point for d = 2 must be a dimension mismatch")
            }
            #expect(error { _ = try drift.jacobian(at: [.nan, 0]) } == .nonFinite(name: "point"))
        }
    }

    @Test func engineParameterErrors() throws {
        for dt in [0.0, -0.1, .nan, .infinity] {
            if case .invalidArgument(name: "time step Δt", _, _) = error({ try engine(dt: dt) }) {} else { Issue.record("Δt = \(dt)") }
        }
        for d in [0.0, -1, .nan, .infinity] {
            if case .invalidArgument(name: "diffusion D", _, _) = error({ try engine(diffusion: d) }) {} else { Issue.record("D = \(d)") }
        }
        #expect(error { try engine(rollouts: 0) } == .invalidCount(name: "rollouts", value: 0, requirement: "≥ 1"))
        #expect(error { try engine(steps: -2) } == .invalidCount(name: "steps", value: -2, requirement: "≥ 1"))
        #expect(error { try engine(burnIn: -1) } == .invalidCount(name: "burn-in", value: -1, requirement: "≥ 0"))
        #expect(error { try engine(thin: 0) } == .invalidCount(name: "thin", value: 0, requirement: "≥ 1"))
        #expect(error { try engine(chunk: 0) } == .invalidCount(name: "chunk", value: 0, requirement: "≥ 1"))
        if case .invalidCount(name: "threads", _, _) = error({ try engine(threads: -1) }) {} else { Issue.record("threads = -1") }
        #expect(error { try engine(x0: [0, .nan]) } == .nonFinite(name: "initial state"))
        if case .invalidCount = error({ try engine(steps: Int.max / 2, thin: 4) }) {} else { Issue.record("step overflow") }
        if case .invalidCount = error({ try engine(steps: 1 << 40, thin: 1 << 9) }) {} else { Issue.record("beyond 2^48 steps") }

        let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 2, steps: 3, seed: 0, initialState: [1, 2, 3])
        if case .dimensionMismatch = error({ _ = try em.run(LinearDrift.paperToy(alpha: 1), observer: SegmentLogObserver()) }) {} else {
            Issue.record("a 3-component initial state for d = 2")
        }
    }

    @Test func descriptionsAreOneReadableLine() {
        let all: [DynamicsError] = [
            .notSquare(name: "W", rows: 2, columns: 3), .dimensionMismatch(detail: "x"), .nonFinite(name: "keys"),
            .zeroSlots, .zeroDimension, .invalidArgument(name: "beta", value: -1, requirement: "> 0 and finite"),
            .invalidCount(name: "thin", value: 0, requirement: "≥ 1"), .diverged(rollout: 3, step: 17),
            .recorderMismatch(detail: "shape"),
        ]
        for e in all {
            #expect(!e.description.isEmpty && !e.description.contains("\n"))
        }
        #expect(DynamicsError.diverged(rollout: 3, step: 17).description.contains("rollout 3"))
        #expect(DynamicsError.diverged(rollout: 3, step: 17).description.contains("step 17"))
    }
}
