import Synchronization
import Testing
@testable import Parallel

@Suite("Progress reporter")
struct ProgressReporterTests {
    @Test func environmentDecision() {
        // PATHTHERMO_PROGRESS=0 turns bars off even on a terminal; 1 turns them on even when piped.
        #expect(!ProgressReporter.isEnabled(setting: "0", standardErrorIsTerminal: true))
        #expect(!ProgressReporter.isEnabled(setting: "0", standardErrorIsTerminal: false))
        #expect(ProgressReporter.isEnabled(setting: "1", standardErrorIsTerminal: false))
        #expect(ProgressReporter.isEnabled(setting: "1", standardErrorIsTerminal: true))
        // Unset (or anything else): only on a terminal.
        #expect(ProgressReporter.isEnabled(setting: nil, standardErrorIsTerminal: true))
        #expect(!ProgressReporter.isEnabled(setting: nil, standardErrorIsTerminal: false))
        #expect(!ProgressReporter.isEnabled(setting: "yes", standardErrorIsTerminal: false))
    }

    @Test func barFormatLabelAndRateLimit() throws {
        let lines = Mutex<[String]>([])
        let progress = ProgressReporter(total: 1000, label: "text-ep: scoring", unit: "tokens", enabled: true) { text in
            lines.withLock { $0.append(text) }
        }
        for _ in 0..<100 { progress.advance(by: 4) }   // many quick calls: at most one redraw
        progress.finish()
        progress.finish()                                // idempotent
        let out = lines.withLock { $0 }
        #expect(out.count == 2, "one redraw (the first call) and the final line: \(out)")
        let last = try #require(out.last)
        #expect(last.hasPrefix("\rtext-ep: scoring [####      ]  40%"), "\(last)")
        #expect(last.contains("tokens/s") && last.contains("ETA") && last.hasSuffix("\n"))
    }

    @Test func withoutALabelTheBarStartsTheLine() throws {
        let lines = Mutex<[String]>([])
        let progress = ProgressReporter(total: 10, enabled: true) { text in lines.withLock { $0.append(text) } }
        progress.advance(by: 10)
        progress.finish()
        let last = try #require(lines.withLock { $0 }.last)
        #expect(last.hasPrefix("\r[##########] 100%") && last.contains("steps/s"), "\(last)")
    }

    @Test func disabledDrawsNothingAndCountsNothing() {
        let calls = Mutex<Int>(0)
        let off = ProgressReporter(total: 10, label: "simulate", enabled: false) { _ in calls.withLock { $0 += 1 } }
        off.advance(by: 10)
        off.finish()
        #expect(calls.withLock { $0 } == 0)
        #expect(off.completed == 0)
    }

    @Test func cumulativeCallbackAdvancesByTheIncrease() {
        let progress = ProgressReporter(total: 100, enabled: true) { _ in }
        let phase1 = progress.cumulativeCallback(), phase2 = progress.cumulativeCallback()
        for total in [3, 10, 25] { phase1(total) }
        for total in [5, 40] { phase2(total) }
        #expect(progress.completed == 25 + 40)
    }
}
