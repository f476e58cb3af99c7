import Testing
@testable import PathSpace

@Suite struct DiscretePathTests {
    @Test func reversalAndShape() throws {
        let path = try DiscretePath(points: [0, 1, 2, 3, 4, 5], dimension: 2, timeStep: 0.5)
        #expect(path.steps == 2)
        #expect(path.horizon == 1)
        #expect(path.reversed.points == [4, 5, 2, 3, 0, 1])
        #expect(path.matrix[2, 1] == 5)
    }

    @Test func badInputIsRefused() {
        #expect(throws: PathSpaceError.self) { try DiscretePath(points: [0, 1, 2], dimension: 2, timeStep: 0.1) }
        #expect(throws: PathSpaceError.self) { try DiscretePath(points: [0, 1], dimension: 2, timeStep: 0.1) }
        #expect(throws: PathSpaceError.self) { try DiscretePath(points: [0, 1, 2, 3], dimension: 2, timeStep: 0) }
        #expect(throws: PathSpaceError.self) { try DiscretePath(points: [0, .nan, 2, 3], dimension: 2, timeStep: 0.1) }
    }
}
