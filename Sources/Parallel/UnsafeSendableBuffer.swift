/// A buffer pointer that may cross into the workers of ``ParallelFor`` (not owning its memory): workers write
/// **disjoint** indices only, and the memory outlives the loop (normally a `withUnsafeMutableBufferPointer`
/// scope around it).
public struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    /// The memory.
    public let base: UnsafeMutableBufferPointer<Element>

    public init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }

    /// Element `i`.
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// A raw pointer that may cross into the workers of ``ParallelFor`` (not owning its memory), for strided
/// matrices whose extent the pointer type does not carry: workers read it, or write disjoint elements.
public struct UnsafeSendablePointer<Pointee>: @unchecked Sendable {
    /// The pointer (created from an `UnsafePointer`, it is only to be read).
    public let base: UnsafeMutablePointer<Pointee>

    public init(_ pointer: UnsafeMutablePointer<Pointee>) { base = pointer }
    public init(_ pointer: UnsafePointer<Pointee>) { base = UnsafeMutablePointer(mutating: pointer) }

    /// Writes `value` at offset `i`.
    public func write(_ value: Pointee, at i: Int) { base[i] = value }
}
