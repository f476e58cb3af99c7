#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// What an interrupted process leaves behind: nothing but complete files.
///
/// Every output is written under a temporary name (``StagedFile``) and renamed over its destination when
/// complete. This registry knows the temporary names that exist right now and the helper processes (matplotlib)
/// that write them; ``installHandlers(programName:)`` makes SIGINT, SIGTERM and SIGHUP
///
/// 1. send SIGTERM to the registered helper processes,
/// 2. `unlink(2)` every registered temporary file,
/// 3. write one line, `<programName>: error: interrupted (SIGINT)`, to stderr, and
/// 4. `_exit(128 + signal)` (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP),
///
/// using only async-signal-safe calls (`kill`, `unlink`, `write`, `_exit`, lock-free atomics) on memory allocated
/// before the handler was installed. A destination is never touched by the handler: it holds the previous file or
/// a complete new one. SIGKILL cannot be caught; after it a `.<name>.<random>.tmp` may remain beside the
/// destination (never at it).
///
/// A group of renames that must land together (the files of one checkpoint) runs inside
/// ``deferringInterrupts(_:)``: a signal that arrives meanwhile is handled when the group is done, so SIGINT never
/// leaves half of a checkpoint's files from the new checkpoint and half from the previous one.
///
/// Capacity: ``pathCapacity`` temporary files of at most ``maximumPathBytes`` bytes and ``processCapacity``
/// helper processes at a time; a registration beyond that returns nil and the file is simply not removed by a
/// signal (it is still removed on every error and on a normal exit).
public enum InterruptCleanup {
    public static let pathCapacity = 256
    public static let maximumPathBytes = 4096
    public static let processCapacity = 32

    /// Installs the handlers for SIGINT, SIGTERM and SIGHUP, unblocks them (a parent may have started this
    /// process with them blocked: the mask is inherited, and a blocked SIGTERM would stay pending for ever), and
    /// ignores SIGXFSZ, so that a file-size limit (`ulimit -f`) makes a write fail with EFBIG (an error naming the
    /// file) instead of killing the process. Call once at start-up, before any thread is started (threads inherit
    /// the mask).
    public static func installHandlers(programName: String) {
        let registry = Registry.shared
        var handled = sigset_t()
        sigemptyset(&handled)
        // On a terminal the line may interrupt a progress bar (or follow the echoed ^C): start a fresh line.
        let lead = isatty(2) == 1 ? "\n" : ""
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            registry.setMessage(Array("\(lead)\(programName): error: interrupted (\(name))\n".utf8), for: number)
            _ = signal(number, interruptHandler)
            sigaddset(&handled, number)
        }
        sigprocmask(SIG_UNBLOCK, &handled, nil)
        _ = signal(SIGXFSZ, SIG_IGN)
    }

    /// Registers the temporary file at `path` for removal on a signal; returns the slot for
    /// ``unregisterFile(_:)``, or nil when the registry is full or the path too long.
    static func registerFile(_ path: String) -> Int? { Registry.shared.registerPath(path) }

    /// Forgets a slot of ``registerFile(_:)`` (after the file was renamed or removed).
    static func unregisterFile(_ slot: Int?) { if let slot { Registry.shared.releasePath(slot) } }

    /// Registers a helper process that writes a registered temporary file, so that a signal stops it first.
    public static func registerProcess(_ pid: Int32) -> Int? { Registry.shared.registerProcess(pid) }

    /// Forgets a slot of ``registerProcess(_:)`` (after the process was waited for).
    public static func unregisterProcess(_ slot: Int?) { if let slot { Registry.shared.releaseProcess(slot) } }

    /// Runs `body` with SIGINT/SIGTERM/SIGHUP held back: a signal that arrives meanwhile (on any thread) ends
    /// the process as soon as every such section has finished. Keep `body` short (a few renames).
    public static func deferringInterrupts<R>(_ body: () throws -> R) rethrows -> R {
        Registry.shared.enterSection()
        defer { Registry.shared.leaveSection() }
        return try body()
    }
}

/// The C signal handler (no captures, so it converts to a C function pointer).
private func interruptHandler(_ signal: Int32) {
    Registry.shared.handle(signal)
}

/// Preallocated, lock-free state of ``InterruptCleanup``. Slot states: 0 free, 1 being filled, 2 registered.
private final class Registry: @unchecked Sendable {
    static let shared = Registry()

