import Foundation
import Testing
import LinearAlgebra
import Dynamics
@testable import PathSpace

/// Odd-elastic work per cycle (Eqs. 23–24): the exact value 2απ for the odd linear drift with its sign fixed by the
/// orientation, zero for gradient drifts on any loop, the small-loop limit (F₂₁ − F₁₂)πr² on the softmax toy, the
/// matrix-D entropy, d > 2 planes and the one-line errors.
@Suite struct CycleWorkTests {
    static let alpha = 0.7
    /// f = −(I + αR90)x.
    static func odd() throws -> LinearDrift { try LinearDrift.paperToy(alpha: alpha, s: 1) }
    static let half = try! Diffusion.isotropic(0.5)
    /// An irregular closed pentagon (last row = first).
    static let pentagon = try! Matrix([[0.3, -0.2], [1.4, 0.1], [1.1, 1.3], [-0.2, 1.7], [-0.9, 0.4], [0.3, -0.2]])

    @Test("f = −(I + αR90)x on the unit circle: W = −2απ counter-clockwise, +2απ clockwise (≤ 1e-12)")
    func oddLinearUnitCircle() throws {
        for (orientation, sign) in [(LoopOrientation.counterClockwise, -1.0), (.clockwise, 1.0)] {
            for centre in [[0.0, 0.0], [0.4, -1.1]] {
                let loop = ClosedLoop.circle(try CircleLoop(centre: centre, radius: 1, orientation: orientation))
                let w = try CycleWork(drift: try Self.odd(), diffusion: Self.half, loop: loop, points: 64)
                #expect(abs(w.work - sign * 2 * Self.alpha * Double.pi) <= 1e-12, "\(orientation) \(centre): \(w.work)")
                #expect(abs(w.entropyPerCycle - w.work / 0.5) <= 1e-15)
                #expect(abs(w.signedAreas[0, 1] + sign * Double.pi) <= 1e-14 && w.signedAreas[1, 0] == -w.signedAreas[0, 1])
                #expect(abs(w.linearisedWork - w.work) <= 1e-12)
                #expect(w.orientation == orientation && w.nodes == 64)
            }
        }
    }

    @Test("a gradient drift does no work on any loop: symmetric linear and nonlinear −∇U, circle and polygon (≤ 1e-10)")
    func gradientDriftsDoNoWork() throws {
        let symmetric = try LinearDrift(matrix: try Matrix([[-1, 0.3], [0.3, -2]]))
        // U = x⁴/4 + sin(x y) + y²/2 + x y³/3, f = −∇U.
        let nonlinear = try ClosureDrift(dimension: 2) { x, out in
            let a = x[0], b = x[1]
            out[0] = -(a * a * a + b * cos(a * b) + b * b * b / 3)
            out[1] = -(a * cos(a * b) + b + a * b * b)
        }
        let loops: [ClosedLoop] = [
            .circle(try CircleLoop(centre: [0.2, -0.4], radius: 1.3)),
            .circle(try CircleLoop(centre: [-0.5, 0.3], radius: 0.7, orientation: .clockwise)),
            .polygon(try PolygonLoop(vertices: Self.pentagon)),
        ]
        for loop in loops {
            let points: Int
            if case .circle = loop { points = 512 } else { points = 24 }
            let w1 = try CycleWork(drift: symmetric, diffusion: Self.half, loop: loop, points: points)
            let w2 = try CycleWork(drift: nonlinear, diffusion: Self.half, loop: loop, points: points)
            #expect(abs(w1.work) <= 1e-10 && abs(w1.linearisedWork) <= 1e-15, "\(loop): \(w1.work)")
            #expect(abs(w2.work) <= 1e-10, "\(loop): \(w2.work)")
        }
    }

    @Test("polygon: W = −2α𝒜 with the exact shoelace area, orientation from the sign of 𝒜")
    func oddLinearPolygon() throws {
        let p = try PolygonLoop(vertices: Self.pentagon)
        let w = try CycleWork(drift: try Self.odd(), diffusion: Self.half, loop: .polygon(p), points: 2)
        // Shoelace by hand, about the origin (the area does not depend on x₀ for a closed loop).
        var area = 0.0
        for k in 0..<5 { area += 0.5 * (Self.pentagon[k, 0] * Self.pentagon[k + 1, 1] - Self.pentagon[k, 1] * Self.pentagon[k + 1, 0]) }
        #expect(area > 0 && abs(w.signedAreas[0, 1] - area) <= 1e-14)
        #expect(abs(w.work + 2 * Self.alpha * area) <= 1e-13, "\(w.work) vs \(-2 * Self.alpha * area)")
        #expect(w.orientation == .counterClockwise && w.nodes == 10)
        // Reversed rows: clockwise, opposite work.
        let reversed = try Matrix((0...5).reversed().map { Self.pentagon.rowArrays[$0] })
        let back = try CycleWork(drift: try Self.odd(), diffusion: Self.half, loop: .polygon(try PolygonLoop(vertices: reversed)), points: 2)
        #expect(back.orientation == .clockwise && abs(back.work + w.work) <= 1e-13)
    }

