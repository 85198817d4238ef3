import Foundation

extension Registry {
    /// Now, as ISO 8601 UTC.
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
