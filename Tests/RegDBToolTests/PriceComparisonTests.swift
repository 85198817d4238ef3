import Foundation
import Testing

/// regdb's prices against the public catalogs' own code, as a user would compare them:
/// LiteLLM's cost_per_token on its bundled map and genai-prices' calc_price on the
/// reference data.json, each against `regdb cost` on a registry holding that catalog
/// (Support/compare_prices.py prices the calls on both sides).
@Suite struct PriceComparisonTests {
    @Test(.enabled(if: executable("python3") != nil, "python3 is not installed"))
    func costsAgreeWithLiteLLMAndGenAIPrices() throws {
        let dir = try TemporaryDirectory()
        let python = try #require(executable("python3"))
        let script = repoRoot.appending(path: "Tests/RegDBToolTests/Support/compare_prices.py")
        let data = referenceData.appending(path: "genai-prices/data.json")
        let result = try run(python, [script.path, regdbBinary.path, dir.url.path, data.path],
                             environment: ["LITELLM_LOCAL_MODEL_COST_MAP": "True"])
        try #require(result.status != 2, "run scripts/setup to install requirements-test.txt: \(result.stderr)")
        let reports = result.stdoutLines.filter { $0.hasPrefix("{") }.compactMap { try? parse($0) as? [String: Any] }
        let scenarios = reports.filter { $0["checked"] != nil }
        #expect(scenarios.count == 15, "\(result.stdout.suffix(2000))")
        for scenario in scenarios {
            let checked = scenario["checked"] as? Int ?? 0
            let agree = scenario["agree"] as? Int ?? -1
            #expect(checked > 0, "\(scenario)")
            #expect(agree == checked, "\(scenario["source"] ?? "") \(scenario["scenario"] ?? ""): \(scenario["disagree"] ?? "")")
        }
        // Enough of each catalog was compared for the agreement to mean something.
        let bySource = Dictionary(grouping: scenarios, by: { $0["source"] as? String ?? "" })
            .mapValues { $0.reduce(0) { $0 + ($1["checked"] as? Int ?? 0) } }
        #expect((bySource["litellm"] ?? 0) > 1500, "\(bySource)")
        #expect((bySource["genai-prices"] ?? 0) > 1000, "\(bySource)")
        // No priced route is unpriceable: every route of both catalogs prices a call.
        #expect((bySource["regdb litellm"] ?? 0) > 4000 && (bySource["regdb genai"] ?? 0) > 1000, "\(bySource)")
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    }
}
