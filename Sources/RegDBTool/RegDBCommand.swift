import ArgumentParser

@main
struct RegDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regdb",
        abstract: "The single source of truth for AI model metadata: one SQLite registry, built from reviewed seeds.",
        discussion: """
            The registry is a plain SQLite file: query it with `sqlite3 registry.db`.
            Every command takes --db PATH (default: $REGDB_PATH, else ./registry.db).
            Exit codes: 0 success, 1 error or violations, 3 unknown model refused by policy enforce, 64 bad usage.
            """,
        subcommands: [Import.self, Check.self, List.self, Get.self, Cost.self, Resolve.self, Routes.self, Failover.self,
                      Sources.self, Why.self, Diff.self, Config.self, Providers.self, Discover.self, Status.self, Best.self,
                      Metrics.self, SQL.self, Export.self]
    )
}
