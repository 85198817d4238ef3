import Foundation
import Testing

@Suite struct SmokeTests {
    @Test func importThenGetThroughTheBinary() throws {
        let dir = try TemporaryDirectory()
        try dir.write("seed.json", minimalSeed)
        let imported = try regdb("import", "seed.json", in: dir.url)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "registry.db: imported 1 files: 1 providers, 1 models, 1 routes\n")
        let got = try regdb("get", "veo3", "--format", "json", in: dir.url)
        #expect(got.status == 0)
        #expect(got.stdout.contains("\"route_key\": \"fal/fal-ai/veo3\""))
    }
}
