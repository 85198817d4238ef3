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

    /// Seed route of a reseller → the route models.dev 1.0.398 gives (its provider ids differ).
    static let resellers = [
        "amazon-bedrock/moonshot.kimi-k2-thinking": "amazon-bedrock/moonshot.kimi-k2-thinking",
        "amazon-bedrock/moonshotai.kimi-k2.5": "amazon-bedrock/moonshotai.kimi-k2.5",
        "groq/moonshotai/kimi-k2-instruct": "groq/moonshotai/kimi-k2-instruct",
        "groq/moonshotai/kimi-k2-instruct-0905": "groq/moonshotai/kimi-k2-instruct-0905",
        "huggingface/moonshotai/Kimi-K2-Instruct": "huggingface/moonshotai/Kimi-K2-Instruct",
        "huggingface/moonshotai/Kimi-K2-Instruct-0905": "huggingface/moonshotai/Kimi-K2-Instruct-0905",
        "huggingface/moonshotai/Kimi-K2-Thinking": "huggingface/moonshotai/Kimi-K2-Thinking",
        "huggingface/moonshotai/Kimi-K2.5": "huggingface/moonshotai/Kimi-K2.5",
        "kimi-coding/kimi-k2-thinking": "kimi-for-coding/kimi-k2-thinking",
        "opencode/kimi-k2.5": "opencode/kimi-k2.5",
        "opencode-go/kimi-k2.5": "opencode-go/kimi-k2.5",
        "openrouter/moonshotai/kimi-k2": "openrouter/moonshotai/kimi-k2",
        "openrouter/moonshotai/kimi-k2-0905": "openrouter/moonshotai/kimi-k2-0905",
        "openrouter/moonshotai/kimi-k2-thinking": "openrouter/moonshotai/kimi-k2-thinking",
        "openrouter/moonshotai/kimi-k2.5": "openrouter/moonshotai/kimi-k2.5",
        "vercel-ai-gateway/moonshotai/kimi-k2": "vercel/moonshotai/kimi-k2",
        "vercel-ai-gateway/moonshotai/kimi-k2-0905": "vercel/moonshotai/kimi-k2-0905",
        "vercel-ai-gateway/moonshotai/kimi-k2-thinking": "vercel/moonshotai/kimi-k2-thinking",
        "vercel-ai-gateway/moonshotai/kimi-k2-thinking-turbo": "vercel/moonshotai/kimi-k2-thinking-turbo",
        "vercel-ai-gateway/moonshotai/kimi-k2-turbo": "vercel/moonshotai/kimi-k2-turbo",
        "vercel-ai-gateway/moonshotai/kimi-k2.5": "vercel/moonshotai/kimi-k2.5",
    ]

    /// The Kimi resellers' prices in the seeds are models.dev's (Tests/ReferenceData/models-dev),
    /// every one of them, and each says in its note that it is unverified and where it came from.
    @Test func everyResellerPriceIsModelsDevs() throws {
        let (seeds, _) = try seededRegistry()
        let catalog = try Registry.inMemory()
        let excerpt = referenceData.appending(path: "models-dev/kimi-resellers.json").path
        _ = try catalog.importSeeds([try Catalog.read(file: excerpt, format: .modelsDev).seed])
        let noted = try seeds.rows("""
            SELECT DISTINCT r.route_key FROM price p JOIN route r ON r.id = p.route_id
            WHERE p.note LIKE 'unverified:%models.dev 1.0.398%' ORDER BY 1
            """).compactMap { $0["route_key"]?.stringValue }
        #expect(Set(noted) == Set(Self.resellers.keys))
        for (route, counterpart) in Self.resellers.sorted(by: { $0.key < $1.key }) {
            let ours = try pricesInForce(seeds, route, at: "2026-11-30")
            let listed = try pricesInForce(catalog, counterpart, at: "2026-11-30")
            #expect(!ours.isEmpty && ours == listed, "\(route): seeds \(ours.sorted()), models.dev \(listed.sorted())")
            let unnoted = try seeds.rows("""
                SELECT count(*) AS n FROM price p JOIN route r ON r.id = p.route_id
                WHERE r.route_key = '\(route)' AND ifnull(p.note, '') NOT LIKE 'unverified:%'
                """)
            #expect(unnoted.first?["n"] == .integer(0), "\(route) has a price that does not say it is unverified")
        }
    }

    @Test func everySeedLLMPriceIsThePublishedOne() throws {
        let (seeds, _) = try seededRegistry()
        let genai = try Registry.inMemory()
        _ = try genai.importSeeds([try Catalog.read(file: referenceData.appending(path: "genai-prices/data.json").path, format: nil).seed])

        // Every seed route priced in tokens, but for local models (free to run) and the resellers'
        // prices taken from models.dev (checked in the next test), is checked here.
        let priced = try seeds.rows("""
            SELECT DISTINCT r.route_key FROM price p JOIN route r ON r.id = p.route_id
            WHERE p.unit LIKE '%token' AND p.usd > 0 AND ifnull(p.note, '') NOT LIKE 'unverified: models.dev%' ORDER BY 1
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
