import Foundation
import Testing

@Suite("paththermo figure-kalman")
struct FigureKalmanCommandTests {
    @Test func quickRunWritesFilesAndJSON() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["figure-kalman", "--quick", "--samples", "500", "--out", dir.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        let cases = try #require(j["cases"] as? [[String: Any]])
        #expect(cases.count == 3)
        let scalar = try #require(cases.first?["curve"] as? [Double])
        // Test vector S_y(5) of docs/theory/autoregressive.md §6 (10 decimals).
        #expect(abs(scalar[4] - 0.2544193152) < 1e-9)
        for name in ["figure-kalman.json", "figure-kalman-curve.csv", "figure-kalman-monte-carlo.csv",
                     "plot_figure_kalman.py", "figure-kalman.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "missing \(name)")
        }
    }

    @Test func badInputIsOneLine() throws {
        let r = try runCLI(["figure-kalman", "--quick", "--samples", "1", "--out", "/tmp/unused-figure-kalman", "--no-plot"])
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("samples"), "stderr: \(r.stderr)")
    }
}
