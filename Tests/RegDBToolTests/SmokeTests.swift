import Foundation
import Testing

@Suite struct SmokeTests {
    @Test func importThenGetThroughTheBinary() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seed.json", minimalSeed)
        let imported = try regdb("import", "seed.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "registry.db: imported 1 file: 1 routes added, 0 changed, 0 removed, 0 unchanged (1 providers, 1 models, 1 routes in all)\n")
        let got = try regdb("get", "veo3", "--format", "json", in: dir.url)
        #expect(got.status == 0)
        #expect(got.stdout.contains("\"route_key\": \"fal/fal-ai/veo3\""))
    }
}
