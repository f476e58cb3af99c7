import ResourceLimits

/// Status codes of the C ABI (include/paththermo.h: `PT_OK`, `PT_ERROR_*`). Every exported function returns one.
enum ABIStatus {
    /// Success; the message buffer holds the empty string.
    static let ok: Int32 = 0
    /// The call itself is malformed: a null pointer, a negative or zero size, an unknown dtype, strides whose
    /// offsets overflow. Checked by the ABI before any library code runs.
    static let invalidArgument: Int32 = 1
    /// The library rejected the input (an unstable drift, a diffusion that is not positive definite, NaN entries,
    /// a non-square matrix, an equation without a unique solution, a non-finite solution).
    static let libraryError: Int32 = 2
    /// The sizes exceed the memory budget (half the physical memory) or overflow a byte count.
    static let resourceLimit: Int32 = 3
}

/// A malformed call, caught by the ABI's own checks (``ABIStatus/invalidArgument``).
struct ABIArgumentError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A result the library computed but that must not be returned as a number (``ABIStatus/libraryError``).
struct ABIResultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, maps every thrown error to a status code and writes its one-line description into the caller's
/// message buffer (the empty string on success). No Swift error leaves this function; the bodies only call
/// throwing library code and never trap on caller data (sizes, pointers and strides are checked first).
func abiCall(message: UnsafeMutablePointer<CChar>?, capacity: Int64, _ body: () throws -> Void) -> Int32 {
    do {
        try body()
        writeMessage("", to: message, capacity: capacity)
        return ABIStatus.ok
    } catch let error as ABIArgumentError {
        writeMessage(error.description, to: message, capacity: capacity)
        return ABIStatus.invalidArgument
    } catch let error as ResourceLimitError {
        writeMessage(error.description, to: message, capacity: capacity)
        return ABIStatus.resourceLimit
    } catch {
        writeMessage(String(describing: error), to: message, capacity: capacity)
        return ABIStatus.libraryError
    }
}

/// Copies `text` as UTF-8 into `buffer` (NUL-terminated, truncated at `capacity − 1` bytes on a character
/// boundary). A null buffer or a capacity < 1 writes nothing.
func writeMessage(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int64) {
    guard let buffer, capacity >= 1 else { return }
    var bytes = Array(text.utf8)
    if Int64(bytes.count) > capacity - 1 {
        var end = Int(capacity - 1)
        // Back off to the first byte of a UTF-8 sequence (continuation bytes are 0b10xxxxxx).
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        bytes.removeSubrange(end...)
    }
    for (k, byte) in bytes.enumerated() { buffer[k] = CChar(bitPattern: byte) }
    buffer[bytes.count] = 0
}
