import Testing
@testable import Autoregressive

@Suite struct AutoregressiveErrorTests {
    @Test func descriptionsAreOneLine() {
        let errors: [AutoregressiveError] = [.dimensionMismatch("A is 2 × 3"), .nonFinite("C"), .invalidArgument("T must be ≥ 1")]
        for e in errors { #expect(!e.description.contains("\n")); #expect(!e.description.isEmpty) }
    }
}
