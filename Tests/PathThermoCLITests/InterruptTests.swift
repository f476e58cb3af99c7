import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A run of the binary stopped by a signal after `delay` seconds (or finished before).
private struct InterruptedRun {
    let status: Int32
    /// Ended by a signal (SIGKILL, or SIGINT before the handlers were installed) rather than by exiting.
    let killed: Bool
    let stderr: String
}

/// Starts `paththermo arguments`, sends `signal` after `delay` seconds unless it has finished, and waits for it
/// (at most 30 s more, then SIGKILL and a recorded issue: a hang is a failure too).
private func runAndSignal(_ arguments: [String], signal: Int32, after delay: Double) throws -> InterruptedRun {
    let process = Process()
    process.executableURL = paththermoBinary()
    process.environment = cliEnvironment()
    process.arguments = arguments
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("paththermo-stderr-\(UUID().uuidString)")
    guard FileManager.default.createFile(atPath: errorFile.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errorHandle = try FileHandle(forWritingTo: errorFile)
    defer { try? errorHandle.close() }
    process.standardError = errorHandle
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let start = Date()
    while process.isRunning, Date().timeIntervalSince(start) < delay { usleep(2_000) }
    if process.isRunning { kill(process.processIdentifier, signal) }
    let deadline = Date().addingTimeInterval(30)
    while process.isRunning, Date() < deadline { usleep(5_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        Issue.record("\(arguments.first ?? "") still running 30 s after signal \(signal)")
    }
    process.waitUntilExit()
    let stderr = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    return InterruptedRun(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal, stderr: stderr)
}

/// Every regular file below `directory` (relative paths, sorted), hidden ones included.
private func files(in directory: URL) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: directory.path) else { return [] }
    return e.compactMap { $0 as? String }.filter {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }.sorted()
}

/// A temporary of an unfinished output: `.<name>.<random>.tmp`.
private func isTemporary(_ relativePath: String) -> Bool {
    let name = (relativePath as NSString).lastPathComponent
    return name.hasPrefix(".") && name.hasSuffix(".tmp")
}

/// Checks of one file at a final path; returns a problem or nil.
private enum FinalFile {
    /// JSON that parses; CSV whose every line ends in a newline and has the header's number of cells; PNG with
    /// its signature and IEND trailer. (Files whose content does not depend on the run, such as the plot script,
    /// are compared with the reference run's instead.)
    static func problem(_ url: URL) -> String? {
        guard let data = try? Data(contentsOf: url) else { return "unreadable" }
        switch url.pathExtension {
        case "json":
            return (try? JSONSerialization.jsonObject(with: data)) == nil ? "JSON does not parse" : nil
        case "csv":
            let text = String(decoding: data, as: UTF8.self)
            guard text.hasSuffix("\n") else { return "CSV does not end with a complete line" }
            let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
            guard let header = lines.first else { return "empty CSV" }
            let cells = header.split(separator: ",", omittingEmptySubsequences: false).count
            if let bad = lines.firstIndex(where: { $0.split(separator: ",", omittingEmptySubsequences: false).count != cells }) {
                return "CSV line \(bad + 1) has not \(cells) cells"
            }
            return nil
        case "png":
            let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            let trailer: [UInt8] = [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]  // IEND + CRC
            return [UInt8](data.prefix(8)) == signature && [UInt8](data.suffix(8)) == trailer ? nil : "truncated PNG"
        default:
            return nil
        }
    }

    /// Shape and values of a little-endian float64 C-order .npy (the files `simulate --out` writes).
    static func npy(_ data: Data) -> (shape: [Int], values: [Double])? {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes.prefix(6) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], bytes[6] == 1 else { return nil }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + headerLength else { return nil }
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f8'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else { return nil }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        guard bytes.count == 10 + headerLength + 8 * count else { return nil }
        let values = bytes[(10 + headerLength)...].withUnsafeBytes { raw in
            (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        }
        return (shape, values)
    }
}

