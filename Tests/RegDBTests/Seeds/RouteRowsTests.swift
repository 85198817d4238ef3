import Foundation
import GRDB
import Testing
@testable import RegDB

/// `RouteRows` is the one description of a route's rows: it covers every column of
/// `route` and every table hanging off it, maps every field the seed reader accepts,
/// and what goes in through it comes back out through it, field for field.
@Suite struct RouteRowsTests {
    /// Columns the importer sets from the route key and the claims, not from one seed field.
    static let fromKeyAndClaims: Set = ["id", "provider_id", "wire_id", "model_id", "source_id", "ordinal"]
    /// Seed fields that fill no row of their own: the route key, the model it belongs to,
    /// and where its prices were checked (stored on each price row).
    static let notRows: Set = ["route", "model", "prices_checked"]

    /// A route that sets every field the seed reader accepts (but `notRows`).
    static let everyField = """
        {"providers": [{"id": "p", "name": "P"}],
         "models": [{"id": "m", "name": "M", "routes": [{
            "route": "p/w", "name": "W", "provider_label": "P, direct", "endpoint": "w", "api": "openai-completions",
            "base_url": "https://p.example/v1", "categories": {"text_to_video": "w"},
            "context_window": 1000, "context_window_source": "docs", "context_window_observed_at": "2026-11-01",
            "max_output_tokens": 100, "max_duration": 10, "durations": [5, 10], "aspect_ratios": ["16:9", "9:16"],
            "resolutions": ["720p"], "defaults": {"duration": 5}, "features": ["audio"],
            "pricing": [{"unit": "second", "usd": 0.5}, {"unit": "second", "variant": "audio", "usd": 0.75}],
            "multipliers": {"fast": 1.5}, "cost_estimate_usd": 2.5, "processing_time_s": 60, "reasoning": true, "first_party": true,
            "input_modalities": ["text"], "capabilities": {"vision": true}, "extended_params": ["seed"],
            "extended_features": {"start_frame": true}, "input_requirements": {"required": ["prompt"]},
            "info": {"note": "x"}, "metadata": {"x": "y"}, "priority": 1, "aliases": ["w-alias"], "available": true}]}]}
        """

    @Test func coversEveryColumnOfRouteAndEveryTableHangingOffIt() throws {
        let registry = try Registry.inMemory()
        let (routeColumns, referencing) = try registry.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM pragma_table_xinfo('route') WHERE hidden = 0"),
             try String.fetchAll(db, sql: """
                 SELECT m.name FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND f."table" = 'route' AND f."from" = 'route_id' ORDER BY m.name
                 """))
        }
        let mapped = Set(RouteRows.columns.map(\.name))
        #expect(Set(routeColumns).subtracting(mapped).subtracting(Self.fromKeyAndClaims).isEmpty,
                "route columns RouteRows does not map: \(Set(routeColumns).subtracting(mapped).subtracting(Self.fromKeyAndClaims).sorted())")
        #expect(mapped.subtracting(routeColumns).isEmpty, "mapped columns route lacks: \(mapped.subtracting(routeColumns).sorted())")
        // Every table a route's rows live in (alias too: a route's own aliases).
        #expect(Set(RouteRows.children.map(\.table)) == Set(referencing).union(["alias"]),
                "tables referencing route: \(referencing)")
        for child in RouteRows.children {
            let columns = try registry.read { try String.fetchAll($0, sql: "SELECT name FROM pragma_table_info(?)", arguments: [child.table]) }
            #expect(Set(child.columns).isSubset(of: columns), "\(child.table): \(child.columns) not all in \(columns)")
        }
    }

    @Test func mapsEveryFieldTheSeedReaderAccepts() {
        let mapped = Set(RouteRows.fields.map { field -> String in
            switch field {
            case .column(let column), .bookkeeping(let column): return column.name
            case .child(let child): return child.field
            }
        })
        let read = Set(SeedReader.routeFields).subtracting(Self.notRows)
        #expect(read.subtracting(mapped).isEmpty, "fields the reader accepts that no row holds: \(read.subtracting(mapped).sorted())")
        #expect(mapped.subtracting(read).isEmpty, "mapped fields the reader does not accept: \(mapped.subtracting(read).sorted())")
    }

    @Test func everyFieldComesBackAsItWasWritten() throws {
        let json = try JSONParser.parse(Self.everyField)
        guard case .array(let models)? = json["models"], case .array(let routes)? = models.first?["routes"],
              case .object(let written)? = routes.first else { throw CancellationError() }
        // The route above must set every field: one the reader learns is added to it, and checked here.
        let missing = Set(SeedReader.routeFields).subtracting(Self.notRows).subtracting(written.map(\.key))
        #expect(missing.isEmpty, "add to everyField: \(missing.sorted())")

        let (seed, problems) = SeedReader.decode(name: "every.json", bytes: Array(Self.everyField.utf8))
        let file = try #require(seed, "\(problems)")
        let registry = try Registry.inMemory()
        _ = try registry.importSeeds([file])
        let documents = try registry.read { try Documents.load($0, bookkeeping: true) }
        let document = try #require(documents.routes.first { $0.key == "p/w" }?.document)
        for (key, value) in written where !Self.notRows.contains(key) {
            #expect(document[key] == value, "\(key): wrote \(value.jsonText), read \(document[key]?.jsonText ?? "nothing")")
        }
        // route_document reads every field RouteRows writes, in its order: a new column needs its
        // arm in schema.sql's route_field view.
        let viewFields = try registry.read { try String.fetchAll($0, sql: """
            SELECT f.name FROM route_field f JOIN route r ON r.id = f.route_id
            WHERE r.route_key = 'p/w' AND f.shown <> 'get' ORDER BY f.position
            """) }
        let mappedFields = ["route"] + RouteRows.fields.map { field -> String in
            switch field {
            case .column(let column), .bookkeeping(let column): return column.name
            case .child(let child): return child.field
            }
        }
        #expect(viewFields == mappedFields)
        // `get` leaves out the bookkeeping columns.
        let shown = try #require(try registry.read { try Documents.load($0) }.routes.first?.document)
        #expect(shown["context_window_source"] == nil && shown["context_window"] == .integer(1000))
    }
}
