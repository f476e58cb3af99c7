import Foundation
import LinearAlgebra
import Testing

/// End-to-end tests of the `paththermo` executable: run it as a user would and read stdout, stderr
/// and the exit status.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String
    /// `true` when the process ended by a signal (a trap) rather than by exiting.
    let crashed: Bool

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }
}

func paththermoBinary() -> URL {
    // The test bundle sits next to the products in the build directory.
    var dir = Bundle.main.bundleURL
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("paththermo")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL.appendingPathComponent("paththermo")
}

/// The environment of a `paththermo` run from the tests: this process's, with `OPENBLAS_CORETYPE` set to the kernel
/// family OpenBLAS chose here (so the executable computes with the same BLAS kernels as the library calls it is
/// compared with, and does not restart itself: `StartUp.restartWithBetterBLASKernels`), then `extra`.
func cliEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    if environment["OPENBLAS_CORETYPE"] == nil { environment["OPENBLAS_CORETYPE"] = BLAS.coreName }
    return environment.merging(extra) { $1 }
}

func runCLI(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> CLIRun {
    try runCLI(arguments, wholeEnvironment: cliEnvironment(environment), directory: directory)
}

/// `paththermo arguments` with exactly `wholeEnvironment` (nothing added: no `OPENBLAS_CORETYPE` unless it is there).
func runCLI(_ arguments: [String], wholeEnvironment: [String: String], directory: URL? = nil) throws -> CLIRun {
    let process = Process()
    process.executableURL = paththermoBinary()
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = wholeEnvironment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIRun(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                  stderr: String(decoding: e, as: UTF8.self), crashed: process.terminationReason == .uncaughtSignal)
}

/// Starts `paththermo arguments` (output discarded), waits until `file` exists (at most 60 s), then `microseconds` more,
/// and SIGKILLs the process if it is still running. Returns whether it died of the signal (false: it had finished).
func runCLIKilled(_ arguments: [String], once file: URL, after microseconds: UInt32) throws -> Bool {
    let process = Process()
    process.executableURL = paththermoBinary()
    process.arguments = arguments
    process.environment = cliEnvironment([:])
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: file.path) && process.isRunning && Date() < deadline { usleep(2_000) }
    usleep(microseconds)
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
}

func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paththermo-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("paththermo command line")
struct CLITests {
    @Test func ouJSONHasDocumentedKeysAndValues() throws {
        let r = try runCLI(["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.5", "--json"])
        #expect(r.status == 0)
        let j = try #require(r.json)
        for key in ["dimension", "stationary_covariance", "entropy_production_rate", "irreversible_drift",
                    "probability_current_matrix", "eigenvalues", "non_normality"] {
            #expect(j[key] != nil, "missing key \(key)")
        }
        #expect(j["dimension"] as? Int == 2)
        // B = −(I − 2 R90): σ = 2ω²/γ = 8.
        #expect(abs((j["entropy_production_rate"] as? Double ?? 0) - 8) < 1e-12)
        let nn = try #require(j["non_normality"] as? [String: Any])
        #expect(Set(nn.keys).isSuperset(of: ["antisymmetric_ratio", "henrici", "commutator"]))
        let ev = try #require(j["eigenvalues"] as? [[Double]])
        #expect(ev.count == 2 && ev.allSatisfy { $0.count == 2 && abs($0[0] + 1) < 1e-14 && abs(abs($0[1]) - 2) < 1e-14 })
    }

    @Test func ouReadsNpyAndJSONFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let drift = dir.appendingPathComponent("b.json")
        try Data("[[-2, 1], [1, -2]]".utf8).write(to: drift)
        let diff = dir.appendingPathComponent("d.json")
        try Data("[[0.7, 0], [0, 0.7]]".utf8).write(to: diff)
        let r = try runCLI(["ou", "--drift", drift.path, "--diffusion", diff.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((r.json?["entropy_production_rate"] as? Double).map { abs($0) < 1e-20 } == true)
    }

    @Test func lyapunovWritesNpyAndReportsResidual() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npy").path
        for discrete in [false, true] {
            let a = discrete ? "[[0.5,0.2,0],[0,0.3,0.1],[0.1,0,-0.4]]" : "[[-1,2,0],[-2,-1,0.5],[0,0,-3]]"
            let r = try runCLI(["lyapunov", "--a", a, "--q", "[[1,0,0],[0,2,0],[0,0,3]]", "--out", out, "--json"]
                               + (discrete ? ["--discrete"] : []))
            #expect(r.status == 0, "\(r.stderr)")
            let j = try #require(r.json)
            #expect((j["residual"] as? Double ?? 1) < 1e-14)
            #expect((j["seconds"] as? Double ?? -1) >= 0)
            #expect(FileManager.default.fileExists(atPath: out))
        }
    }

