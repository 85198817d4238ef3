/// What an import did, for the one-line summary.
public struct ImportSummary: Equatable, Sendable {
    /// Sources written by this import (0 when nothing changed).
    public var sources: Int
    /// Totals in the registry afterwards.
    public var providers: Int
    public var models: Int
    public var routes: Int
    /// True when every source matched its last import and nothing was written.
    public var unchanged: Bool
    /// What converting foreign catalogs noted (sentinel prices, bad limits).
    public var warnings: [Violation] = []
    /// What this import did to the routes its files list, against their last import.
    public var changes = RouteChanges()
}

/// Routes an import's files added, changed, removed or left as they were,
/// compared with what the same sources said at their last import.
public struct RouteChanges: Equatable, Sendable {
    /// Routes the registry did not have before this import.
    public var added = 0
    /// Routes it had, of which a source now says something it did not say before.
    public var changed = 0
    public var removed = 0
    public var unchanged = 0

    public init() {}
}
