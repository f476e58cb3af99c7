/// What every fuzz target shares: the input as bytes, and the optional strict check of error messages.

import CLibFuzzer

/// Runs libFuzzer (its flags are the process arguments: corpus folders, `-max_total_time=`, …) on
/// `body`, which gets each input as bytes; returns libFuzzer's exit status.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv, callback)
    exit(status)
}

/// The fuzzer's input as an array (the parsers take `[UInt8]`, `Data` or `String`).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// `PATHTHERMO_FUZZ_STRICT=1`: an error whose description (what the CLI prints after `paththermo: error:`)
/// spans several lines or holds a raw control byte is a failure too (issue 12, item 7). Off by default:
/// the parsers' messages before that fix may still echo bytes from the input.
public let strictMessages: Bool = {
    guard let value = getenv("PATHTHERMO_FUZZ_STRICT") else { return false }
    return String(cString: value) == "1"
}()

/// Handles an error thrown by a parser: always renders its description (as the CLI does, so that the
/// message code runs too) and, in strict mode, traps on a multi-line message or a control byte.
public func checkMessage(_ error: any Error) {
    let message = String(describing: error)
    guard strictMessages else { return }
    if let bad = message.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
        fatalError("error message holds control byte U+\(String(bad.value, radix: 16)): \(message.debugDescription)")
    }
}

/// Runs `body`, treating a thrown error as a correct outcome (its message is checked, see ``checkMessage(_:)``).
@inline(never)
public func expectingErrors(_ body: () throws -> Void) {
    do { try body() } catch { checkMessage(error) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
