import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress bar on standard error for long runs:
///
///     [#####     ] 45%  1.2e7 steps/s  ETA 3s
///
/// Thread-safe (workers call ``advance(by:)`` concurrently), redrawn at most about five times a
/// second, and silent unless enabled: by default it draws only when standard error is a terminal
/// or the environment sets `PATHTHERMO_PROGRESS=1` (and never with `PATHTHERMO_PROGRESS=0`). ``finish()`` draws the final state and ends
/// the line. "steps" are particle-steps (rollouts × Euler–Maruyama steps).
public final class ProgressReporter: @unchecked Sendable {
    /// Total work units (particle-steps).
    public let total: Int
    /// Whether anything is drawn.
    public let isEnabled: Bool
    private let lock = NSLock()
    private var done = 0
    private var lastDraw: UInt64 = 0
    private var finished = false
    private let start: UInt64
    private let width = 10
    private let minimumInterval: UInt64 = 200_000_000  // ns: at most ~5 redraws per second
    private let sink: (@Sendable (String) -> Void)?

    /// - Parameters:
    ///   - total: the number of units the run will report.
    ///   - enabled: `nil` (default) decides from the environment: standard error is a TTY, or
    ///     `PATHTHERMO_PROGRESS=1`.
    ///   - sink: where the text goes; default standard error. Tests pass a closure.
    public init(total: Int, enabled: Bool? = nil, sink: (@Sendable (String) -> Void)? = nil) {
        self.total = max(0, total)
        isEnabled = enabled ?? Self.enabledByEnvironment
        self.sink = sink
        start = DispatchTime.now().uptimeNanoseconds
    }

    /// Standard error is a terminal, or `PATHTHERMO_PROGRESS=1`; never with `PATHTHERMO_PROGRESS=0`.
    public static var enabledByEnvironment: Bool {
        let setting = ProcessInfo.processInfo.environment["PATHTHERMO_PROGRESS"]
        if setting == "0" { return false }
        if setting == "1" { return true }
        return isatty(STDERR_FILENO) == 1
    }

    /// Units reported so far (counted only while enabled).
    public var completed: Int { lock.lock(); defer { lock.unlock() }; return done }

    /// Records `units` more finished units; redraws if the last redraw is old enough.
    public func advance(by units: Int) {
        guard isEnabled else { return }
        lock.lock(); defer { lock.unlock() }
        done += units
        let now = DispatchTime.now().uptimeNanoseconds
        guard !finished, now - lastDraw >= minimumInterval else { return }
        lastDraw = now
        emit("\r" + line(now: now))
    }

    /// Draws the final state and ends the line (once).
    public func finish() {
        guard isEnabled else { return }
        lock.lock(); defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        emit("\r" + line(now: DispatchTime.now().uptimeNanoseconds) + "\n")
    }

    /// The bar text for the current count.
    func line(now: UInt64) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let seconds = max(1e-9, Double(now - start) / 1e9)
        let rate = Double(done) / seconds
        let remaining = rate > 0 ? Double(total - min(done, total)) / rate : .infinity
        let eta = remaining.isFinite ? "\(Int(remaining.rounded(.up)))s" : "?"
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        return "[\(bar)] \(percent)  \(String(format: "%.1e", rate)) steps/s  ETA \(eta)  "
    }

    private func emit(_ text: String) {
        if let sink { sink(text); return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
