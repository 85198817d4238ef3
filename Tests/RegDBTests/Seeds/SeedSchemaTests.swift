import Foundation
import Testing
@testable import RegDB

/// seeds/schema/seed.schema.json documents exactly what the reader accepts.
@Suite struct SeedSchemaTests {
    let schema: JSONValue

    init() throws {
        schema = try readJSON(repoRoot.appending(path: "seeds/schema/seed.schema.json"))
    }

    private func properties(_ definition: JSONValue?) -> [String] {
        guard case .object(let members)? = definition?["properties"] else { return [] }
        return members.map(\.key)
    }

    @Test func documentsEveryFieldTheReaderAccepts() {
        #expect(properties(schema) == SeedReader.fileFields)
        #expect(properties(schema["$defs"]?["provider"]) == SeedReader.providerFields)
        #expect(properties(schema["$defs"]?["model"]) == SeedReader.modelFields)
        #expect(properties(schema["$defs"]?["route"]) == SeedReader.routeFields)
        #expect(properties(schema["$defs"]?["price"]) == SeedReader.priceFields)
        #expect(properties(schema["$defs"]?["prices_checked"]) == SeedReader.checkedFields)
    }

    @Test func vocabulariesMatchTheDatabase() throws {
        let registry = try Registry.inMemory()
        let units = try registry.rows("SELECT id FROM unit ORDER BY rowid").compactMap { $0["id"]?.stringValue }
        let categories = try registry.rows("SELECT id FROM category ORDER BY rowid").compactMap { $0["id"]?.stringValue }
        guard case .array(let unitEnum)? = schema["$defs"]?["price"]?["properties"]?["unit"]?["enum"],
              case .array(let categoryEnum)? = schema["$defs"]?["route"]?["properties"]?["categories"]?["propertyNames"]?["enum"]
        else {
            Issue.record("the schema lost its unit or category enum")
            return
        }
        #expect(unitEnum.compactMap(\.stringValue) == units)
        #expect(categoryEnum.compactMap(\.stringValue) == categories)
    }

    @Test func everySeedFilePointsEditorsAtTheSchema() throws {
        for file in try repositorySeedFiles() {
            let seed = try readJSON(URL(filePath: file))
            #expect(seed["$schema"] == .string("schema/seed.schema.json"), "\(file)")
            #expect(FileManager.default.fileExists(atPath: URL(filePath: file).deletingLastPathComponent()
                .appending(path: "schema/seed.schema.json").path))
        }
    }
}
