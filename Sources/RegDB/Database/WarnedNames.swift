import Foundation

/// Names a registry has already warned about, so a long-running caller is not flooded.
final class WarnedNames: @unchecked Sendable {
    private var names = Set<String>()
    private let lock = NSLock()

    /// True the first time a name is inserted.
    func insert(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return names.insert(name).inserted
    }
}