    @Test("small circles on the softmax toy: W/(πr²) → F₂₁ − F₁₂ at the centre, error shrinking like r²")
    func softmaxSmallCircles() throws {
        let f = try SoftmaxAttentionDrift.paperToy(alpha: 1)
        let centre = [0.3, -0.2]
        let jac = try f.jacobian(at: centre)
        let slope = jac[1, 0] - jac[0, 1]
        var errors: [Double] = []
        for r in [0.08, 0.04, 0.02] {
            let w = try CycleWork(drift: f, diffusion: Self.half, loop: .circle(try CircleLoop(centre: centre, radius: r)), points: 128)
            let predicted = slope * Double.pi * r * r
            #expect(abs(w.linearisedWork - predicted) <= 1e-14)
            errors.append(abs(w.work / (Double.pi * r * r) - slope))
        }
        // Relative error O(r²): halving r divides it by ≈ 4.
        for k in 1..<errors.count {
            let ratio = errors[k - 1] / errors[k]
            #expect(ratio > 3.5 && ratio < 4.5, "error ratio \(ratio), errors \(errors)")
        }
        #expect(errors.last! <= 1e-2 * abs(slope), "\(errors) vs slope \(slope)")
    }

    @Test("matrix D: entropy per cycle = ∮ fᵀD⁻¹dx = 2 (M_A)₀₁ 𝒜₀₁ with M = D⁻¹K for f = −Kx; s·I as a matrix = W/s")
    func matrixDiffusion() throws {
        let d = try Matrix([[0.5, 0.1], [0.1, 0.3]])
        let k = try Matrix([[1, -Self.alpha], [Self.alpha, 1]])  // K = I + αR90, f = −Kx
        let m = try CholeskyFactorization(d).solve(k)
        let loop = ClosedLoop.circle(try CircleLoop(centre: [0.1, 0.2], radius: 1.5))
        let w = try CycleWork(drift: try Self.odd(), diffusion: try Diffusion(matrix: d), loop: loop, points: 64)
        let area = Double.pi * 1.5 * 1.5
        #expect(abs(w.entropyPerCycle - (m[0, 1] - m[1, 0]) * area) <= 1e-12, "\(w.entropyPerCycle)")
        let iso = try CycleWork(drift: try Self.odd(), diffusion: try Diffusion(matrix: 0.5 * Matrix.identity(2)), loop: loop, points: 64)
        #expect(iso.entropyPerCycle == iso.work / 0.5)
    }

    @Test("d = 3: a circle in the (0, 2) plane picks up only (B_A)₀₂: W = −2(B_A)₀₂ πr²")
    func threeDimensionalPlane() throws {
        let b = try Matrix([[-1, 0.2, 0.9], [0.4, -1.5, -0.3], [-0.5, 0.6, -0.8]])
        let loop = ClosedLoop.circle(try CircleLoop(centre: [0.5, -1, 2], radius: 0.8, plane: (0, 2)))
        let w = try CycleWork(drift: try LinearDrift(matrix: b), diffusion: Self.half, loop: loop, points: 32)
        let expected = -(b[0, 2] - b[2, 0]) * Double.pi * 0.64
        #expect(abs(w.work - expected) <= 1e-12, "\(w.work) vs \(expected)")
        #expect(abs(w.signedAreas[0, 2] - Double.pi * 0.64) <= 1e-14 && w.signedAreas[0, 1] == 0 && w.signedAreas[1, 2] == 0)
        #expect(w.plane == [0, 2])
    }

    @Test("Gauss–Legendre: weights sum to 2, degree 2n − 1 exact, nodes symmetric")
    func gaussLegendre() throws {
        for n in [1, 2, 5, 16, 101] {
            let g = try GaussLegendre(nodes: n)
            #expect(abs(g.weights.reduce(0, +) - 2) <= 1e-13)
            let degree = 2 * n - 2  // even degree ≤ 2n − 1: ∫ x^k = 2/(k + 1)
            let integral = zip(g.nodes, g.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(degree)) }
            #expect(abs(integral - 2 / Double(degree + 1)) <= 1e-13, "n = \(n)")
            for k in 0..<n { #expect(g.nodes[k] == -g.nodes[n - 1 - k]) }
        }
        #expect(throws: LinearAlgebraError.self) { try GaussLegendre(nodes: 0) }
    }

    @Test("one-line errors: open loop, bad plane, too few points or vertices, dimension mismatch")
    func errors() throws {
        let open = try Matrix([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0.001]])
        #expect { try PolygonLoop(vertices: open) } throws: { "\($0)".hasPrefix("loop does not close") }
        #expect(throws: PathSpaceError.self) { try PolygonLoop(vertices: try Matrix([[0, 0], [1, 0], [0, 0]])) }
        #expect(throws: PathSpaceError.self) { try CircleLoop(centre: [0, 0], radius: 1, plane: (0, 0)) }
        #expect(throws: PathSpaceError.self) { try CircleLoop(centre: [0, 0], radius: 1, plane: (0, 2)) }
        #expect(throws: PathSpaceError.self) { try CircleLoop(centre: [0], radius: 1) }
        #expect(throws: PathSpaceError.self) { try CircleLoop(centre: [0, 0], radius: 0) }
        let unit = ClosedLoop.circle(try CircleLoop(centre: [0, 0], radius: 1))
        #expect(throws: PathSpaceError.self) { try CycleWork(drift: try Self.odd(), diffusion: Self.half, loop: unit, points: 2) }
        let three = ClosedLoop.circle(try CircleLoop(centre: [0, 0, 0], radius: 1))
        #expect(throws: PathSpaceError.self) { try CycleWork(drift: try Self.odd(), diffusion: Self.half, loop: three, points: 16) }
        let d3 = try Diffusion(matrix: try Matrix([[1, 0, 0], [0, 2, 0], [0, 0, 1]]))
        #expect(throws: PathSpaceError.self) { try CycleWork(drift: try Self.odd(), diffusion: d3, loop: unit, points: 16) }
        let blowUp = try ClosureDrift(dimension: 2) { x, out in out[0] = x[0] > 0.5 ? .nan : 0; out[1] = 0 }
        #expect(throws: PathSpaceError.self) { try CycleWork(drift: blowUp, diffusion: Self.half, loop: unit, points: 16) }
    }
}
