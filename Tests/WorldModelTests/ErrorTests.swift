import Foundation
import LinearAlgebra
import Testing
import TestSupport
import Dynamics
@testable import WorldModel

@Suite("WorldModel errors and persistence")
struct ErrorTests {
    let keys = try! Matrix([[1, 0], [0, 1], [-1, 0]])

    @Test("the initializer rejects bad shapes and values with typed errors")
    func initErrors() throws {
        #expect(throws: WorldModelError.notSquare(name: "score matrix W", rows: 2, columns: 3)) {
            try AttentionWorldModel(scores: Matrix(rows: 2, columns: 3), keys: keys)
        }
        #expect(throws: WorldModelError.zeroDimension) {
            try AttentionWorldModel(scores: Matrix(rows: 0, columns: 0), keys: Matrix(rows: 1, columns: 0))
        }
        #expect(throws: WorldModelError.zeroSlots) {
            try AttentionWorldModel(scores: .identity(2), keys: Matrix(rows: 0, columns: 2))
        }
        #expect(throws: WorldModelError.self) { try AttentionWorldModel(scores: .identity(3), keys: keys) }
        var w = Matrix.identity(2)
        w[0, 1] = .nan
        #expect(throws: WorldModelError.nonFinite(name: "score matrix W")) { try AttentionWorldModel(scores: w, keys: keys) }
        var k = keys
        k[1, 1] = .infinity
        #expect(throws: WorldModelError.nonFinite(name: "keys")) { try AttentionWorldModel(scores: .identity(2), keys: k) }
        for beta in [0.0, -1, .nan, .infinity] {
            #expect(throws: WorldModelError.self) { try AttentionWorldModel(scores: .identity(2), keys: keys, beta: beta) }
        }
        #expect(throws: WorldModelError.self) { try AttentionWorldModel(scores: .identity(2), keys: keys, leak: .nan) }
        #expect(throws: WorldModelError.zeroSlots) { try AttentionWorldModel.paperInitial(slots: 0, seed: 1) }
        #expect(throws: WorldModelError.self) { try AttentionWorldModel.paperInitial(radius: 0, seed: 1) }
        #expect(throws: WorldModelError.self) { try AttentionWorldModel.paperInitial(angleJitter: -1, seed: 1) }
    }

    @Test("paperInitial: W₀ = I, M keys at radius 2 near angles 2πm/M, β = λ = 1, seeded")
    func paperInitial() throws {
        let model = try AttentionWorldModel.paperInitial(seed: 4)
        #expect(model.scores == .identity(2) && model.slotCount == 8 && model.beta == 1 && model.leak == 1)
        #expect(!model.learnsBeta && !model.learnsLeak && model.parameterCount == 4 + 16)
        for m in 0..<8 {
            let r = (model.keys[m, 0] * model.keys[m, 0] + model.keys[m, 1] * model.keys[m, 1]).squareRoot()
            #expect(abs(r - 2) <= 1e-14)
            // Jitter N(0, 0.1²): 5σ = 0.5 rad bounds it except with probability ≈ 6e-7 per key.
            let angle = atan2(model.keys[m, 1], model.keys[m, 0])
            var delta = angle - 2 * Double.pi * Double(m) / 8
            delta = remainder(delta, 2 * Double.pi)
            #expect(abs(delta) < 0.5 && delta != 0)
        }
        #expect(try AttentionWorldModel.paperInitial(seed: 4) == model)
        #expect(try AttentionWorldModel.paperInitial(seed: 5) != model)
    }

    @Test("loss, parameter and optimizer calls reject mismatched sizes and non-finite data")
    func callErrors() throws {
        let model = try AttentionWorldModel(scores: .identity(2), keys: keys)
        let ws = try model.makeWorkspace(capacity: 4)
        let x = [Double](repeating: 0.5, count: 8)
        #expect(throws: WorldModelError.self) { try model.loss(points: x, targets: x, count: 0, workspace: ws) }
        #expect(throws: WorldModelError.self) { try model.loss(points: x, targets: x, count: 5, workspace: ws) }
        #expect(throws: WorldModelError.self) { try model.loss(points: Array(x.prefix(6)), targets: x, count: 4, workspace: ws) }
        let other = try AttentionWorldModel.paperInitial(seed: 1).makeWorkspace(capacity: 4)
        #expect(throws: WorldModelError.self) { try model.loss(points: x, targets: x, count: 4, workspace: other) }
        var bad = x
        bad[3] = .nan
        #expect(throws: WorldModelError.nonFinite(name: "loss (points, targets or parameters)")) {
            try model.lossAndGradient(points: x, targets: bad, count: 4, workspace: ws)
        }
        #expect(throws: WorldModelError.self) { try model.makeWorkspace(capacity: 0) }
        #expect(throws: WorldModelError.parameterCountMismatch(expected: 10, actual: 3)) {
            try model.updating(parameters: [1, 2, 3])
        }
        var p = model.parameters
        p[0] = .infinity
        #expect(throws: WorldModelError.nonFinite(name: "score matrix W")) { try model.updating(parameters: p) }
        #expect(throws: WorldModelError.self) { try Adam(parameterCount: 0) }
        #expect(throws: WorldModelError.self) { try Adam(parameterCount: 2, learningRate: -1) }
        #expect(throws: WorldModelError.self) { try Adam(parameterCount: 2, beta1: 1) }
        #expect(throws: WorldModelError.self) { try Adam(parameterCount: 2, beta2: .nan) }
        var adam = try Adam(parameterCount: 2)
        var q = [1.0, 2.0]
        #expect(throws: WorldModelError.parameterCountMismatch(expected: 2, actual: 3)) {
            try adam.step(parameters: &q, gradient: [1, 2, 3])
        }
        #expect(throws: WorldModelError.nonFinite(name: "gradient")) { try adam.step(parameters: &q, gradient: [1, .nan]) }
        #expect(q == [1, 2] && adam.stepCount == 0)
    }

    @Test("data: unstable or non-finite drifts, bad splits and bad arrays are rejected")
    func dataErrors() throws {
        #expect(throws: WorldModelError.unstableDrift(spectralAbscissa: 0)) {
            try TransitionData.rotationalDriftMatrix(gamma: 0, omega: 1)
        }
        #expect(throws: WorldModelError.self) { try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: .nan) }
        #expect(throws: WorldModelError.self) { try TransitionData.rotationalDriftMatrix(gamma: 0.5, omega: 1, dimension: 1) }
        // γI − ωR90 with γ < 0 written by hand: eigenvalues 0.1 ± i, unstable.
        let unstable = try Matrix([[0.1, -1], [1, 0.1]])
        do {
            _ = try TransitionData.simulate(driftMatrix: unstable, diffusion: 0.5, timeStep: 0.01, rollouts: 2,
                                            steps: 10, burnIn: 0, seed: 1)
            Issue.record("an unstable drift was accepted")
        } catch let error as WorldModelError {
            guard case let .unstableDrift(abscissa) = error else { Issue.record("wrong error \(error)"); return }
            #expect(abs(abscissa - 0.1) <= 1e-12)
        }
        var nanMatrix = Matrix.identity(2) * -1
        nanMatrix[0, 0] = .nan
        #expect(throws: WorldModelError.nonFinite(name: "drift matrix")) {
            try TransitionData.simulate(driftMatrix: nanMatrix, diffusion: 0.5, timeStep: 0.01, rollouts: 2,
                                        steps: 10, burnIn: 0, seed: 1)
        }
        #expect(throws: DynamicsError.self) {
            try TransitionData.simulate(driftMatrix: .identity(2) * -1, diffusion: -1, timeStep: 0.01, rollouts: 2,
                                        steps: 10, burnIn: 0, seed: 1)
        }
        let data = try TransitionData.simulate(driftMatrix: .identity(2) * -1, diffusion: 0.5, timeStep: 0.01,
                                               rollouts: 3, steps: 5, burnIn: 0, seed: 1)
        #expect(throws: WorldModelError.self) { try data.split(validationRollouts: 3, seed: 1) }
        #expect(throws: WorldModelError.self) { try data.split(validationRollouts: -1, seed: 1) }
        #expect(throws: WorldModelError.nonFinite(name: "points")) {
            try TransitionData(dimension: 1, timeStep: 0.1, points: [.nan], targets: [0], rolloutPairCounts: [1])
        }
        #expect(throws: WorldModelError.self) {
            try TransitionData(dimension: 2, timeStep: 0.1, points: [0, 0], targets: [0, 0], rolloutPairCounts: [2])
        }
    }

    @Test("JSON round trip is exact; corrupt saved models fail to decode with the model error")
    func codable() throws {
        let model = try AttentionWorldModel(scores: try Matrix([[1, -0.3], [0.2, 0.9]]), keys: keys, beta: 1.5, leak: 0.7,
                                            learnBeta: true, learnLeak: false)
        let data = try JSONEncoder().encode(model)
        let decoded = try JSONDecoder().decode(AttentionWorldModel.self, from: data)
        #expect(decoded == model)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"W\"") && text.contains("\"keys\"") && text.contains("\"beta\"") && text.contains("\"leak\""))
        let corrupt = [
            #"{"W": [[1, 0], [0]], "keys": [[1, 0]], "beta": 1, "leak": 1}"#,  // ragged W
            #"{"W": [[1, 0], [0, 1]], "keys": [[1, 0, 0]], "beta": 1, "leak": 1}"#,  // key width
            #"{"W": [[1, 0], [0, 1]], "keys": [], "beta": 1, "leak": 1}"#,  // no slots
            #"{"W": [[1, 0], [0, 1]], "keys": [[1, 0]], "beta": -1, "leak": 1}"#,  // β ≤ 0
            #"{"W": [[1, 0], [0, 1]], "keys": [[1, 0]], "leak": 1}"#,  // missing β
        ]
        for json in corrupt {
            #expect(throws: DecodingError.self, "\(json)") {
                try JSONDecoder().decode(AttentionWorldModel.self, from: Data(json.utf8))
            }
        }
    }

    @Test("symmetrized model has W_S, A = 0 and the same keys; drift mirrors the parameters")
    func symmetrizedAndAsymmetry() throws {
        let model = try AttentionWorldModel(scores: try Matrix([[1, -1], [1, 1]]), keys: keys)
        // W = I + R90: ‖W_A‖_F = √2, ‖W‖_F = 2, so A = 1/√2.
        #expect(abs(model.asymmetry - 1 / 2.0.squareRoot()) <= 1e-15)
        let s = model.symmetrized()
        #expect(s.scores == .identity(2) && s.keys == model.keys && s.asymmetry == 0)
        let drift = model.drift
        #expect(drift.beta == model.beta && drift.leak == model.leak && drift.slotCount == 3)
    }
}
