import Testing
@testable import Estimators

/// The grid's two ways to have no usable bin get two accurate messages.
@Suite("Grid: no usable bin")
struct GridErrorMessageTests {
    /// 200 states in (0.01, 0.11), inside the bin [0, 0.2) of a 10-bin grid on [−1, 1]: that bin has ≥ 10
    /// samples, its neighbours none, so the density gradient (central differences) exists nowhere.
    @Test func validBinsWithoutValidNeighboursAreNamedAsSuch() throws {
        var rng = SplitMixTestRNG(seed: 12)
        let states = (0..<200).map { _ in 0.01 + 0.1 * rng.uniform() }
        let data = try TrajectoryData(dimension: 1, rollouts: [states])
        let grid = try KramersMoyalGrid(bins: 10, bounds: [-1.0...1.0], timeStep: 0.01)
        #expect(throws: EstimatorError.noBinWithValidNeighbours(validBins: 1, minimumCount: 10)) {
            try grid.estimate(try data.accumulate(observer: grid))
        }
        let message = EstimatorError.noBinWithValidNeighbours(validBins: 1, minimumCount: 10).description
        #expect(message.contains("1 bins have ≥ 10 samples") && !message.contains("fullest"))
    }
}
