import ArgumentParser
import Foundation
import PathThermo

/// The trajectory-file options of the commands that read trajectories (`estimate`, `locality`): the file, Δt and the
/// CSV column choices (``TrajectoryFile/Options``: columns by name, a rollout-id column, a checked time column, the
/// time-like-coordinate refusal), checked and loaded with one-line errors.
struct TrajectoryInputOptions: ParsableArguments {
    @Option(help: "Trajectory file (.npy of shape (rollouts, steps, d) or (steps, d), or .csv).")
    var trajectories: String

    @Option(help: "Sampling interval Δt of the trajectories (> 0).")
    var dt: Double

    @Option(help: "CSV only: the coordinate columns by header name, in this order (comma-separated, e.g. x,y).")
    var columns: String?

    @Option(name: .customLong("rollout-column"), help: "CSV only: the column of rollout ids (default: one named rollout or rollout_id).")
    var rolloutColumn: String?

    @Option(name: .customLong("time-column"), help: "CSV only: a time column, checked against --dt (relative 1e-3) and dropped.")
    var timeColumn: String?

    @Flag(name: .customLong("allow-monotone"), help: "Keep a coordinate that is strictly monotone along every rollout (refused by default as a likely time or step counter).")
    var allowMonotone = false

    /// The coordinate columns of `--columns`.
    var columnNames: [String]? {
        columns.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func validate() throws {
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be finite and > 0 (got \(dt))") }
        if let names = columnNames {
            guard names.allSatisfy({ !$0.isEmpty }) else { throw ValidationError("--columns: empty column name in '\(columns ?? "")'") }
            guard Set(names.map { $0.lowercased() }).count == names.count else {
                throw ValidationError("--columns: a column is named twice in '\(columns ?? "")'")
            }
        }
        for (flag, name) in [("--rollout-column", rolloutColumn), ("--time-column", timeColumn)] {
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) needs a column name") }
        }
        let csv = [".csv", ".txt"].contains { trajectories.lowercased().hasSuffix($0) }
        if !csv, columns != nil || rolloutColumn != nil || timeColumn != nil {
            throw ValidationError("--columns, --rollout-column and --time-column need a CSV file with a header (a .npy has no column names)")
        }
    }

    /// The file's trajectories, read and checked (the scan for non-finite values of a `.npy` on `threads` workers, 0:
    /// one per core); errors are one line naming `--trajectories`.
    func load(threads: Int = 0) throws -> TrajectoryData {
        let options = TrajectoryFile.Options(
            columns: columnNames, rolloutColumn: rolloutColumn?.trimmingCharacters(in: .whitespaces),
            timeColumn: timeColumn?.trimmingCharacters(in: .whitespaces), timeStep: dt, allowMonotone: allowMonotone,
            threads: threads)
        do {
            return try TrajectoryFile.load(path: trajectories, options: options)
        } catch let EstimatorError.timeLikeCoordinate(column, byName, detail) {
            let error = EstimatorError.timeLikeCoordinate(column: column, byName: byName, detail: detail)
            let hint = trajectories.lowercased().hasSuffix(".npy")
                ? "remove it from the array, or pass --allow-monotone if it is a coordinate"
                : "pass --time-column \(column.trimmingCharacters(in: ["'"])) to check and drop it, or --columns to choose the coordinates"
                    + (byName ? "" : " (or --allow-monotone if it is a coordinate)")
            throw CLIError("--trajectories: \(error); \(hint)")
        } catch {
            throw CLIError("--trajectories: \(error)")
        }
    }
}
