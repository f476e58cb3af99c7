import Testing
@testable import Estimators

/// Sizes checked before allocation (issue 12, item 3): the basis size from d and the order alone, the jackknife
/// block count, and the TUR feature count without overflow.
@Suite("Estimator size limits")
struct SizeLimitTests {
    @Test func basisSizeIsTheBinomialAndMatchesTheBuiltBasis() throws {
        for (d, order) in [(1, 1), (2, 1), (2, 3), (3, 2), (5, 4), (10, 2)] {
            let built = try MonomialBasis(dimension: d, order: order).count
            #expect(MonomialBasis.size(dimension: d, order: order, limit: Int.max) == built, "d = \(d), order \(order)")
        }
        #expect(MonomialBasis.size(dimension: 2, order: 3, limit: 100) == 10)       // C(5, 3)
        #expect(MonomialBasis.size(dimension: 30_000, order: 1, limit: Int.max) == 30_001)
        #expect(MonomialBasis.size(dimension: 30_000, order: 1, limit: 2_000) == nil)
        #expect(MonomialBasis.size(dimension: Int.max, order: 2, limit: Int.max) == nil)
        #expect(MonomialBasis.size(dimension: 2, order: Int.max, limit: 2_000) == nil)  // stops at the limit
    }

    @Test func wideDataIsRefusedBeforeTheBasisIsBuilt() {
        // d = 30 000 would build 30 001 exponent vectors of 30 000 Ints (7.2 GB) before the old check.
        #expect(throws: EstimatorError.invalidArgument("a degree-1 basis in d = 30000 has more than 2000 functions")) {
            try LinearBasisEstimator(dimension: 30_000, timeStep: 0.01)
        }
        #expect(throws: EstimatorError.self) { try ShortTimeTUREstimator(dimension: Int.max / 2, timeStep: 0.01) }
    }

    @Test func jackknifeBlocksAreBounded() throws {
        _ = try SampleLayout(pairsPerRollout: [100], blocks: SampleLayout.maximumBlocks)
        for blocks in [0, -1, SampleLayout.maximumBlocks + 1, Int.max] {
            #expect(throws: EstimatorError.self, "\(blocks)") { try SampleLayout(pairsPerRollout: [100], blocks: blocks) }
            #expect(throws: EstimatorError.self, "\(blocks)") { try SampleLayout(rollouts: 2, statesPerRollout: 10, blocks: blocks) }
        }
        #expect(throws: EstimatorError.self) { try SampleLayout(pairsPerRollout: [Int.max, 1], blocks: 2) }
    }
}
