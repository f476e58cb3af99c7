import Testing
@testable import WorldModel

@Suite("Training configuration count limits")
struct TrainingCountLimitTests {
    @Test func countsAboveTwoToTheFortyAreRefused() throws {
        try TrainingConfiguration().validate()
        for (path, name) in [(\TrainingConfiguration.batchSize, "batch size"), (\.steps, "training steps"),
                             (\.stationaryRollouts, "stationary rollouts")] {
            for value in [Int.max, (1 << 40) + 1, 0] {
                var c = TrainingConfiguration()
                c[keyPath: path] = value
                let requirement = value < 1 ? "≥ 1" : "≤ 1099511627776"
                #expect(throws: WorldModelError.invalidCount(name: name, value: value, requirement: requirement)) {
                    try c.validate()
                }
            }
        }
    }
}