    private let pathStates: UnsafeMutablePointer<Atomic<Int>>
    private let paths: UnsafeMutablePointer<CChar>
    private let processes: UnsafeMutablePointer<Atomic<Int32>>
    /// Messages for signals 0..<64 (pointer and length), written before the handlers are installed.
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    private let messageLengths: UnsafeMutablePointer<Int>
    /// Low 32 bits: threads inside `deferringInterrupts`; `pendingBit`: a signal is waiting for them;
    /// `exitingBit`: a thread is removing the files and exiting.
    private let gate = Atomic<Int>(0)
    private let pendingSignal = Atomic<Int32>(0)
    private static let countMask = (1 << 32) - 1
    private static let pendingBit = 1 << 33
    private static let exitingBit = 1 << 34
    private static let signalSlots = 65

    private init() {
        let n = InterruptCleanup.pathCapacity
        pathStates = .allocate(capacity: n)
        for i in 0..<n { (pathStates + i).initialize(to: Atomic(0)) }
        paths = .allocate(capacity: n * InterruptCleanup.maximumPathBytes)
        processes = .allocate(capacity: InterruptCleanup.processCapacity)
        for i in 0..<InterruptCleanup.processCapacity { (processes + i).initialize(to: Atomic(0)) }
        messages = .allocate(capacity: Self.signalSlots)
        messages.initialize(repeating: nil, count: Self.signalSlots)
        messageLengths = .allocate(capacity: Self.signalSlots)
        messageLengths.initialize(repeating: 0, count: Self.signalSlots)
    }

    func setMessage(_ bytes: [UInt8], for signal: Int32) {
        guard signal > 0, Int(signal) < Self.signalSlots, messages[Int(signal)] == nil else { return }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        messageLengths[Int(signal)] = bytes.count
        messages[Int(signal)] = buffer
    }

    func registerPath(_ path: String) -> Int? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < InterruptCleanup.maximumPathBytes, !bytes.contains(0) else { return nil }
        for slot in 0..<InterruptCleanup.pathCapacity {
            guard pathStates[slot].compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged else { continue }
            let target = paths + slot * InterruptCleanup.maximumPathBytes
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { target.update(from: $0.baseAddress!, count: bytes.count) }
            }
            target[bytes.count] = 0
            pathStates[slot].store(2, ordering: .releasing)
            return slot
        }
        return nil
    }

    func releasePath(_ slot: Int) { pathStates[slot].store(0, ordering: .releasing) }

    func registerProcess(_ pid: Int32) -> Int? {
        guard pid > 0 else { return nil }
        for slot in 0..<InterruptCleanup.processCapacity
        where processes[slot].compareExchange(expected: 0, desired: pid, ordering: .acquiringAndReleasing).exchanged {
            return slot
        }
        return nil
    }

    func releaseProcess(_ slot: Int) { processes[slot].store(0, ordering: .releasing) }

    func enterSection() {
        while true {
            let v = gate.load(ordering: .acquiring)
            if v & Self.exitingBit != 0 {
                // Another thread is removing the temporaries and exiting: start nothing new.
                while true { pause() }
            }
            if gate.compareExchange(expected: v, desired: v + 1, ordering: .acquiringAndReleasing).exchanged { return }
        }
    }

    func leaveSection() {
        let now = gate.subtract(1, ordering: .acquiringAndReleasing).newValue
        if now & Self.countMask == 0, now & Self.pendingBit != 0,
           gate.compareExchange(expected: now, desired: now | Self.exitingBit, ordering: .acquiringAndReleasing).exchanged {
            terminate(pendingSignal.load(ordering: .acquiring))
        }
    }

    /// The signal handler: defer while a section runs, otherwise clean up and exit.
    func handle(_ signal: Int32) {
        while true {
            let v = gate.load(ordering: .acquiring)
            if v & Self.exitingBit != 0 { return }
            if v & Self.countMask != 0 {
                pendingSignal.store(signal, ordering: .releasing)
                if gate.compareExchange(expected: v, desired: v | Self.pendingBit, ordering: .acquiringAndReleasing).exchanged { return }
            } else if gate.compareExchange(expected: v, desired: v | Self.exitingBit, ordering: .acquiringAndReleasing).exchanged {
                terminate(signal)
            }
        }
    }

    /// Stops the helpers, removes the temporaries, says so in one line and exits 128 + signal.
    private func terminate(_ signal: Int32) -> Never {
        for slot in 0..<InterruptCleanup.processCapacity {
            let pid = processes[slot].load(ordering: .acquiring)
            if pid > 0 { kill(pid, SIGTERM) }
        }
        for slot in 0..<InterruptCleanup.pathCapacity where pathStates[slot].load(ordering: .acquiring) == 2 {
            unlink(paths + slot * InterruptCleanup.maximumPathBytes)
        }
        if signal > 0, Int(signal) < Self.signalSlots, let message = messages[Int(signal)] {
            var done = 0
            let count = messageLengths[Int(signal)]
            while done < count {
                let n = write(2, message + done, count - done)
                if n <= 0 { break }
                done += n
            }
        }
        _exit(128 + signal)
    }
}