    /// Repeated runs are bit-for-bit identical; 1 and 2 OpenBLAS threads agree to round-off (OpenBLAS's
    /// own threading may change the last bits — measured ≤ 4e-15 relative — PathThermo's never does).
    @Test func lyapunovIsReproducibleAcrossRunsAndBLASThreadCounts() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 300
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        let a = (0..<n).map { i in (0..<n).map { j in uniform() / Double(n).squareRoot() - (i == j ? 1.5 : 0) } }
        let aPath = dir.appendingPathComponent("a.json")
        try JSONSerialization.data(withJSONObject: a).write(to: aPath)
        var outputs: [Data] = []
        for (k, threads) in ["2", "2", "1"].enumerated() {
            let out = dir.appendingPathComponent("x\(k).npy")
            let r = try runCLI(["lyapunov", "--a", aPath.path, "--q=-2", "--out", out.path],
                               environment: ["OPENBLAS_NUM_THREADS": threads])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try Data(contentsOf: out))
        }
        let identical = outputs[0] == outputs[1]  // compare as Bool: a failing Data diff would be slow
        #expect(identical)
        // .npy written Fortran-order <f8: compare the payload after the 128-byte header as Doubles.
        func doubles(_ d: Data) -> [Double] {
            d.dropFirst(128).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        }
        let (x2, x1) = (doubles(outputs[0]), doubles(outputs[2]))
        #expect(x2.count == n * n && x1.count == n * n)
        let scale = x2.map(abs).max() ?? 1
        let maxDiff = zip(x2, x1).map { abs($0 - $1) }.max() ?? .infinity
        #expect(maxDiff <= 1e-13 * scale)
    }

    @Test func asymmetryIndex() throws {
        let r = try runCLI(["asymmetry", "--matrix", "[[1,-3],[3,1]]", "--json"])
        #expect(r.status == 0)
        #expect(abs((r.json?["asymmetry_index"] as? Double ?? 0) - 3 / 10.0.squareRoot()) < 1e-15)
    }

    @Test func reproduceWritesJSONAndCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["reproduce", "--out", dir.path, "--json", "--exact-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(r.json?["rows"] as? [[String: Any]])
        #expect(rows.count == 8)
        for row in rows {
            let alpha = row["alpha"] as? Double ?? .nan
            #expect(abs((row["entropy_production_rate"] as? Double ?? .nan) - 2 * alpha * alpha) < 1e-11)
        }
        let csv = try String(contentsOf: dir.appendingPathComponent("exact-ep-alpha-sweep.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 9)
    }

    /// Every bad input: one readable line on stderr naming the problem, non-zero exit, no crash signal.
    @Test(arguments: [
        (["ou", "--drift", "[[1,2],[-2,1]]"], "not stable"),
        (["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "[[1,2],[2,1]]"], "positive definite"),
        (["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion=-1"], "positive"),
        (["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "[[1,0.5],[0,1]]"], "symmetric"),
        (["ou", "--drift", "[[-1,2,3],[-2,-1,0]]"], "square"),
        (["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "[[1,0,0],[0,1,0],[0,0,1]]"], "3×3"),
        (["ou", "--drift", "[[-1,NaN],[-2,-1]]"], "NaN"),
        (["ou", "--drift", "[[-1,2],[-2]]"], "--drift"),
        (["ou", "--drift", "/nonexistent/b.npy"], "/nonexistent/b.npy"),
        (["lyapunov", "--a", "[[1,0],[0,-1]]", "--q", "[[1,0],[0,1]]"], "no unique solution"),
        (["lyapunov", "--a", "[[1,0],[0,-1]]", "--q", "[[1,0,0],[0,1,0],[0,0,1]]"], "shape"),
        (["asymmetry", "--matrix", "[[1,2]]"], "square"),
        (["figure1", "--rollouts", "0", "--out", "/tmp/paththermo-never-written"], "rollouts"),
        (["figure1", "--alphas", "nan", "--out", "/tmp/paththermo-never-written"], "alphas"),
    ])
    func badInputGivesOneLineError(arguments: [String], mentions: String) throws {
        let r = try runCLI(arguments)
        #expect(!r.crashed)
        #expect(r.status != 0)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }

    @Test func corruptNpyFileIsAReadableError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.npy")
        try Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0xFF, 0x7F, 0x7B]).write(to: path)
        let r = try runCLI(["ou", "--drift", path.path])
        #expect(!r.crashed && r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("bad.npy"), "stderr: \(r.stderr)")
    }
}
