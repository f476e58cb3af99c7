import Foundation

/// Where a result came from: the program's version and git commit, the command line that ran, and, where
/// the command has them, its seed, its time step Δt and the units of its numbers. ``ResultJSON`` writes it
/// as a top-level `"provenance"` object (snake_case keys) into every JSON result — `--json` on stdout and
/// every JSON file — so a file can be traced to the build and the command that wrote it:
///
///     "provenance" : {
///       "command_line" : "paththermo simulate --drift '[[-1,0.5],[-0.5,-1]]' --diffusion 1 …",
///       "commit" : "fcc3377",
///       "dt" : 0.01,
///       "seed" : 7,
///       "units" : "time in the units of dt",
///       "version" : "0.1.0"
///     }
///
/// `command_line` is the argument vector joined with spaces, each argument quoted for a POSIX shell where
/// it needs it (``shellQuoted(_:)``), so `shlex.split` in Python gives back the exact argv. Keys that a
/// command does not have (a seed, Δt, units) are left out. The object is metadata only: the other keys and
/// numbers of a result are the same with or without it.
public struct Provenance: Codable, Sendable, Equatable {
    /// The program's version, e.g. `0.1.0`.
    public var version: String
    /// The git commit the program was built from (short hash), or `unknown` (a build outside a git checkout).
    public var commit: String
    /// The command line, one string, every argument shell-quoted where needed.
    public var commandLine: String
    /// The base seed of the run's random numbers.
    public var seed: UInt64?
    /// The time step Δt of the run's dynamics or trajectories.
    public var dt: Double?
    /// The units of the result's numbers, in words (e.g. `entropy in nats, rates per unit time`).
    public var units: String?
    /// The BLAS kernel family the run used (OpenBLAS's core name, e.g. `SkylakeX`): it sets the last bits of every
    /// BLAS result.
    public var blasCore: String?

    enum CodingKeys: String, CodingKey {
        case version, commit, commandLine = "command_line", seed, dt, units, blasCore = "blas_core"
    }

    /// - Parameter arguments: the argument vector, program name first (`CommandLine.arguments`).
    public init(version: String, commit: String, arguments: [String], seed: UInt64? = nil, dt: Double? = nil,
                units: String? = nil, blasCore: String? = nil) {
        self.version = version
        self.blasCore = blasCore
        self.commit = commit
        self.commandLine = arguments.map(Self.shellQuoted).joined(separator: " ")
        self.seed = seed
        self.dt = dt
        self.units = units
    }

    /// `argument` as a POSIX shell word: unchanged when it has only characters a shell leaves alone
    /// (letters, digits, `-_./=:,+@%`), else in single quotes with each `'` written `'\''`; `''` for the
    /// empty string.
    public static func shellQuoted(_ argument: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !argument.isEmpty, argument.allSatisfy(plain.contains) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

extension Provenance {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var stored: Provenance?

    /// The provenance of this process's results: set once by a program at start-up (the `paththermo` CLI
    /// sets it after parsing its arguments), read by every ``ResultJSON`` that is not given one explicitly.
    /// `nil` (the default, e.g. in a library user's program): results carry no `"provenance"` key.
    public static var current: Provenance? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
