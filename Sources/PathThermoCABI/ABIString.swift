/// A caller's NUL-terminated UTF-8 string argument (``ABIArgumentError`` for NULL or invalid UTF-8).
func abiUTF8String(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let pointer else { throw ABIArgumentError("\(name): null string pointer") }
    guard let text = String(validatingCString: pointer) else { throw ABIArgumentError("\(name): not valid UTF-8") }
    return text
}
