import Testing
@testable import LanguageModel

@Suite struct LanguageModelErrorTests {
    @Test func descriptionsAreOneLine() {
        let errors: [LanguageModelError] = [.malformedFile("bad magic"), .unsupported("type 99"), .missing("tensor x"), .invalidArgument("T < 1"), .nonFinite("log-probability nan at token 3")]
        for e in errors { #expect(!e.description.contains("\n")); #expect(!e.description.isEmpty) }
    }
}