/// SIGINT and SIGKILL at seeded random instants of long-running commands (issue 12, "Atomic outputs"): after
/// each, every file at a final path is absent or complete and valid, never truncated or zero-padded; after
/// SIGINT the command exits 130 with one line and leaves no temporary, and a checkpoint's files belong together.
///
/// Each command first runs to completion (its wall time T₀ sets the scale and its files are the reference);
/// the kills then come at T₀·u, u uniform in [0.05, 1) from SplitMix64 (seeded), no earlier than 0.15 s.
@Suite("Interrupted runs leave nothing or complete files")
struct InterruptTests {
    static let delaysPerSignal = 5

    /// Runs `arguments` (with `outputArguments(dir)` appended) once to completion and then killed with SIGINT and
    /// SIGKILL at `delaysPerSignal` instants each. `prepare(dir)` may put a previous file in the fresh directory;
    /// `sameCheckpoint(dir)` checks that the files of one checkpoint belong together (on the reference and after
    /// every SIGINT); `check(dir, reference)` validates each outcome beyond the per-file checks.
    func interruptAtRandomInstants(_ arguments: [String], outputArguments: (URL) -> [String], seed: UInt64,
                                   prepare: (URL, Int) throws -> Void = { _, _ in },
                                   sameCheckpoint: (URL) throws -> Void = { _ in },
                                   check: (URL, URL) throws -> Void = { _, _ in }) throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let reference = root.appendingPathComponent("reference")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        let start = Date()
        let full = try runCLI(arguments + outputArguments(reference))
        let duration = Date().timeIntervalSince(start)
        try #require(full.status == 0, "\(full.stderr)")
        #expect(!files(in: reference).contains(where: isTemporary))
        for name in files(in: reference) { #expect(FinalFile.problem(reference.appendingPathComponent(name)) == nil, "\(name)") }
        try sameCheckpoint(reference)

        var rng = SplitMix64(seed: seed)
        var index = 0
        var stopped: [Int32: Int] = [:]  // runs the signal actually ended, by signal
        /// One run of `arguments` stopped by `signal` after `delay` seconds, and every check of its outcome.
        func attempt(_ signal: Int32, after delay: Double) throws {
            let dir = root.appendingPathComponent("run-\(index)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try prepare(dir, index)
            index += 1
            let before = files(in: dir)
            let run = try runAndSignal(arguments + outputArguments(dir), signal: signal, after: delay)
            let label = "\(arguments.first ?? "") signal \(signal) after \(String(format: "%.3f", delay)) s of \(String(format: "%.3f", duration))"
            let names = files(in: dir)
            if run.killed || run.status != 0 { stopped[signal, default: 0] += 1 }
            if signal == SIGINT {
                if run.killed {
                    // Only possible before main() installed the handlers: nothing written yet.
                    #expect(names == before, "\(label): \(names)")
                } else {
                    #expect(run.status == 0 || run.status == 130, "\(label): status \(run.status), \(run.stderr)")
                    if run.status == 130 {
                        #expect(run.stderr.split(separator: "\n").last == "paththermo: error: interrupted (SIGINT)", "\(label): \(run.stderr)")
                    }
                }
                #expect(!names.contains(where: isTemporary), "\(label): temporaries left: \(names)")
                try sameCheckpoint(dir)
            } else {
                #expect(run.killed || run.status == 0, "\(label): status \(run.status), \(run.stderr)")
            }
            for name in names where !isTemporary(name) {
                let url = dir.appendingPathComponent(name)
                #expect(FinalFile.problem(url) == nil, "\(label): \(name)")
                if name.hasSuffix(".py") {
                    #expect(FileManager.default.contents(atPath: url.path) == FileManager.default.contents(
                        atPath: reference.appendingPathComponent(name).path), "\(label): \(name)")
                }
            }
            try check(dir, reference)
        }
        for signal in [SIGINT, SIGKILL] {
            for _ in 0..<Self.delaysPerSignal {
                try attempt(signal, after: max(0.15, duration * (0.05 + 0.95 * rng.nextDouble())))
            }
            // T₀ is measured once: if the reference run was slowed by a busy machine, every seeded instant may
            // fall after the later, faster runs have finished. Then try early instants until one run is stopped.
            var extra = 0
            while stopped[signal, default: 0] == 0 && extra < 3 {
                try attempt(signal, after: max(0.15, duration * 0.05 / Double(1 << extra)))
                extra += 1
            }
        }
        // Not vacuous: the signals did end runs in the middle (the delays lie below T₀).
        #expect(stopped[SIGINT, default: 0] > 0 && stopped[SIGKILL, default: 0] > 0, "\(stopped)")
    }

    /// Rows of the CSV at `csv` and elements of `key` in the JSON at `json`, when both exist.
    private func rowsAndElements(csv: URL, json: URL, key: String) throws -> (Int, Int)? {
        guard let data = FileManager.default.contents(atPath: json.path) else { return nil }
        let list = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?[key] as? [Any])
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").count - 1
        return (rows, list.count)
    }

    /// `simulate --out x.npy`: x.npy is absent, the previous file (a small .npy put there first, in every other
    /// run), or byte for byte the complete file of the uninterrupted run, whose every rollout is nonzero.
    @Test func simulateOut() throws {
        #if DEBUG
        let thin = "10"
        #else
        let thin = "400"  // ≈ 0.5 s on the 2-core VM: the signal instants (≥ 0.15 s) must fall inside some runs
        #endif
        let previous = try #require(Data(base64Encoded:
            "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDEsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABA"))
        #expect(FinalFile.npy(previous)?.values == [1, 2])
        var complete: Data?
        try interruptAtRandomInstants(
            ["simulate", "--drift", "linear", "--matrix", "[[-1,2],[-2,-1]]", "--diffusion", "1", "--dt", "0.01",
             "--rollouts", "512", "--steps", "1000", "--thin", thin, "--seed", "5"],
            outputArguments: { ["--out", $0.appendingPathComponent("x.npy").path] }, seed: 12,
            prepare: { dir, index in if index % 2 == 1 { try previous.write(to: dir.appendingPathComponent("x.npy")) } },
            check: { dir, reference in
                if complete == nil {
                    let data = try Data(contentsOf: reference.appendingPathComponent("x.npy"))
                    let array = try #require(FinalFile.npy(data))
                    #expect(array.shape == [512, 1000, 2])
                    let zeroRollouts = (0..<512).filter { r in !array.values[(r * 2000)..<((r + 1) * 2000)].contains { $0 != 0 } }
                    #expect(zeroRollouts.isEmpty)
                    complete = data
                }
                guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent("x.npy").path) else { return }
                #expect(data == complete || data == previous, "x.npy is neither the complete file nor the previous one")
            })
    }

    /// `figure2` (a small configuration that still writes its checkpoint set after every ω; the PNG has its own
    /// test below, matplotlib being too slow to start for eleven runs): every file complete; after SIGINT the
    /// summary has one row per point of the JSON.
    @Test func figure2Checkpoints() throws {
        #if DEBUG
        let (epSteps, omegas) = ("1000", ["0", "2"])  // debug builds are ~10× slower
        #else
        let (epSteps, omegas) = ("4000", ["0", "1", "2"])
        #endif
        try interruptAtRandomInstants(
            ["figure2", "--quick", "--omegas"] + omegas + ["--steps", "20", "--rollouts", "4", "--ep-rollouts", "8",
             "--ep-steps", epSteps, "--no-pathwise", "--no-checkpoint-ep", "--threads", "2", "--no-plot"],
            outputArguments: { ["--out", $0.path] }, seed: 22,
            sameCheckpoint: { dir in
                guard let (rows, points) = try rowsAndElements(csv: dir.appendingPathComponent("figure2-summary.csv"),
                                                               json: dir.appendingPathComponent("figure2.json"), key: "points")
                else { return }
                #expect(rows == points, "figure2-summary.csv and figure2.json come from different checkpoints")
            })
    }

    /// `text-sample-ep` on the tiny GPT-2 fixture, rewritten after every batch of 4 texts: every file complete;
    /// after SIGINT the per-text CSV has one row per text of the JSON.
    @Test func textSampleEPBatches() throws {
        let model = fixturesDirectory.appendingPathComponent("gpt2/tiny-gpt2.gguf").path
        #if DEBUG
        let samples = "24"
        #else
        let samples = "96"
        #endif
        try interruptAtRandomInstants(
            ["text-sample-ep", "--model", model, "--samples", samples, "--length", "16", "--batch-size", "4", "--seed", "7", "--no-plot"],
            outputArguments: { ["--output", $0.appendingPathComponent("out").path] }, seed: 32,
            sameCheckpoint: { dir in
                let out = dir.appendingPathComponent("out")
                guard let (rows, texts) = try rowsAndElements(csv: out.appendingPathComponent("text-sample-ep-texts.csv"),
                                                              json: out.appendingPathComponent("text-sample-ep.json"), key: "texts")
                else { return }
                #expect(rows == texts, "text-sample-ep-texts.csv and the JSON come from different batches")
            })
    }

    /// SIGINT while matplotlib draws figure2.png (the instant the PNG's temporary exists, python3 has been started
    /// for it): exit 130, no PNG and no temporary, and none appears later (python3 was stopped, not orphaned to
    /// finish its file); the data files are complete.
    @Test(.enabled(if: Python.matplotlibAvailable, "python3 with matplotlib is absent"))
    func sigintDuringThePlot() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = paththermoBinary()
        process.environment = cliEnvironment()
        process.arguments = ["figure2", "--quick", "--omegas", "0", "--steps", "10", "--rollouts", "4", "--ep-rollouts", "8",
                             "--ep-steps", "1000", "--no-pathwise", "--no-checkpoint-ep", "--out", dir.path]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var sawTemporary = false
        while process.isRunning {
            if files(in: dir).contains(where: { $0.hasPrefix(".figure2.png.") && isTemporary($0) }) {
                sawTemporary = true
                kill(process.processIdentifier, SIGINT)
                break
            }
            usleep(1_000)
        }
        process.waitUntilExit()
        try #require(sawTemporary, "the run ended before its PNG temporary was seen")
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        sleep(2)  // a python3 left running would now create or rename its file
        let names = files(in: dir)
        #expect(!names.contains(where: isTemporary) && !names.contains("figure2.png"), "\(names)")
        for name in names { #expect(FinalFile.problem(dir.appendingPathComponent(name)) == nil, "\(name)") }
        #expect(names.contains("figure2.json"))
    }

    /// SIGTERM: exit 143 with one line, no temporary, no file at --out.
    @Test func sigtermRemovesTheTemporary() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try runAndSignal(["simulate", "--drift", "linear", "--matrix", "[[-1,2],[-2,-1]]", "--diffusion", "1",
                                    "--dt", "0.01", "--rollouts", "512", "--steps", "1000", "--thin", "1000", "--seed", "5",
                                    "--out", dir.appendingPathComponent("x.npy").path], signal: SIGTERM, after: 0.5)
        #expect(!run.killed && run.status == 143, "\(run.status) \(run.stderr)")
        #expect(run.stderr == "paththermo: error: interrupted (SIGTERM)\n")
        #expect(files(in: dir).isEmpty)
    }

    /// A file-size limit (`ulimit -f`, the stand-in for a full disk): the pre-allocation fails, one line names
    /// the file and the reason, exit status non-zero without a signal, nothing left in the directory.
    @Test func fileSizeLimitIsAOneLineError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npy").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 64; exec \"$0\" \"$@\"", paththermoBinary().path, "simulate", "--drift", "linear",
                             "--matrix", "[[-1,2],[-2,-1]]", "--diffusion", "1", "--dt", "0.01", "--rollouts", "64",
                             "--steps", "1000", "--seed", "5", "--out", out]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus != 0)
        #expect(stderr.contains("cannot write \(out): File too large"), "\(stderr)")
        #expect(stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(stderr)")
        #expect(files(in: dir).isEmpty)
    }
}

/// `python3` with matplotlib, when this machine has it.
private enum Python {
    static let matplotlibAvailable: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import matplotlib"]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()
}
