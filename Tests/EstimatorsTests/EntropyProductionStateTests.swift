import ArrayIO
import Foundation
import Testing
@testable import Estimators

/// The saved partial state of an estimate (issue 19): states of consecutive rollout ranges merge to the one-pass
/// report bitwise; the file round-trips; another format version, another software, other settings, a damaged or
/// altered file are refused with a message naming the file.
@Suite struct EntropyProductionStateTests {
    static let data = PartialAccumulationTests.data

    static func request() -> EntropyProductionRequest {
        var r = EntropyProductionRequest(timeStep: PartialAccumulationTests.dt)
        r.bins = 12
        return r
    }

    static func json(_ report: EntropyProductionReport) throws -> String {
        let text = try ResultJSON(report.json(single: false), provenance: nil).text
        return text.split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n")
    }

    static func state(_ rollouts: Range<Int>, software: String = "test") throws -> EntropyProductionState {
        try data.entropyProductionState(request(), rollouts: rollouts, software: software)
    }

    /// Bytes → state → bytes.
    static func roundTrip(_ s: EntropyProductionState, _ name: String) throws -> EntropyProductionState {
        try EntropyProductionState(decoding: try s.encoded(), name: name)
    }

    @Test func partsMergeToTheOnePassReport() throws {
        let expected = try Self.json(try Self.data.estimateEntropyProduction(Self.request()))
        let n = Self.data.rollouts
        for cuts in [[0, n], [0, 11, n], [0, 1, 2, 17, n], [0, 3, 3, n]] {
            let parts = try (0..<(cuts.count - 1)).map { try Self.roundTrip(try Self.state(cuts[$0]..<cuts[$0 + 1]), "p\($0)") }
            let merged = try EntropyProductionState.merge(parts.reversed(), names: parts.indices.reversed().map { "p\($0)" })
            #expect(merged.isComplete)
            #expect(try Self.json(try merged.report()) == expected, "\(cuts)")
            // The merged state saves and merges like any other.
            #expect(try Self.json(try Self.roundTrip(merged, "m").report()) == expected)
        }
    }

    @Test func anIncompleteStateDoesNotReport() throws {
        let part = try Self.state(0..<5)
        #expect(!part.isComplete)
        #expect(throws: EntropyProductionFailure.self) { try part.report() }
    }

    @Test func anotherSoftwareOrOtherSettingsAreRefused() throws {
        let a = try Self.state(0..<10), b = try Self.state(10..<Self.data.rollouts, software: "paththermo 9")
        #expect(throws: EstimatorError.invalidState("b was made by paththermo 9, a by test")) {
            try EntropyProductionState.merge([a, b], names: ["a", "b"])
        }
        var other = Self.request()
        other.basisOrder = 2
        let c = try Self.data.entropyProductionState(other, rollouts: 10..<Self.data.rollouts, software: "test")
        #expect(throws: EstimatorError.invalidState("c and a were made with different settings (basis_order)")) {
            try EntropyProductionState.merge([a, c], names: ["a", "c"])
        }
    }

    @Test func anotherFormatVersionOrADamagedFileIsRefused() throws {
        let bytes = try Self.state(0..<10).encoded()
        // Another version, with a valid checksum: refused by its number.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"version\":2"))
        var altered = Array(bytes.dropLast(8))
        let header = Array("\"version\":2".utf8), replacement = Array("\"version\":7".utf8)
        let at = try #require((0...(altered.count - header.count)).first { Array(altered[$0..<($0 + header.count)]) == header })
        altered.replaceSubrange(at..<(at + header.count), with: replacement)
        var w = StateBytesWriter()
        w.int(Int(Int64(bitPattern: EntropyProductionState.checksum(altered[...]))))
        #expect(throws: EstimatorError.invalidState("v7: state format version 7; this paththermo reads version 2")) {
            try EntropyProductionState(decoding: altered + w.bytes, name: "v7")
        }
        // One flipped bit anywhere, or a cut: the checksum.
        for position in [9, bytes.count / 2, bytes.count - 9] {
            var flipped = bytes
            flipped[position] ^= 0x10
            #expect(throws: EstimatorError.invalidState("f: damaged state file (checksum mismatch: truncated or altered)")) {
                try EntropyProductionState(decoding: flipped, name: "f")
            }
        }
        #expect(throws: EstimatorError.self) { try EntropyProductionState(decoding: Array(bytes.prefix(20)), name: "cut") }
    }

    @Test func alteredNodesWithAValidChecksumCannotIndexOutOfBounds() throws {
        // Garbage node bytes under a correct header and checksum: refused by the node decoder, never a trap.
        var s = try Self.state(0..<10)
        for k in s.methods.indices where s.methods[k].skipped == nil {
            var nodes = s.methods[k].nodes
            for i in stride(from: 0, to: nodes.count, by: 97) { nodes[i] ^= 0xFF }
            s.methods[k].nodes = nodes
        }
        let b = try Self.state(10..<Self.data.rollouts)
        let decoded = try Self.roundTrip(s, "s")
        #expect(throws: EstimatorError.self) {
            try EntropyProductionState.merge([decoded, b], names: ["s", "b"]).report()
        }
    }
}
