import Foundation
import Testing

/// `simulate --first-rollout k` (issue 19, item 2): shards whose `.npy` files, concatenated along the rollout axis in
/// order, are the file of the whole run, bit for bit; the JSON names the shard.
@Suite("paththermo simulate --first-rollout")
struct SimulateShardCommandTests {
    static let run = ["simulate", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "[[0.5,0.1],[0.1,0.3]]", "--dt", "0.01",
                      "--steps", "50", "--burn-in", "10", "--seed", "19"]

    @Test func shardsConcatenateToTheWholeFile() throws {
        let dir = try temporaryDirectory()
        let whole = dir.appendingPathComponent("whole.npy").path
        #expect(try runCLI(Self.run + ["--rollouts", "9", "--out", whole]).status == 0)
        var joined: [Double] = []
        for (first, count) in [(0, 4), (4, 1), (5, 4)] {
            let path = dir.appendingPathComponent("shard\(first).npy").path
            let r = try runCLI(Self.run + ["--rollouts", "\(count)", "--first-rollout", "\(first)", "--threads", "1",
                                           "--chunk", "2", "--out", path, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.json?["first_rollout"] as? Double == (first == 0 ? nil : Double(first)))
            let (shape, values) = try PathSpaceCommandTests.readNPY(URL(fileURLWithPath: path))
            #expect(shape == [count, 50, 2])
            joined += values
        }
        let (shape, values) = try PathSpaceCommandTests.readNPY(URL(fileURLWithPath: whole))
        #expect(shape == [9, 50, 2])
        #expect(joined == values)
    }

    @Test func negativeFirstRolloutIsOneLine() throws {
        let r = try runCLI(Self.run + ["--rollouts", "2", "--first-rollout=-1"])
        #expect(r.status != 0 && r.stderr.contains("--first-rollout"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
