import Foundation
import Testing

@Suite("paththermo figure-spin")
struct FigureSpinCommandTests {
    @Test func badInputIsOneLine() throws {
        for (args, word) in [(["--dimensions", "2"], "dimension"), (["--replicates", "1"], "replicates"),
                             (["--chains", "0"], "chains"), (["--sites", "-3"], "sites")] {
            let r = try runCLI(["figure-spin", "--quick", "--no-plot", "--no-demo", "--out", "/tmp/unused-figure-spin"] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(word), "\(args): \(r.stderr)")
        }
    }
}
