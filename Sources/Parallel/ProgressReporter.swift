import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress bar on standard error for long runs, with the stage it measures:
///
///     simulate [#####     ]  45%  1.2e7 steps/s  ETA 3s
///
/// Thread-safe (workers call ``advance(by:)`` concurrently), redrawn at most about five times a second, and
/// silent unless enabled (``isEnabled(setting:standardErrorIsTerminal:)``): by default it draws when standard
/// error is a terminal or the environment sets `PATHTHERMO_PROGRESS=1`, and never with `PATHTHERMO_PROGRESS=0`.
/// ``finish()`` draws the final state and ends the line. It only reports: results never depend on it.
public final class ProgressReporter: @unchecked Sendable {
    /// Total work units.
    public let total: Int
    /// The stage shown before the bar ("simulate", "train", "text-ep: scoring"); empty for none.
    public let label: String
    /// The name of a unit in the rate ("steps", "tokens", "texts").
    public let unit: String
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
    ///   - label: the stage, shown before the bar.
    ///   - unit: the unit's name in the rate (default "steps").
    ///   - enabled: `nil` (default) decides from the environment (``enabledByEnvironment``).
    ///   - sink: where the text goes; default standard error. Tests pass a closure.
    public init(total: Int, label: String = "", unit: String = "steps", enabled: Bool? = nil,
                sink: (@Sendable (String) -> Void)? = nil) {
        self.total = max(0, total)
        self.label = label
        self.unit = unit
        isEnabled = enabled ?? Self.enabledByEnvironment
        self.sink = sink
        start = DispatchTime.now().uptimeNanoseconds
    }

    /// The decision of ``enabledByEnvironment``: `setting` is the value of `PATHTHERMO_PROGRESS` (nil if unset).
    /// "0" turns bars off, "1" on; anything else (or unset) draws only on a terminal.
    public static func isEnabled(setting: String?, standardErrorIsTerminal: Bool) -> Bool {
        switch setting {
        case "0": return false
        case "1": return true
        default: return standardErrorIsTerminal
        }
    }

    /// ``isEnabled(setting:standardErrorIsTerminal:)`` for this process's `PATHTHERMO_PROGRESS` and standard error.
    public static var enabledByEnvironment: Bool {
        isEnabled(setting: ProcessInfo.processInfo.environment["PATHTHERMO_PROGRESS"],
                  standardErrorIsTerminal: isatty(STDERR_FILENO) == 1)
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

    /// A callback for a phase that reports **cumulative** counts (0, 5, 12, …, as the language models' decoders
    /// do): each call advances the bar by the increase since the previous call of the same callback.
    public func cumulativeCallback() -> @Sendable (Int) -> Void {
        let last = CumulativeCount()
        return { [self] total in advance(by: last.delta(to: total)) }
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
        let prefix = label.isEmpty ? "" : label + " "
        return "\(prefix)[\(bar)] \(percent)  \(String(format: "%.1e", rate)) \(unit)/s  ETA \(eta)  "
    }

    private func emit(_ text: String) {
        if let sink { sink(text); return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The last cumulative count of one phase (callbacks may come from several threads: locked).
private final class CumulativeCount: @unchecked Sendable {
    private let lock = NSLock()
    private var last = 0
    func delta(to total: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        let d = total - last
        last = total
        return d
    }
}
