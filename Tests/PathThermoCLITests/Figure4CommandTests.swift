import Foundation
import Testing

@Suite("paththermo figure4")
struct Figure4CommandTests {
    @Test func quickRunWritesFilesAndJSON() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["figure4", "--quick", "--out", dir.path, "--no-plot", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["complete"] as? Bool == true)
        // P5 at D = 0.01 vs 0.005 (within 10 % of 2, the criterion) and the W → W_S area collapse (> 10×).
        let ratio = try #require((j["instantons"] as? [String: Any])?["deviation_ratio"] as? Double)
        #expect(abs(ratio - 2) < 0.2)
        let area = try #require((j["plans"] as? [String: Any])?["area_ratio"] as? Double)
        #expect(area > 10)
        for name in ["figure4.json", "figure4-instantons.csv", "figure4-scaling.csv", "figure4-plans.csv",
                     "figure4-covariance.csv", "figure4-variance-curve.csv", "figure4-energy.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "missing \(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("figure4.png").path))
    }

    @Test(arguments: [(["--rollouts", "1"], "rollouts"), (["--threads", "-2"], "threads")])
    func badInputIsOneLine(_ extra: [String], _ mentions: String) throws {
        let r = try runCLI(["figure4", "--quick", "--out", "/tmp/paththermo-never-written-figure4", "--no-plot"] + extra)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/paththermo-never-written-figure4"))
    }
}
