import Testing
@testable import Stochastics

/// Every limit of the addressing scheme is a typed error, never a trap.
@Suite("Typed errors at the limits")
struct ErrorTests {
    @Test func dimensionLimits() throws {
        let limit = CounterRandom.maxDimension
        #expect(limit == 1 << 17)
        #expect(throws: StochasticsError.dimensionTooLarge(dimension: limit + 1, limit: limit)) {
            try CounterRandom.normals(seed: 0, stream: 0, step: 0, dimension: limit + 1)
        }
        #expect(throws: StochasticsError.dimensionTooLarge(dimension: limit + 1, limit: limit)) {
            try CounterRandom.normals(seed: 0, streams: 0..<2, step: 0, dimension: limit + 1)
        }
        #expect(throws: StochasticsError.negativeDimension(-1)) {
            try CounterRandom.normals(seed: 0, stream: 0, step: 0, dimension: -1)
        }
        var big = [Double](repeating: 0, count: limit + 1)
        #expect(throws: StochasticsError.dimensionTooLarge(dimension: limit + 1, limit: limit)) {
            try big.withUnsafeMutableBufferPointer { try CounterRandom.fillUniforms(seed: 0, stream: 0, step: 0, into: $0) }
        }
        // The limit itself is allowed and its last component uses the last block.
        let z = try CounterRandom.normals(seed: 0, stream: 0, step: 0, dimension: limit)
        #expect(z.count == limit && z.allSatisfy(\.isFinite))
    }

    @Test func stepLimit() throws {
        let max = CounterAddress.maxStep
        #expect(max == (1 << 48) - 1)
        _ = try CounterRandom.normals(seed: 0, stream: 0, step: max, dimension: 2)
        #expect(throws: StochasticsError.stepTooLarge(step: max + 1, limit: max)) {
            try CounterRandom.normals(seed: 0, stream: 0, step: max + 1, dimension: 2)
        }
        #expect(throws: StochasticsError.stepTooLarge(step: .max, limit: max)) {
            try CounterRandom.normals(seed: 0, streams: 0..<4, step: .max, dimension: 2)
        }
    }

    @Test func batchBufferSize() {
        var out = [Double](repeating: 0, count: 11)
        #expect(throws: StochasticsError.bufferSizeMismatch(required: 12, available: 11)) {
            try out.withUnsafeMutableBufferPointer {
                try CounterRandom.fillNormals(seed: 0, streams: 0..<4, step: 0, dimension: 3, into: $0)
            }
        }
        #expect(throws: StochasticsError.bufferSizeMismatch(required: nil, available: 11)) {
            try out.withUnsafeMutableBufferPointer {
                try CounterRandom.fillNormals(seed: 0, streams: 0..<UInt64.max, step: 0, dimension: 3, into: $0)
            }
        }
    }
}
