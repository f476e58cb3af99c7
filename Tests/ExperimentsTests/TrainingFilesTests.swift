import ArrayIO
import Foundation
import LinearAlgebra
import Testing
@testable import WorldModel
@testable import Experiments

/// ``TrainingFiles``: what `paththermo train` writes, saved and read back.
@Suite("Training files")
struct TrainingFilesTests {
    static func files() throws -> TrainingFiles {
        let model = try AttentionWorldModel(scores: try Matrix([[1.0 / 3, -Double.pi / 7], [exp(-10), 0.1 + 0.2]]),
                                            keys: try Matrix([[Double(2).squareRoot(), 1e-300], [-1.0 / 7, 0.5]]), beta: 1.25, leak: 0.7)
        var record = TrainingRecord(configuration: TrainingConfiguration())
        record.steps = [TrainingStepRecord(step: 0, loss: 1.0 / 3, asymmetry: 0.25), TrainingStepRecord(step: 1, loss: .nan, asymmetry: 0.5)]
        let indices = NonNormalityReading(index: 0.5, meanRatio: 0.75, meanJacobian: 0.0625, henrici: 0.25, henriciRelative: 0.125,
                                          commutator: 1.0 / 3, samples: 10)
        let reading = EntropyReading(method: "grid", entropyProductionRate: 2.5, standardError: 0.1, floor: 0.125, debiased: 2.375,
                                     diffusion: 0.5, samplesUsed: 1_000)
        record.checkpoints = [
            TrainingCheckpoint(step: 0, asymmetry: 0.25, validationLoss: 0.5, entropy: nil, nonNormality: indices, seconds: 0),
            TrainingCheckpoint(step: 1, asymmetry: 0.5, validationLoss: 0.75, entropy: reading, nonNormality: indices, seconds: 1),
        ]
        return TrainingFiles(model: model, record: record, omega: 1, gamma: 0.5)
    }

    /// model.json loads back with bit-identical parameters; training.json holds ω, γ and the record; the CSVs have
    /// their documented columns, empty sigma cells where no EP was measured and "nan" for a non-finite loss.
    @Test func writeThenLoadRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("TrainingFilesTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Self.files()
        try files.write(to: dir.path)
        let loaded = try AttentionWorldModel(contentsOfFile: dir.appendingPathComponent(TrainingFiles.modelName).path)
        #expect(loaded.parameters.map(\.bitPattern) == files.model.parameters.map(\.bitPattern))
        #expect(loaded == files.model)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(TrainingFiles.recordName)))
        let object = try #require(json as? [String: Any])
        #expect(object["omega"] as? Double == 1 && object["gamma"] as? Double == 0.5)
        let record = try #require(object["record"] as? [String: Any])
        #expect((record["checkpoints"] as? [Any])?.count == 2 && (record["steps"] as? [Any])?.count == 2)

        let steps = try String(contentsOf: dir.appendingPathComponent(TrainingFiles.stepsCSVName), encoding: .utf8)
        #expect(steps == "step,loss,asymmetry\n0,0.33333333333333331,0.25\n1,nan,0.5\n")
        let checkpoints = try String(contentsOf: dir.appendingPathComponent(TrainingFiles.checkpointsCSVName), encoding: .utf8)
        #expect(checkpoints == """
            step,asymmetry,validation_loss,sigma_hat,sigma_stderr,sigma_floor,sigma_debiased,non_normality,non_normality_mean_ratio,non_normality_mean_jacobian,henrici_relative,commutator
            0,0.25,0.5,,,,,0.5,0.75,0.0625,0.125,0.33333333333333331
            1,0.5,0.75,2.5,0.10000000000000001,0.125,2.375,0.5,0.75,0.0625,0.125,0.33333333333333331

            """)
    }

    /// A directory that cannot be created (a file is in the way) is a typed error, and nothing is written.
    @Test func unwritableDirectoryIsATypedError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("TrainingFilesTests-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let target = file.appendingPathComponent("out").path
        #expect {
            try Self.files().write(to: target)
        } throws: { error in
            guard case let .outputFailed(path, _) = error as? ExperimentError else { return false }
            return path == target
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
