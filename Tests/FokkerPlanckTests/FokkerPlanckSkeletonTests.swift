import FokkerPlanck
import XCTest

// SKELETON (issue 15): the fp-core helper replaces this file with the solver's tests.
final class FokkerPlanckSkeletonTests: XCTestCase {
    func testErrorDescription() {
        XCTAssertEqual(FokkerPlanckError.invalidArgument("x").description, "x")
    }
}
