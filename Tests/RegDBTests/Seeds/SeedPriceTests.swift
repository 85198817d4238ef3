import Foundation
import Testing
@testable import RegDB

/// Every LLM price in seeds/ is the provider's published price: on every date that
/// matters, the token prices in force on a seed route are the ones genai-prices'
/// data.json (Tests/ReferenceData/genai-prices) gives the same model, thresholds
/// and dates included.
@Suite struct SeedPriceTests {
    /// Seed route → the genai-prices route of the same model (its ids and provider names differ).
    static let counterparts = [
        "openai/gpt-4o": "openai/gpt-4o",
        "openai/o1-pro": "openai/o1-pro",
        "openai/o3": "openai/o3",
        "google/gemini-2.5-pro": "google/gemini-2.5-pro",
        "google/gemini-2.5-flash": "google/gemini-2.5-flash",
        "xai/grok-3": "x-ai/grok-3",
        "xai/grok-4-fast-reasoning": "x-ai/grok-4-fast-reasoning",
        "xai/grok-code-fast-1": "x-ai/grok-code-fast-1",
        "anthropic/claude-3-5-sonnet-20240620": "anthropic/claude-3-5-sonnet",
        "anthropic/claude-3-opus-20240229": "anthropic/claude-3-opus-latest",
        "anthropic/claude-3-5-sonnet-20241022": "anthropic/claude-3-5-sonnet",
        "anthropic/claude-3-5-haiku-20241022": "anthropic/claude-3-5-haiku-latest",
        "anthropic/claude-3-haiku-20240307": "anthropic/claude-3-haiku",
        "anthropic/claude-sonnet-4-20250514": "anthropic/claude-sonnet-4-0",
        "anthropic/claude-haiku-4-5-20251001": "anthropic/claude-haiku-4-5",
        "anthropic/claude-sonnet-4-5-20250929": "anthropic/claude-sonnet-4-5",
        "anthropic/claude-opus-4-5-20251101": "anthropic/claude-opus-4-5",
        "anthropic/claude-opus-4-7-20260416": "anthropic/claude-opus-4-7",
    ]

    /// Token prices in force at `at`, per 1M tokens: "unit above usd".
    private func pricesInForce(_ registry: Registry, _ route: String, at: String) throws -> Set<String> {
        let rows = try registry.rows("""
            SELECT p.unit, p.variant, p.above, p.usd * 1000000.0 / p.per AS usd FROM price p JOIN route r ON r.id = p.route_id
            WHERE r.route_key = '\(route)' AND p.unit LIKE '%token' AND p.variant IS NULL AND p.usd IS NOT NULL
              AND (p.valid_from IS NULL OR datetime(p.valid_from) <= datetime('\(at)'))
              AND (p.valid_until IS NULL OR datetime(p.valid_until) > datetime('\(at)'))
            """)
        return Set(rows.map { row in
            let usd = (row["usd"]?.doubleValue).map { String(format: "%.6g", $0) } ?? "?"
            return "\(row["unit"]?.stringValue ?? "") above \(row["above"]?.doubleValue.map { String(Int64($0)) } ?? "-") \(usd)"
        })
    }

    @Test func everySeedLLMPriceIsThePublishedOne() throws {
        let (seeds, _) = try seededRegistry()
        let genai = try Registry.inMemory()
        _ = try genai.importSeeds([try Catalog.read(file: referenceData.appending(path: "genai-prices/data.json").path, format: nil).seed])

        // Every seed route priced in tokens, but for local models (free to run), is checked here.
        let priced = try seeds.rows("""
            SELECT DISTINCT r.route_key FROM price p JOIN route r ON r.id = p.route_id
            WHERE p.unit LIKE '%token' AND p.usd > 0 ORDER BY 1
            """).compactMap { $0["route_key"]?.stringValue }
        #expect(Set(priced) == Set(Self.counterparts.keys), "a seed LLM price without a published counterpart to check")

        for (route, counterpart) in Self.counterparts.sorted(by: { $0.key < $1.key }) {
            for at in ["2026-11-30", "2025-05-01"] {
                let ours = try pricesInForce(seeds, route, at: at)
                var published = try pricesInForce(genai, counterpart, at: at)
                // genai-prices dates o3's input and output cut but keeps the new $0.50 cached input
                // before it; OpenAI launched o3 at $2.50 cached (the seed's sources say so).
                if route == "openai/o3" && at == "2025-05-01", published.remove("cache_read_token above - 0.5") != nil {
                    published.insert("cache_read_token above - 2.5")
                }
                #expect(!ours.isEmpty, "\(route) has no token price in force on \(at)")
                #expect(ours == published, "\(route) on \(at): seeds \(ours.sorted()), genai-prices \(published.sorted())")
            }
            // And each says where and when it was checked.
            let unchecked = try seeds.rows("""
                SELECT count(*) AS n FROM price p JOIN route r ON r.id = p.route_id
                WHERE r.route_key = '\(route)' AND (p.checked_url IS NULL OR p.checked_on IS NULL)
                """)
            #expect(unchecked.first?["n"] == .integer(0), "\(route) has prices without prices_checked")
        }
    }
}
