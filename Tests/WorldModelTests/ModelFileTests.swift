import Foundation
import LinearAlgebra
import Testing
@testable import WorldModel

/// ``AttentionWorldModel/init(contentsOfFile:)``: a saved model loads with bit-identical parameters, and a damaged
/// or missing file is a typed ``ModelFileError`` naming the reason, never a trap.
@Suite("Model files")
struct ModelFileTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ModelFileTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parameters with full 53-bit mantissas (1/3, π/7, e⁻¹⁰, …): JSON's shortest round-trip decimals must give
    /// every bit back.
    static func model() throws -> AttentionWorldModel {
        try AttentionWorldModel(scores: try Matrix([[1.0 / 3, -Double.pi / 7], [exp(-10), 0.1 + 0.2]]),
                                keys: try Matrix([[Double(2).squareRoot(), 1e-300], [-1.0 / 7, Double.leastNonzeroMagnitude], [123_456.789, -0.0]]),
                                beta: 1.5 + 1e-15, leak: 0.7, learnBeta: true, learnLeak: false)
    }

    @Test func saveThenLoadIsBitIdentical() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Self.model()
        let path = dir.appendingPathComponent("model.json").path
        try JSONEncoder().encode(model).write(to: URL(fileURLWithPath: path))
        let loaded = try AttentionWorldModel(contentsOfFile: path)
        #expect(loaded.parameters.map(\.bitPattern) == model.parameters.map(\.bitPattern))
        #expect(loaded.scores.rowArrays.flatMap { $0 }.map(\.bitPattern) == model.scores.rowArrays.flatMap { $0 }.map(\.bitPattern))
        #expect(loaded.keys.rowArrays.flatMap { $0 }.map(\.bitPattern) == model.keys.rowArrays.flatMap { $0 }.map(\.bitPattern))
        #expect(loaded.learnsBeta && !loaded.learnsLeak && loaded == model)
    }

    @Test func damagedFilesAreTypedErrors() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = String(decoding: try JSONEncoder().encode(try Self.model()), as: UTF8.self)
        let cases: [(String, String)] = [
            (String(good.prefix(good.count / 2)), "not valid JSON"),                                    // truncated mid-write
            ("not a model", "not valid JSON"),                                                         // not JSON
            (#"{"W": [[1, 0], [0]], "keys": [[1, 0]], "beta": 1, "leak": 1}"#, "rows of different lengths"),
            (#"{"W": [[1, 0], [0, 1]], "keys": [[1, 0]], "beta": -1, "leak": 1}"#, "beta"),  // β ≤ 0
            (#"{"W": [[1, 0], [0, 1]], "keys": [[1, 0]], "leak": 1}"#, "missing key \"beta\""),
            (#"{"W": [[1, 0], [0, 1]], "keys": [[1, 0]], "beta": "one", "leak": 1}"#, "wrong type at beta"),
        ]
        for (index, (text, reason)) in cases.enumerated() {
            let path = dir.appendingPathComponent("damaged-\(index).json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            #expect {
                try AttentionWorldModel(contentsOfFile: path)
            } throws: { error in
                guard case let .corrupt(p, detail) = error as? ModelFileError else { return false }
                return p == path && detail.contains(reason) && "\(error)".hasPrefix("corrupt model file \(path): ")
            }
        }
        let missing = dir.appendingPathComponent("missing.json").path
        #expect {
            try AttentionWorldModel(contentsOfFile: missing)
        } throws: { error in
            guard case let .unreadable(p, _) = error as? ModelFileError else { return false }
            return p == missing && "\(error)".hasPrefix("cannot read the model \(missing): ")
        }
    }
}
