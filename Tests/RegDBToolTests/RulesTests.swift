import Foundation
import Testing

// Every rule schema.sql enforces with a trigger or constraint, proven twice:
// through the plain `sqlite3` CLI (foreign_keys OFF, as a user at the shell
// has it) and through `regdb sql`. Each refused statement must print the
// rule's exact message and leave the registry exactly as it was.
//
// The fixture is registry.db imported from a copy of seeds/*.json. Routes are
// named by key in the SQL, so the tests do not depend on row ids.

/// `(SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3')`: durations 5-8,
/// max_duration 8, aspect ratios 16:9, 9:16, 1:1, resolution 720p; defaults
/// duration 8 and aspect_ratio "16:9" (no resolution default); prices second/no_audio
/// 0.5 and second/audio 0.75; key veo3 in text_to_video.
private let veo3 = "(SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3')"
/// Key sora_2 in text_to_video; resolution 720p, which is also its default.
private let sora2 = "(SELECT id FROM route WHERE route_key = 'fal/fal-ai/sora-2/text-to-video')"
/// A chat route: no endpoint, no options, no defaults.
private let gpt4o = "(SELECT id FROM route WHERE route_key = 'openai/gpt-4o')"

extension RulesTests {
    /// One statement a rule must refuse.
    struct RuleCase: Sendable, CustomTestStringConvertible {
        /// What the case shows, as listed in test output.
        var name: String
        /// SQL run with sqlite3 before the case (must succeed), or nil.
        var setup: String? = nil
        /// The refused statement: one line, no trailing semicolon.
        var sql: String
        /// The rule's message exactly as the trigger words it: `[rule] message`.
        var refusal: String
        /// A query whose output must be the same before and after the refused statement.
        var unchanged: String

        var testDescription: String { name }
    }

    /// The two ways a user edits a registry by hand.
    enum Client: String, Sendable, CaseIterable, CustomTestStringConvertible {
        /// `/usr/bin/sqlite3 -bail registry.db`, SQL on stdin: foreign keys OFF, triggers only.
        case sqlite3
        /// `regdb sql SQL --db registry.db`: foreign keys ON, one transaction.
        case regdbSQL

        var testDescription: String { self == .sqlite3 ? "sqlite3" : "regdb sql" }
    }
}

extension RulesTests {
    static let priceNegative: [RuleCase] = [
        RuleCase(
            name: "price-negative: insert a negative price",
            sql: "INSERT INTO price (route_id, unit, usd, position) VALUES (\(veo3), 'video', -0.5, 9)",
            refusal: "[price-negative] price.usd must be a finite number >= 0 (route fal/fal-ai/veo3, unit video, value -0.5)",
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "price-negative: UPDATE price SET usd = -1 (every price)",
            sql: "UPDATE price SET usd = -1",
            refusal: "[price-negative] price.usd must be a finite number >= 0 (route amazon-bedrock/moonshot.kimi-k2-thinking, unit input_token, value -1.0)",
            unchanged: "SELECT id, route_id, unit, variant, usd, per, above FROM price ORDER BY id"),
        RuleCase(
            name: "price-negative: update one price with a variant",
            sql: "UPDATE price SET usd = -1 WHERE route_id = \(veo3) AND variant = 'no_audio'",
            refusal: "[price-negative] price.usd must be a finite number >= 0 (route fal/fal-ai/veo3, unit second, variant no_audio, value -1.0)",
            unchanged: "SELECT variant, usd FROM price WHERE route_id = \(veo3) ORDER BY id"),
    ]

    static let durationRange: [RuleCase] = [
        RuleCase(
            name: "duration-range: insert a duration above max_duration",
            sql: "INSERT INTO route_duration (route_id, seconds) VALUES (\(veo3), 9)",
            refusal: "[duration-range] route_duration.seconds must be in (0, max_duration] (route fal/fal-ai/veo3, value 9, max_duration 8)",
            unchanged: "SELECT seconds FROM route_duration WHERE route_id = \(veo3) ORDER BY seconds"),
        RuleCase(
            name: "duration-range: insert a zero duration",
            sql: "INSERT INTO route_duration (route_id, seconds) VALUES (\(veo3), 0)",
            refusal: "[duration-range] route_duration.seconds must be in (0, max_duration] (route fal/fal-ai/veo3, value 0, max_duration 8)",
            unchanged: "SELECT seconds FROM route_duration WHERE route_id = \(veo3) ORDER BY seconds"),
        RuleCase(
            name: "duration-range: update a duration above max_duration",
            sql: "UPDATE route_duration SET seconds = 10 WHERE route_id = \(veo3) AND seconds = 5",
            refusal: "[duration-range] route_duration.seconds must be in (0, max_duration] (route fal/fal-ai/veo3, value 10, max_duration 8)",
            unchanged: "SELECT seconds FROM route_duration WHERE route_id = \(veo3) ORDER BY seconds"),
        RuleCase(
            name: "duration-range: update a duration below zero",
            sql: "UPDATE route_duration SET seconds = -1 WHERE route_id = \(veo3) AND seconds = 5",
            refusal: "[duration-range] route_duration.seconds must be in (0, max_duration] (route fal/fal-ai/veo3, value -1, max_duration 8)",
            unchanged: "SELECT seconds FROM route_duration WHERE route_id = \(veo3) ORDER BY seconds"),
        RuleCase(
            name: "duration-range: lower route.max_duration below the longest option",
            sql: "UPDATE route SET max_duration = 6 WHERE id = \(veo3)",
            refusal: "[duration-range] route.max_duration must be >= every duration option (route fal/fal-ai/veo3, value 6, longest option 8)",
            unchanged: "SELECT max_duration FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
    ]

    static let defaultNotAnOption: [RuleCase] = [
        RuleCase(
            name: "default-not-an-option: insert a duration default on a route without durations",
            sql: "INSERT INTO route_default (route_id, name, value, position) VALUES (\(gpt4o), 'duration', '8', 0)",
            refusal: "[default-not-an-option] route_default.value must be one of the duration options of the route (route openai/gpt-4o, value 8)",
            unchanged: "SELECT count(*) FROM route_default"),
        RuleCase(
            name: "default-not-an-option: insert an aspect_ratio default on a route without aspect ratios",
            sql: "INSERT INTO route_default (route_id, name, value, position) VALUES (\(gpt4o), 'aspect_ratio', '\"16:9\"', 0)",
            refusal: "[default-not-an-option] route_default.value must be one of the aspect_ratio options of the route (route openai/gpt-4o, value \"16:9\")",
            unchanged: "SELECT count(*) FROM route_default"),
        RuleCase(
            name: "default-not-an-option: insert a resolution default that is not an option",
            sql: "INSERT INTO route_default (route_id, name, value, position) VALUES (\(veo3), 'resolution', '\"1080p\"', 9)",
            refusal: "[default-not-an-option] route_default.value must be one of the resolution options of the route (route fal/fal-ai/veo3, value \"1080p\")",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: update the duration default to a duration that is not an option",
            sql: "UPDATE route_default SET value = '10' WHERE route_id = \(veo3) AND name = 'duration'",
            refusal: "[default-not-an-option] route_default.value must be one of the duration options of the route (route fal/fal-ai/veo3, value 10)",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: update the duration default to a string",
            sql: "UPDATE route_default SET value = '\"8\"' WHERE route_id = \(veo3) AND name = 'duration'",
            refusal: "[default-not-an-option] route_default.value must be one of the duration options of the route (route fal/fal-ai/veo3, value \"8\")",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: update the aspect_ratio default",
            sql: "UPDATE route_default SET value = '\"4:3\"' WHERE route_id = \(veo3) AND name = 'aspect_ratio'",
            refusal: "[default-not-an-option] route_default.value must be one of the aspect_ratio options of the route (route fal/fal-ai/veo3, value \"4:3\")",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: update the resolution default",
            sql: "UPDATE route_default SET value = '\"1080p\"' WHERE route_id = \(sora2) AND name = 'resolution'",
            refusal: "[default-not-an-option] route_default.value must be one of the resolution options of the route (route fal/fal-ai/sora-2/text-to-video, value \"1080p\")",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(sora2) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: rename a default to resolution",
            sql: "UPDATE route_default SET name = 'resolution' WHERE route_id = \(veo3) AND name = 'enhance_prompt'",
            refusal: "[default-not-an-option] route_default.value must be one of the resolution options of the route (route fal/fal-ai/veo3, value true)",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "default-not-an-option: delete the duration that is the default",
            sql: "DELETE FROM route_duration WHERE route_id = \(veo3) AND seconds = 8",
            refusal: "[default-not-an-option] route_duration 8 is the default duration of the route and cannot be removed (route fal/fal-ai/veo3)",
            unchanged: "SELECT seconds FROM route_duration WHERE route_id = \(veo3) ORDER BY seconds"),
        RuleCase(
            name: "default-not-an-option: delete the aspect ratio that is the default",
            sql: "DELETE FROM route_aspect_ratio WHERE route_id = \(veo3) AND value = '16:9'",
            refusal: "[default-not-an-option] route_aspect_ratio \"16:9\" is the default aspect_ratio of the route and cannot be removed (route fal/fal-ai/veo3)",
            unchanged: "SELECT value, position FROM route_aspect_ratio WHERE route_id = \(veo3) ORDER BY position"),
        RuleCase(
            name: "default-not-an-option: delete the resolution that is the default",
            sql: "DELETE FROM route_resolution WHERE route_id = \(sora2) AND value = '720p'",
            refusal: "[default-not-an-option] route_resolution \"720p\" is the default resolution of the route and cannot be removed (route fal/fal-ai/sora-2/text-to-video)",
            unchanged: "SELECT value, position FROM route_resolution WHERE route_id = \(sora2) ORDER BY position"),
    ]

    static let vocabulary: [RuleCase] = [
        RuleCase(
            name: "unknown-category: insert",
            sql: "INSERT INTO route_category (route_id, category_id, key, position) VALUES (\(veo3), 'text_to_hologram', 'veo3', 99)",
            refusal: "[unknown-category] route_category.category_id must name a known category (route fal/fal-ai/veo3, value \"text_to_hologram\")",
            unchanged: "SELECT category_id, key FROM route_category WHERE route_id = \(veo3)"),
        RuleCase(
            name: "unknown-category: update",
            sql: "UPDATE route_category SET category_id = 'text_to_hologram' WHERE route_id = \(veo3)",
            refusal: "[unknown-category] route_category.category_id must name a known category (route fal/fal-ai/veo3, value \"text_to_hologram\")",
            unchanged: "SELECT category_id, key FROM route_category WHERE route_id = \(veo3)"),
        RuleCase(
            name: "unknown-status: insert",
            sql: "INSERT INTO model (id, name, status) VALUES ('gpt-4o-next', 'GPT-4o Next', 'retired')",
            refusal: "[unknown-status] model.status must be one of production, beta, experimental, deprecated (model gpt-4o-next, value \"retired\")",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "unknown-status: update",
            sql: "UPDATE model SET status = 'retired' WHERE id = 'gpt-4o'",
            refusal: "[unknown-status] model.status must be one of production, beta, experimental, deprecated (model gpt-4o, value \"retired\")",
            unchanged: "SELECT status FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "unknown-tier: insert",
            sql: "INSERT INTO model (id, name, tier) VALUES ('gpt-4o-next', 'GPT-4o Next', 'ultra')",
            refusal: "[unknown-tier] model.tier must be one of light, standard, heavy (model gpt-4o-next, value \"ultra\")",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "unknown-tier: update",
            sql: "UPDATE model SET tier = 'ultra' WHERE id = 'gpt-4o'",
            refusal: "[unknown-tier] model.tier must be one of light, standard, heavy (model gpt-4o, value \"ultra\")",
            unchanged: "SELECT ifnull(tier, 'NULL') FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "unknown-unit: insert",
            sql: "INSERT INTO price (route_id, unit, usd, position) VALUES (\(veo3), 'frame', 0.01, 9)",
            refusal: "[unknown-unit] price.unit must name a known unit (route fal/fal-ai/veo3, value \"frame\")",
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "unknown-unit: update",
            sql: "UPDATE price SET unit = 'frame' WHERE route_id = \(veo3) AND variant = 'audio'",
            refusal: "[unknown-unit] price.unit must name a known unit (route fal/fal-ai/veo3, value \"frame\")",
            unchanged: "SELECT unit, variant FROM price WHERE route_id = \(veo3) ORDER BY id"),
        RuleCase(
            name: "duplicate-key: insert a key already used in the category",
            sql: "INSERT INTO route_category (route_id, category_id, key, position) VALUES (\(gpt4o), 'text_to_video', 'veo3', 999)",
            refusal: "[duplicate-key] route_category.key must be unique within a category (category text_to_video, value \"veo3\", already used by route fal/fal-ai/veo3)",
            unchanged: "SELECT count(*) FROM route_category"),
        RuleCase(
            name: "duplicate-key: update a key to one already used in the category",
            sql: "UPDATE route_category SET key = 'veo3' WHERE route_id = \(sora2) AND category_id = 'text_to_video'",
            refusal: "[duplicate-key] route_category.key must be unique within a category (category text_to_video, value \"veo3\", already used by route fal/fal-ai/veo3)",
            unchanged: "SELECT key FROM route_category WHERE route_id = \(sora2) AND category_id = 'text_to_video'"),
    ]

    static let reference: [RuleCase] = [
        RuleCase(
            name: "reference: insert a route with a missing provider",
            sql: "INSERT INTO route (provider_id, wire_id, model_id) VALUES ('acme', 'acme-1', 'gpt-4o')",
            refusal: "[reference] route.provider_id must name an existing provider (route acme/acme-1, value \"acme\")",
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "reference: update route.provider_id to a missing provider",
            sql: "UPDATE route SET provider_id = 'acme' WHERE id = \(gpt4o)",
            refusal: "[reference] route.provider_id must name an existing provider (route acme/gpt-4o, value \"acme\")",
            unchanged: "SELECT provider_id FROM route WHERE wire_id = 'gpt-4o'"),
        RuleCase(
            name: "reference: insert a route with a missing model",
            sql: "INSERT INTO route (provider_id, wire_id, model_id) VALUES ('openai', 'gpt-9', 'gpt-9')",
            refusal: "[reference] route.model_id must name an existing model (route openai/gpt-9, value \"gpt-9\")",
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "reference: update route.model_id to a missing model",
            sql: "UPDATE route SET model_id = 'gpt-9' WHERE id = \(gpt4o)",
            refusal: "[reference] route.model_id must name an existing model (route openai/gpt-4o, value \"gpt-9\")",
            unchanged: "SELECT model_id FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "reference: route.id cannot change",
            sql: "UPDATE route SET id = 999 WHERE id = \(veo3)",
            refusal: "[reference] route.id cannot change (route fal/fal-ai/veo3)",
            unchanged: "SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "reference: delete a provider routes use",
            setup: "INSERT INTO provider (id, name) VALUES ('acme', 'Acme'); INSERT INTO route (provider_id, wire_id, model_id) VALUES ('acme', 'gpt-4o', 'gpt-4o'), ('acme', 'gpt-4o-eu', 'gpt-4o');",
            sql: "DELETE FROM provider WHERE id = 'acme'",
            refusal: "[reference] provider \"acme\" cannot be deleted while 2 routes use it",
            unchanged: "SELECT count(*) FROM provider"),
        RuleCase(
            name: "reference: change provider.id while routes use it",
            sql: "UPDATE provider SET id = 'openai-platform' WHERE id = 'openai'",
            refusal: "[reference] provider.id cannot change while routes use it (provider \"openai\", value \"openai-platform\")",
            unchanged: "SELECT id FROM provider ORDER BY id"),
        RuleCase(
            name: "reference: delete a model a route uses",
            sql: "DELETE FROM model WHERE id = 'gpt-4o'",
            refusal: "[reference] model \"gpt-4o\" cannot be deleted while routes or successor links use it",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "reference: delete a model that is another's successor",
            setup: "INSERT INTO model (id, name) VALUES ('gpt-4o-next', 'GPT-4o Next'); UPDATE model SET successor_id = 'gpt-4o-next' WHERE id = 'gpt-4o';",
            sql: "DELETE FROM model WHERE id = 'gpt-4o-next'",
            refusal: "[reference] model \"gpt-4o-next\" cannot be deleted while routes or successor links use it",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "reference: change model.id while routes use it",
            sql: "UPDATE model SET id = 'gpt-4o-2024' WHERE id = 'gpt-4o'",
            refusal: "[reference] model.id cannot change while routes or successor links use it (model \"gpt-4o\", value \"gpt-4o-2024\")",
            unchanged: "SELECT count(*) FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "reference: change model.id while a successor link uses it",
            setup: "INSERT INTO model (id, name) VALUES ('gpt-4o-next', 'GPT-4o Next'); UPDATE model SET successor_id = 'gpt-4o-next' WHERE id = 'gpt-4o';",
            sql: "UPDATE model SET id = 'gpt-4o-final' WHERE id = 'gpt-4o-next'",
            refusal: "[reference] model.id cannot change while routes or successor links use it (model \"gpt-4o-next\", value \"gpt-4o-final\")",
            unchanged: "SELECT id, ifnull(successor_id, 'NULL') FROM model WHERE id LIKE 'gpt-4o%' ORDER BY id"),
        RuleCase(
            name: "reference: delete a category routes are listed in",
            sql: "DELETE FROM category WHERE id = 'chat'",
            refusal: "[reference] category \"chat\" cannot be deleted while routes are listed in it",
            unchanged: "SELECT count(*) FROM category"),
    ]

    /// Every table hanging off a route, with a row for a route that does not exist (id 999).
    static let childTables: [(table: String, insert: String)] = [
        ("route_category", "INSERT INTO route_category (route_id, category_id, key, position) VALUES (999, 'chat', 'ghost', 999)"),
        ("route_duration", "INSERT INTO route_duration (route_id, seconds) VALUES (999, 5)"),
        ("route_aspect_ratio", "INSERT INTO route_aspect_ratio (route_id, value, position) VALUES (999, '16:9', 0)"),
        ("route_resolution", "INSERT INTO route_resolution (route_id, value, position) VALUES (999, '720p', 0)"),
        ("route_default", "INSERT INTO route_default (route_id, name, value, position) VALUES (999, 'seed', '1', 0)"),
        ("route_feature", "INSERT INTO route_feature (route_id, feature, position) VALUES (999, 'audio', 0)"),
        ("price", "INSERT INTO price (route_id, unit, usd, position) VALUES (999, 'video', 1.0, 0)"),
        ("price_multiplier", "INSERT INTO price_multiplier (route_id, variant, factor, position) VALUES (999, '720p', 2.0, 0)"),
    ]

    /// A child row must name an existing route, on insert and on update of route_id.
    static let childReference: [RuleCase] = [
        RuleCase(
            name: "reference: insert a route_category row for a missing route",
            sql: childTables[0].insert,
            refusal: "[reference] route_category.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_category"),
        RuleCase(
            name: "reference: insert a route_duration row for a missing route",
            sql: childTables[1].insert,
            refusal: "[reference] route_duration.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_duration"),
        RuleCase(
            name: "reference: insert a route_aspect_ratio row for a missing route",
            sql: childTables[2].insert,
            refusal: "[reference] route_aspect_ratio.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_aspect_ratio"),
        RuleCase(
            name: "reference: insert a route_resolution row for a missing route",
            sql: childTables[3].insert,
            refusal: "[reference] route_resolution.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_resolution"),
        RuleCase(
            name: "reference: insert a route_default row for a missing route",
            sql: childTables[4].insert,
            refusal: "[reference] route_default.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_default"),
        RuleCase(
            name: "reference: insert a route_feature row for a missing route",
            sql: childTables[5].insert,
            refusal: "[reference] route_feature.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_feature"),
        RuleCase(
            name: "reference: insert a price row for a missing route",
            sql: childTables[6].insert,
            refusal: "[reference] price.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "reference: insert a price_multiplier row for a missing route",
            sql: childTables[7].insert,
            refusal: "[reference] price_multiplier.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM price_multiplier"),
        RuleCase(
            name: "reference: update route_category.route_id to a missing route",
            sql: "UPDATE route_category SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_category.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_category WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update route_duration.route_id to a missing route",
            sql: "UPDATE route_duration SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_duration.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_duration WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update route_aspect_ratio.route_id to a missing route",
            sql: "UPDATE route_aspect_ratio SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_aspect_ratio.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_aspect_ratio WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update route_resolution.route_id to a missing route",
            sql: "UPDATE route_resolution SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_resolution.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_resolution WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update route_default.route_id to a missing route",
            sql: "UPDATE route_default SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_default.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_default WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update route_feature.route_id to a missing route",
            sql: "UPDATE route_feature SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] route_feature.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM route_feature WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update price.route_id to a missing route",
            sql: "UPDATE price SET route_id = 999 WHERE route_id = \(veo3)",
            refusal: "[reference] price.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM price WHERE route_id = \(veo3)"),
        RuleCase(
            name: "reference: update price_multiplier.route_id to a missing route",
            sql: "UPDATE price_multiplier SET route_id = 999 WHERE route_id = (SELECT id FROM route WHERE route_key = 'fal/fal-ai/ai-avatar/multi')",
            refusal: "[reference] price_multiplier.route_id must name an existing route (value 999)",
            unchanged: "SELECT count(*) FROM price_multiplier WHERE route_id = (SELECT id FROM route WHERE route_key = 'fal/fal-ai/ai-avatar/multi')"),
    ]

    /// fal's endpoint_glob is "[a-z]*/[a-z0-9]*"; openai has none, so only the
    /// built-in shape applies (no blanks, no empty segment, no trailing '/').
    static let endpointShape: [RuleCase] = [
        RuleCase(
            name: "endpoint-shape: insert a route whose endpoint has a blank",
            sql: "INSERT INTO route (provider_id, wire_id, model_id, endpoint) VALUES ('fal', 'fal-ai/veo3/beta', 'veo3', 'fal-ai/veo3 beta')",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"[a-z]*/[a-z0-9]*\" (route fal/fal-ai/veo3/beta, value \"fal-ai/veo3 beta\")",
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "endpoint-shape: update an endpoint to one with a blank",
            sql: "UPDATE route SET endpoint = 'chat completions' WHERE id = \(gpt4o)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"no blanks, no empty segment\" (route openai/gpt-4o, value \"chat completions\")",
            unchanged: "SELECT ifnull(endpoint, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "endpoint-shape: update an endpoint to one with '//'",
            sql: "UPDATE route SET endpoint = 'v1//chat/completions' WHERE id = \(gpt4o)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"no blanks, no empty segment\" (route openai/gpt-4o, value \"v1//chat/completions\")",
            unchanged: "SELECT ifnull(endpoint, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "endpoint-shape: update an endpoint to the empty string",
            sql: "UPDATE route SET endpoint = '' WHERE id = \(gpt4o)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"no blanks, no empty segment\" (route openai/gpt-4o, value \"\")",
            unchanged: "SELECT ifnull(endpoint, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "endpoint-shape: update an endpoint to one ending in '/'",
            sql: "UPDATE route SET endpoint = 'fal-ai/veo3/' WHERE id = \(veo3)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"[a-z]*/[a-z0-9]*\" (route fal/fal-ai/veo3, value \"fal-ai/veo3/\")",
            unchanged: "SELECT endpoint FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "endpoint-shape: update an endpoint to one not matching the provider's endpoint_glob",
            sql: "UPDATE route SET endpoint = 'Fal-ai/veo3' WHERE id = \(veo3)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"[a-z]*/[a-z0-9]*\" (route fal/fal-ai/veo3, value \"Fal-ai/veo3\")",
            unchanged: "SELECT endpoint FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "endpoint-shape: move a route to a provider whose endpoint_glob its endpoint does not match",
            setup: "UPDATE route SET endpoint = 'gpt-4o' WHERE id = \(gpt4o);",
            sql: "UPDATE route SET provider_id = 'fal' WHERE id = \(gpt4o)",
            refusal: "[endpoint-shape] route.endpoint must match the endpoint shape of the provider \"[a-z]*/[a-z0-9]*\" (route fal/gpt-4o, value \"gpt-4o\")",
            unchanged: "SELECT provider_id, endpoint FROM route WHERE wire_id = 'gpt-4o'"),
    ]

    static let json: [RuleCase] = [
        RuleCase(
            name: "json: insert a route whose capabilities is not an object",
            sql: "INSERT INTO route (provider_id, wire_id, model_id, capabilities) VALUES ('openai', 'gpt-4o-x', 'gpt-4o', '[]')",
            refusal: "[json] route.capabilities must be a JSON object (route openai/gpt-4o-x)",
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "json: update route.input_modalities to an object",
            sql: "UPDATE route SET input_modalities = '{}' WHERE id = \(gpt4o)",
            refusal: "[json] route.input_modalities must be a JSON array (route openai/gpt-4o)",
            unchanged: "SELECT ifnull(input_modalities, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "json: update route.capabilities to invalid JSON",
            sql: "UPDATE route SET capabilities = '{\"function_calling\": tru}' WHERE id = \(gpt4o)",
            refusal: "[json] route.capabilities must be a JSON object (route openai/gpt-4o)",
            unchanged: "SELECT capabilities FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "json: update route.extended_params to an object",
            sql: "UPDATE route SET extended_params = '{}' WHERE id = \(veo3)",
            refusal: "[json] route.extended_params must be a JSON array (route fal/fal-ai/veo3)",
            unchanged: "SELECT extended_params FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "json: update route.extended_features to an array",
            sql: "UPDATE route SET extended_features = '[]' WHERE id = \(veo3)",
            refusal: "[json] route.extended_features must be a JSON object (route fal/fal-ai/veo3)",
            unchanged: "SELECT extended_features FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "json: update route.input_requirements to a bare word",
            sql: "UPDATE route SET input_requirements = 'prompt' WHERE id = \(veo3)",
            refusal: "[json] route.input_requirements must be a JSON object (route fal/fal-ai/veo3)",
            unchanged: "SELECT input_requirements FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "json: update route.info to an array",
            sql: "UPDATE route SET info = '[1, 2]' WHERE id = \(veo3)",
            refusal: "[json] route.info must be a JSON object (route fal/fal-ai/veo3)",
            unchanged: "SELECT info FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "json: update route.metadata to JSON null",
            sql: "UPDATE route SET metadata = 'null' WHERE id = \(veo3)",
            refusal: "[json] route.metadata must be a JSON object (route fal/fal-ai/veo3)",
            unchanged: "SELECT metadata FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "json: insert a model whose scores is not an object",
            sql: "INSERT INTO model (id, name, scores) VALUES ('gpt-4o-next', 'GPT-4o Next', '[90]')",
            refusal: "[json] model.scores must be a JSON object (model gpt-4o-next)",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "json: insert a model whose metadata is not an object",
            sql: "INSERT INTO model (id, name, metadata) VALUES ('gpt-4o-next', 'GPT-4o Next', '\"none\"')",
            refusal: "[json] model.metadata must be a JSON object (model gpt-4o-next)",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "json: update model.scores to invalid JSON",
            sql: "UPDATE model SET scores = '{reasoning: 90}' WHERE id = 'gpt-4o'",
            refusal: "[json] model.scores must be a JSON object (model gpt-4o)",
            unchanged: "SELECT scores FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "json: update model.metadata to an array",
            sql: "UPDATE model SET metadata = '[]' WHERE id = 'gpt-4o'",
            refusal: "[json] model.metadata must be a JSON object (model gpt-4o)",
            unchanged: "SELECT metadata FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "json: insert a provider whose env_vars is not an array",
            sql: "INSERT INTO provider (id, name, env_vars) VALUES ('acme', 'Acme', '\"ACME_KEY\"')",
            refusal: "[json] provider.env_vars must be a JSON array (provider acme)",
            unchanged: "SELECT count(*) FROM provider"),
        RuleCase(
            name: "json: update provider.env_vars to invalid JSON",
            sql: "UPDATE provider SET env_vars = 'FAL_KEY' WHERE id = 'fal'",
            refusal: "[json] provider.env_vars must be a JSON array (provider fal)",
            unchanged: "SELECT env_vars FROM provider WHERE id = 'fal'"),
        RuleCase(
            name: "json: insert a route_default whose value is invalid JSON",
            sql: "INSERT INTO route_default (route_id, name, value, position) VALUES (\(veo3), 'seed', '{oops', 9)",
            refusal: "[json] route_default.value must be valid JSON (route fal/fal-ai/veo3, value {oops)",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
        RuleCase(
            name: "json: update a route_default value to invalid JSON",
            sql: "UPDATE route_default SET value = 'yes' WHERE route_id = \(veo3) AND name = 'enhance_prompt'",
            refusal: "[json] route_default.value must be valid JSON (route fal/fal-ai/veo3, value yes)",
            unchanged: "SELECT name, value FROM route_default WHERE route_id = \(veo3) ORDER BY name"),
    ]

    /// Every case, run through both clients.
    /// 1e999 is stored as infinity, which passes a plain `>= 0`: every REAL column refuses it.
    static let notFinite: [RuleCase] = [
        RuleCase(
            name: "not-finite: route.cost_estimate_usd = 1e999",
            sql: "UPDATE route SET cost_estimate_usd = 1e999 WHERE id = \(veo3)",
            refusal: "[not-finite] route.cost_estimate_usd must be a finite number (route fal/fal-ai/veo3, value Inf)",
            unchanged: "SELECT cost_estimate_usd FROM route ORDER BY id"),
        RuleCase(
            name: "not-finite: price.above = 1e999",
            sql: "UPDATE price SET above = 1e999 WHERE route_id = \(veo3) AND variant = 'audio'",
            refusal: "[not-finite] price.above must be a finite number (route fal/fal-ai/veo3, unit second, value Inf)",
            unchanged: "SELECT above FROM price ORDER BY id"),
        RuleCase(
            name: "not-finite: price_multiplier.factor = -1e999",
            sql: "INSERT INTO price_multiplier (route_id, variant, factor, position) VALUES (\(veo3), 'x', 1e999, 9)",
            refusal: "[not-finite] price_multiplier.factor must be a finite number (route fal/fal-ai/veo3, variant x, value Inf)",
            unchanged: "SELECT count(*) FROM price_multiplier"),
        RuleCase(
            name: "not-finite: capability_rule.value = 1e999",
            sql: "INSERT INTO capability_rule (id, kind, value, position) VALUES ('precision:x', 'precision', 1e999, 1)",
            refusal: "[not-finite] capability_rule.value must be a finite number (rule precision:x, value Inf)",
            unchanged: "SELECT count(*) FROM capability_rule"),
    ]

    static let values: [RuleCase] = [
        RuleCase(
            name: "rule-value: a negative default VRAM",
            sql: "UPDATE capability_rule SET value = -8 WHERE kind = 'default_vram'",
            refusal: "[rule-value] capability_rule.value must be > 0 for kind default_vram (rule default_vram:, value -8.0)",
            unchanged: "SELECT id, value FROM capability_rule ORDER BY id"),
        RuleCase(
            name: "rule-value: a quality above 10",
            sql: "INSERT INTO capability_rule (id, kind, match, value, position) VALUES ('quality:x', 'quality', '\"x\"', 11, 1)",
            refusal: "[rule-value] capability_rule.value must be > 0 and at most 10 for kind quality (rule quality:x, value 11.0)",
            unchanged: "SELECT count(*) FROM capability_rule"),
        RuleCase(
            name: "timestamp: route.context_window_observed_at = 'yesterday'",
            sql: "UPDATE route SET context_window_observed_at = 'yesterday' WHERE id = \(gpt4o)",
            refusal: "[timestamp] route.context_window_observed_at must be an ISO 8601 date or UTC time (route openai/gpt-4o, value \"yesterday\")",
            unchanged: "SELECT ifnull(context_window_observed_at, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
    ]

    /// Triggers RuleCoverageTests found no case for: one each.
    static let remaining: [RuleCase] = [
        RuleCase(
            name: "reference: an alias of one model naming another model's route",
            sql: "INSERT INTO alias (name, model_id, route_id) VALUES ('ghost-alias', 'gpt-4o', \(veo3))",
            refusal: #"[reference] alias must name an existing model and, if any, a route of it (alias "ghost-alias", model "gpt-4o")"#,
            unchanged: "SELECT count(*) FROM alias"),
        RuleCase(
            name: "reference: an alias moved to another model's route",
            sql: "UPDATE alias SET route_id = \(veo3) WHERE name = 'claude-3-5-sonnet-latest'",
            refusal: #"[reference] alias must name an existing model and, if any, a route of it (alias "claude-3-5-sonnet-latest", model "claude-3-5-sonnet")"#,
            unchanged: "SELECT name, model_id, ifnull(route_id, 'NULL') FROM alias ORDER BY name"),
        RuleCase(
            name: "not-finite: UPDATE capability_rule SET value = 1e999",
            sql: "UPDATE capability_rule SET value = 1e999 WHERE kind = 'default_vram'",
            refusal: "[not-finite] capability_rule.value must be a finite number (rule default_vram:, value Inf)",
            unchanged: "SELECT id, value FROM capability_rule ORDER BY id"),
        RuleCase(
            name: "not-finite: insert a price threshold of 1e999",
            sql: "INSERT INTO price (route_id, unit, usd, above, above_unit, above_bills, position) VALUES (\(gpt4o), 'input_token', 1.0, 1e999, 'input_token', 'all', 9)",
            refusal: "[not-finite] price.above must be a finite number (route openai/gpt-4o, unit input_token, value Inf)",
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "unknown-unit: insert a threshold counted in an unknown unit",
            sql: "INSERT INTO price (route_id, unit, usd, above, above_unit, above_bills, position) VALUES (\(gpt4o), 'input_token', 1.0, 1000, 'token_x', 'all', 9)",
            refusal: #"[unknown-unit] price.above_unit must name a known unit (route openai/gpt-4o, value "token_x")"#,
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "unknown-unit: update a threshold to an unknown unit",
            sql: "UPDATE price SET above = 1000, above_unit = 'token_x', above_bills = 'all' WHERE route_id = \(gpt4o) AND unit = 'output_token'",
            refusal: #"[unknown-unit] price.above_unit must name a known unit (route openai/gpt-4o, value "token_x")"#,
            unchanged: "SELECT ifnull(above, 'NULL'), ifnull(above_unit, 'NULL') FROM price WHERE route_id = \(gpt4o) ORDER BY id"),
        RuleCase(
            name: "not-finite: UPDATE price_multiplier SET factor = 1e999",
            sql: "UPDATE price_multiplier SET factor = 1e999",
            refusal: "[not-finite] price_multiplier.factor must be a finite number (route fal/fal-ai/ai-avatar/multi, variant 720p, value Inf)",
            unchanged: "SELECT route_id, variant, factor FROM price_multiplier ORDER BY route_id, variant"),
        RuleCase(
            name: "timestamp: insert a route observed 'yesterday'",
            sql: "INSERT INTO route (provider_id, wire_id, model_id, context_window, context_window_observed_at) VALUES ('openai', 'ghost', 'gpt-4o', 1000, 'yesterday')",
            refusal: #"[timestamp] route.context_window_observed_at must be an ISO 8601 date or UTC time (route openai/ghost, value "yesterday")"#,
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "not-finite: insert a route with a cost estimate of 1e999",
            sql: "INSERT INTO route (provider_id, wire_id, model_id, cost_estimate_usd) VALUES ('openai', 'ghost', 'gpt-4o', 1e999)",
            refusal: "[not-finite] route.cost_estimate_usd must be a finite number (route openai/ghost, value Inf)",
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "unknown-policy: store policy 'strict'",
            sql: "INSERT INTO setting (name, value) VALUES ('policy', 'strict')",
            refusal: #"[unknown-policy] setting policy must be off, warn or enforce (value "strict")"#,
            unchanged: "SELECT count(*) FROM setting"),
        RuleCase(
            name: "unknown-policy: change the stored policy to 'strict'",
            setup: "INSERT INTO setting (name, value) VALUES ('policy', 'warn')",
            sql: "UPDATE setting SET value = 'strict' WHERE name = 'policy'",
            refusal: #"[unknown-policy] setting policy must be off, warn or enforce (value "strict")"#,
            unchanged: "SELECT name, value FROM setting"),
        RuleCase(
            name: "pinned-units: store a list with a blank",
            sql: "INSERT INTO setting (name, value) VALUES ('pinned_units', 'solve, verify')",
            refusal: #"[pinned-units] setting pinned_units must be unit types separated by commas, without spaces (value "solve, verify")"#,
            unchanged: "SELECT count(*) FROM setting"),
        RuleCase(
            name: "pinned-units: change the list to one with an empty unit",
            setup: "INSERT INTO setting (name, value) VALUES ('pinned_units', 'solve')",
            sql: "UPDATE setting SET value = 'solve,,verify' WHERE name = 'pinned_units'",
            refusal: #"[pinned-units] setting pinned_units must be unit types separated by commas, without spaces (value "solve,,verify")"#,
            unchanged: "SELECT name, value FROM setting"),
        RuleCase(
            name: "aspect-ratio: insert an aspect ratio that is no W:H",
            sql: "INSERT INTO route_aspect_ratio (route_id, value, position) VALUES (\(veo3), 'wide', 9)",
            refusal: #"[aspect-ratio] route aspect ratios are W:H in whole numbers (16:9) or auto (route fal/fal-ai/veo3, value "wide")"#,
            unchanged: "SELECT count(*) FROM route_aspect_ratio"),
        RuleCase(
            name: "aspect-ratio: change an aspect ratio to 16:9:1",
            sql: "UPDATE route_aspect_ratio SET value = '16:9:1' WHERE route_id = \(veo3) AND value = '16:9'",
            refusal: #"[aspect-ratio] route aspect ratios are W:H in whole numbers (16:9) or auto (route fal/fal-ai/veo3, value "16:9:1")"#,
            unchanged: "SELECT value FROM route_aspect_ratio WHERE route_id = \(veo3) ORDER BY position"),
        RuleCase(
            name: "resolution: insert a resolution that is none",
            sql: "INSERT INTO route_resolution (route_id, value, position) VALUES (\(veo3), 'huge', 9)",
            refusal: #"[resolution] route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route fal/fal-ai/veo3, value "huge")"#,
            unchanged: "SELECT count(*) FROM route_resolution"),
        RuleCase(
            name: "resolution: change a resolution to 720",
            sql: "UPDATE route_resolution SET value = '720' WHERE route_id = \(veo3) AND value = '720p'",
            refusal: #"[resolution] route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route fal/fal-ai/veo3, value "720")"#,
            unchanged: "SELECT value FROM route_resolution WHERE route_id = \(veo3) ORDER BY position"),
        RuleCase(
            name: "zero-price: insert a price of 0 on a paid provider's route",
            sql: "INSERT INTO price (route_id, unit, usd, position) VALUES (\(gpt4o), 'request', 0, 9)",
            refusal: #"[zero-price] a price of 0 on a route of a provider that takes a key needs "free": true; a price not published is null (route openai/gpt-4o, unit request)"#,
            unchanged: "SELECT count(*) FROM price"),
        RuleCase(
            name: "zero-price: set a paid route's output price to 0",
            sql: "UPDATE price SET usd = 0 WHERE route_id = \(gpt4o) AND unit = 'output_token'",
            refusal: #"[zero-price] a price of 0 on a route of a provider that takes a key needs "free": true; a price not published is null (route openai/gpt-4o, unit output_token)"#,
            unchanged: "SELECT usd FROM price WHERE route_id = \(gpt4o) ORDER BY id"),
        RuleCase(
            name: "score-scale: insert a model scored out of 100",
            sql: #"INSERT INTO model (id, name, scores) VALUES ('gpt-4o-next', 'GPT-4o Next', '{"reasoning": 90}')"#,
            refusal: "[score-scale] model.scores are numbers from 0 to 1 (model gpt-4o-next, reasoning 90)",
            unchanged: "SELECT count(*) FROM model"),
        RuleCase(
            name: "score-scale: update a score to a word",
            sql: #"UPDATE model SET scores = '{"coding": "high"}' WHERE id = 'gpt-4o'"#,
            refusal: #"[score-scale] model.scores are numbers from 0 to 1 (model gpt-4o, coding "high")"#,
            unchanged: "SELECT scores FROM model WHERE id = 'gpt-4o'"),
        RuleCase(
            name: "enum: insert a route whose architecture is none of dense, moe",
            sql: #"INSERT INTO route (provider_id, wire_id, model_id, metadata) VALUES ('openai', 'ghost', 'gpt-4o', '{"architecture": "banana"}')"#,
            refusal: #"[enum] route.metadata.architecture must be dense or moe (route openai/ghost, value "banana")"#,
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "enum: update a route's size to huge",
            sql: #"UPDATE route SET metadata = '{"size": "huge"}' WHERE id = \#(gpt4o)"#,
            refusal: #"[enum] route.metadata.size must be compact, small, medium or large (route openai/gpt-4o, value "huge")"#,
            unchanged: "SELECT metadata FROM route WHERE route_key = 'openai/gpt-4o'"),
        RuleCase(
            name: "endpoint-route: insert a route whose endpoint is another model's",
            sql: "INSERT INTO route (provider_id, wire_id, model_id, endpoint) VALUES ('fal', 'fal-ai/veo3/beta', 'veo3', 'fal-ai/veo2')",
            refusal: #"[endpoint-route] route.endpoint must be the wire id of the route, its route key or a URL (route fal/fal-ai/veo3/beta, value "fal-ai/veo2")"#,
            unchanged: "SELECT count(*) FROM route"),
        RuleCase(
            name: "endpoint-route: point a route's endpoint at another model",
            sql: "UPDATE route SET endpoint = 'fal-ai/sora-2/text-to-video' WHERE id = \(veo3)",
            refusal: #"[endpoint-route] route.endpoint must be the wire id of the route, its route key or a URL (route fal/fal-ai/veo3, value "fal-ai/sora-2/text-to-video")"#,
            unchanged: "SELECT endpoint FROM route WHERE route_key = 'fal/fal-ai/veo3'"),
        RuleCase(
            name: "reference: rename a status models use",
            sql: "UPDATE status SET id = 'stable' WHERE id = 'beta'",
            refusal: #"[reference] status.id cannot change while models use it (status "beta", value "stable")"#,
            unchanged: "SELECT id FROM status ORDER BY id"),
        RuleCase(
            name: "reference: delete a tier models use",
            sql: "DELETE FROM tier WHERE id = 'standard'",
            refusal: #"[reference] tier "standard" cannot be deleted while models use it"#,
            unchanged: "SELECT id FROM tier ORDER BY id"),
        RuleCase(
            name: "reference: rename a unit prices use",
            sql: "UPDATE unit SET id = 'sec' WHERE id = 'second'",
            refusal: #"[reference] unit.id cannot change while prices use it (unit "second", value "sec")"#,
            unchanged: "SELECT id FROM unit ORDER BY id"),
    ]

    static let rules: [RuleCase] = priceNegative + durationRange + defaultNotAnOption + vocabulary + notFinite
        + reference + childReference + endpointShape + json + values + remaining

    /// A rule SQLite states itself (CHECK, UNIQUE) with no trigger in front:
    /// SQLite words the message, regdb prefixes the kind of constraint.
    struct ConstraintCase: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        /// SQLite's message, without sqlite3's " (19)" error code.
        var message: String
        /// What regdb names the rule: check or unique.
        var rule: String
        var unchanged: String
        var testDescription: String { name }
    }

    static let constraints: [ConstraintCase] = [
        ConstraintCase(
            name: "unique: a second price row for the same unit and variant",
            sql: "INSERT INTO price (route_id, unit, variant, usd, position) VALUES (\(veo3), 'second', 'audio', 0.9, 9)",
            message: "UNIQUE constraint failed: index 'price_route_unit_variant'", rule: "unique",
            unchanged: "SELECT variant, usd FROM price WHERE route_id = \(veo3) ORDER BY id"),
        ConstraintCase(
            name: "unique: a second route with the same route key",
            sql: "INSERT INTO route (provider_id, wire_id, model_id) VALUES ('openai', 'gpt-4o', 'gpt-4o')",
            message: "UNIQUE constraint failed: route.route_key", rule: "unique",
            unchanged: "SELECT count(*) FROM route"),
        ConstraintCase(
            name: "unique: a feature listed twice",
            sql: "INSERT INTO route_feature (route_id, feature, position) VALUES (\(veo3), 'audio_generation', 9)",
            message: "UNIQUE constraint failed: route_feature.route_id, route_feature.feature", rule: "unique",
            unchanged: "SELECT feature FROM route_feature WHERE route_id = \(veo3) ORDER BY position"),
        ConstraintCase(
            name: "check: provider.id with a '/'",
            sql: "INSERT INTO provider (id, name) VALUES ('acme/eu', 'Acme')",
            message: "CHECK constraint failed: id <> '' AND instr(id, '/') = 0", rule: "check",
            unchanged: "SELECT count(*) FROM provider"),
        ConstraintCase(
            name: "check: empty model.id",
            sql: "INSERT INTO model (id, name) VALUES ('', 'Nameless')",
            message: "CHECK constraint failed: id <> ''", rule: "check",
            unchanged: "SELECT count(*) FROM model"),
        ConstraintCase(
            name: "check: empty route.wire_id",
            sql: "UPDATE route SET wire_id = '' WHERE id = \(gpt4o)",
            message: "CHECK constraint failed: wire_id <> ''", rule: "check",
            unchanged: "SELECT count(*) FROM route WHERE route_key = 'openai/gpt-4o'"),
        ConstraintCase(
            name: "check: route_category.key with a blank",
            sql: "UPDATE route_category SET key = 'veo 3' WHERE route_id = \(veo3)",
            message: "CHECK constraint failed: key <> '' AND key NOT GLOB '*[ \t]*'", rule: "check",
            unchanged: "SELECT key FROM route_category WHERE route_id = \(veo3)"),
        ConstraintCase(
            name: "check: route.context_window must be > 0",
            sql: "UPDATE route SET context_window = 0 WHERE id = \(gpt4o)",
            message: "CHECK constraint failed: context_window > 0", rule: "check",
            unchanged: "SELECT context_window FROM route WHERE route_key = 'openai/gpt-4o'"),
        ConstraintCase(
            name: "check: route.reasoning is 0 or 1",
            sql: "UPDATE route SET reasoning = 2 WHERE id = \(gpt4o)",
            message: "CHECK constraint failed: reasoning IN (0, 1)", rule: "check",
            unchanged: "SELECT ifnull(reasoning, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        ConstraintCase(
            name: "check: route.cost_estimate_usd must be >= 0",
            sql: "UPDATE route SET cost_estimate_usd = -1 WHERE id = \(gpt4o)",
            message: "CHECK constraint failed: cost_estimate_usd >= 0", rule: "check",
            unchanged: "SELECT ifnull(cost_estimate_usd, 'NULL') FROM route WHERE route_key = 'openai/gpt-4o'"),
        ConstraintCase(
            name: "check: empty aspect ratio",
            sql: "INSERT INTO route_aspect_ratio (route_id, value, position) VALUES (\(veo3), '', 9)",
            message: "CHECK constraint failed: value <> ''", rule: "check",
            unchanged: "SELECT count(*) FROM route_aspect_ratio"),
        ConstraintCase(
            name: "check: empty route_default.name",
            sql: "INSERT INTO route_default (route_id, name, value, position) VALUES (\(veo3), '', '1', 9)",
            message: "CHECK constraint failed: name <> ''", rule: "check",
            unchanged: "SELECT count(*) FROM route_default"),
        ConstraintCase(
            name: "check: empty price.variant",
            sql: "INSERT INTO price (route_id, unit, variant, usd, position) VALUES (\(veo3), 'video', '', 1.0, 9)",
            message: "CHECK constraint failed: variant <> ''", rule: "check",
            unchanged: "SELECT count(*) FROM price"),
        ConstraintCase(
            name: "check: price.per must be > 0",
            sql: "UPDATE price SET per = 0 WHERE route_id = \(veo3)",
            message: "CHECK constraint failed: per > 0", rule: "check",
            unchanged: "SELECT per FROM price WHERE route_id = \(veo3) ORDER BY id"),
        ConstraintCase(
            name: "check: price.above must be >= 0",
            sql: "UPDATE price SET above = -1 WHERE route_id = \(veo3)",
            message: "CHECK constraint failed: above >= 0", rule: "check",
            unchanged: "SELECT ifnull(above, 'NULL') FROM price WHERE route_id = \(veo3) ORDER BY id"),
        ConstraintCase(
            name: "check: price_multiplier.factor must be > 0",
            sql: "INSERT INTO price_multiplier (route_id, variant, factor, position) VALUES (\(veo3), '720p', 0, 0)",
            message: "CHECK constraint failed: factor > 0", rule: "check",
            unchanged: "SELECT count(*) FROM price_multiplier"),
    ]
}

@Suite struct RulesTests {
    /// Each rule refuses its statement through both clients, with its exact
    /// message, and the registry is left exactly as it was.
    @Test(arguments: RulesTests.rules, Client.allCases)
    func refusedWithItsMessage(_ rule: RuleCase, through client: Client) throws {
        try expectRefusal(rule.sql, through: client, setup: rule.setup, unchanged: rule.unchanged,
                          sqlite3Stderr: "Runtime error near line 1: JSON path error near '\(rule.refusal)'\n",
                          regdbStderr: "registry.db: error: \(rule.refusal)\n")
    }

    /// CHECK and UNIQUE constraints refuse with SQLite's words, through both
    /// clients, and the registry is left exactly as it was.
    @Test(arguments: RulesTests.constraints, Client.allCases)
    func refusedByConstraint(_ constraint: ConstraintCase, through client: Client) throws {
        try expectRefusal(constraint.sql, through: client, unchanged: constraint.unchanged,
                          sqlite3Stderr: "Runtime error near line 1: \(constraint.message) (19)\n",
                          regdbStderr: "registry.db: error: [\(constraint.rule)] \(constraint.message)\n")
    }

    /// The case the README shows, spelled out: not one price moves.
    @Test(arguments: Client.allCases)
    func updatingEveryPriceToMinusOneChangesNoPrice(through client: Client) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let prices = "SELECT id, usd FROM price ORDER BY id"
        let before = try query(db, prices)
        #expect(before.split(separator: "\n").count > 100)
        #expect(try query(db, "SELECT count(*) FROM price WHERE usd < 0") == "0\n")

        let result = try execute("UPDATE price SET usd = -1", through: client, in: dir)

        let refusal = "[price-negative] price.usd must be a finite number >= 0 (route amazon-bedrock/moonshot.kimi-k2-thinking, unit input_token, value -1.0)"
        #expect(result.status == 1)
        switch client {
        case .sqlite3: #expect(result.stderr == "Runtime error near line 1: JSON path error near '\(refusal)'\n")
        case .regdbSQL: #expect(result.stderr == "registry.db: error: \(refusal)\n")
        }
        #expect(try query(db, prices) == before)
        #expect(try query(db, "SELECT count(*) FROM price WHERE usd = -1") == "0\n")
    }

    /// route_delete removes every row hanging off the route, also in plain
    /// sqlite3 where foreign_keys is OFF, and leaves other routes' rows alone.
    @Test(arguments: Client.allCases)
    func deletingARouteRemovesItsChildren(through client: Client) throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let children = RulesTests.childTables.map(\.table)
        func counts(_ whereClause: String) throws -> [String: Int] {
            var result: [String: Int] = [:]
            for table in children {
                result[table] = Int(try query(db, "SELECT count(*) FROM \(table) \(whereClause)")
                    .trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return result
        }
        let ownBefore = try counts("WHERE route_id = \(veo3)")
        let otherBefore = try counts("WHERE route_id <> \(veo3)")
        // veo3 has rows in every child table but price_multiplier.
        for table in children where table != "price_multiplier" {
            #expect(ownBefore[table, default: 0] > 0, "veo3 has no \(table) rows to delete")
        }
        let routesBefore = try #require(Int(query(db, "SELECT count(*) FROM route").dropLast()))
        let id = try query(db, "SELECT id FROM route WHERE route_key = 'fal/fal-ai/veo3'")
            .trimmingCharacters(in: .whitespacesAndNewlines)

        if client == .sqlite3 {
            #expect(try query(db, "PRAGMA foreign_keys") == "0\n", "sqlite3 should run with foreign_keys OFF")
        }
        let result = try execute("DELETE FROM route WHERE route_key = 'fal/fal-ai/veo3'", through: client, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")

        #expect(try query(db, "SELECT count(*) FROM route") == "\(routesBefore - 1)\n")
        let ownAfter = try counts("WHERE route_id = \(id)")
        for table in children {
            #expect(ownAfter[table] == 0, "\(table) still has rows of the deleted route")
        }
        #expect(try counts("") == otherBefore, "rows of other routes changed")
        #expect(try query(db, "SELECT count(*) FROM rule_violation") == "0\n")
    }

    /// rule_violation is empty on the imported seeds, and regdb check agrees.
    @Test func ruleViolationIsEmptyOnTheSeeds() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        #expect(try query(db, "SELECT count(*) FROM rule_violation") == "0\n")

        let viaRegdb = try regdb("sql", "SELECT * FROM rule_violation", "--db", "registry.db", "--format", "csv", in: dir.url)
        #expect(viaRegdb.status == 0)
        #expect(viaRegdb.stdout == "rule,subject_type,subject,message\n")

        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr == "")
    }

    /// A violation that got past the triggers (trigger dropped, CHECK
    /// constraints ignored) shows in rule_violation and fails regdb check.
    @Test func checkReportsAViolationThatBypassedTheTriggers() throws {
        let dir = try TemporaryDirectory()
        let db = try dir.importedRegistry()
        let bypass = try sqlite3(db, """
            PRAGMA ignore_check_constraints = ON;
            DROP TRIGGER price_usd_update;
            UPDATE price SET usd = -2 WHERE route_id = \(veo3) AND variant = 'no_audio';
            """)
        try #require(bypass.status == 0, "\(bypass.stderr)")

        #expect(try query(db, "SELECT * FROM rule_violation") ==
            "price-negative|route|fal/fal-ai/veo3|price.usd must be a finite number >= 0 (route fal/fal-ai/veo3, unit second, variant no_audio, value -2.0)\n")

        let check = try regdb("check", "--db", "registry.db", in: dir.url)
        #expect(check.status == 1)
        #expect(check.stderrLines.contains(
            "registry.db: error: [price-negative] price.usd must be a finite number >= 0 (route fal/fal-ai/veo3, unit second, variant no_audio, value -2.0)"),
            "\(check.stderr)")
    }
}

// MARK: - Former gaps in schema.sql

extension RulesTests {
    /// A statement that once broke a rule unnoticed (found while writing these
    /// tests); each is now refused under the rule it would break.
    struct Gap: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var rule: String
        var testDescription: String { name }
    }

    static let gaps: [Gap] = [
        Gap(name: "changing the duration that is the default",
            sql: "UPDATE route_duration SET seconds = 4 WHERE route_id = \(veo3) AND seconds = 8", rule: "default-not-an-option"),
        Gap(name: "changing the aspect ratio that is the default",
            sql: "UPDATE route_aspect_ratio SET value = '4:3' WHERE route_id = \(veo3) AND value = '16:9'", rule: "default-not-an-option"),
        Gap(name: "changing the resolution that is the default",
            sql: "UPDATE route_resolution SET value = '1080p' WHERE route_id = \(sora2) AND value = '720p'", rule: "default-not-an-option"),
        Gap(name: "moving a default to a route without that option",
            sql: "UPDATE route_default SET route_id = \(gpt4o) WHERE route_id = \(veo3) AND name = 'duration'", rule: "default-not-an-option"),
        Gap(name: "moving a duration to a route with a lower max_duration",
            sql: "UPDATE route_duration SET route_id = (SELECT id FROM route WHERE route_key = 'fal/fal-ai/minimax/hailuo-02/pro/text-to-video') WHERE route_id = \(veo3) AND seconds = 7",
            rule: "duration-range"),
        Gap(name: "changing provider.endpoint_glob so endpoints no longer match",
            sql: "UPDATE provider SET endpoint_glob = 'api/*' WHERE id = 'fal'", rule: "endpoint-shape"),
        Gap(name: "UPDATE route SET rowid", sql: "UPDATE route SET rowid = 999 WHERE id = \(veo3)", rule: "reference"),
        Gap(name: "deleting a unit prices use", sql: "DELETE FROM unit WHERE id = 'second'", rule: "reference"),
        Gap(name: "renaming a category routes are listed in",
            sql: "UPDATE category SET id = 'text_to_movie' WHERE id = 'text_to_video'", rule: "reference"),
        Gap(name: "deleting a status models use", sql: "DELETE FROM status WHERE id = 'beta'", rule: "reference"),
        Gap(name: "renaming a tier models use", sql: "UPDATE tier SET id = 'medium' WHERE id = 'standard'", rule: "reference"),
    ]

    @Test(arguments: RulesTests.gaps)
    func formerGapIsRefused(_ gap: Gap) throws {
        for client in Client.allCases {
            let dir = try TemporaryDirectory()
            let db = try dir.importedRegistry()
            let before = try query(db, ".dump")
            let result = try execute(gap.sql, through: client, in: dir)
            #expect(result.status != 0, "accepted through \(client.testDescription): \(gap.sql)")
            #expect(result.stderr.contains("[\(gap.rule)]"), "\(client.testDescription): \(result.stderr)")
            #expect(try query(db, "SELECT count(*) FROM rule_violation") == "0\n")
            #expect(try query(db, ".dump") == before)
        }
    }
}

extension RulesTests {
    /// model.deprecation_date's CHECK quotes a GLOB with '[': both clients print SQLite's own message.
    @Test(arguments: Client.allCases)
    func checkConstraintQuotingAGlobKeepsItsMessage(through client: Client) throws {
        let message = "CHECK constraint failed: deprecation_date IS NULL OR deprecation_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"
        try expectRefusal("UPDATE model SET deprecation_date = 'soon' WHERE id = 'gpt-4o'", through: client,
                          unchanged: "SELECT ifnull(deprecation_date, 'NULL') FROM model WHERE id = 'gpt-4o'",
                          sqlite3Stderr: "Runtime error near line 1: \(message) (19)\n",
                          regdbStderr: "registry.db: error: [check] \(message)\n")
    }
}

// MARK: - Helpers

/// Runs `sql` through `client` on a fresh registry (after `setup`, through
/// sqlite3) and expects it refused with exactly `sqlite3Stderr` or
/// `regdbStderr`, nothing on stdout, and no change: neither in `unchanged`'s
/// rows nor anywhere in the database's `.dump`.
private func expectRefusal(_ sql: String, through client: RulesTests.Client, setup: String? = nil, unchanged: String,
                           sqlite3Stderr: String, regdbStderr: String,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dir = try TemporaryDirectory()
    let db = try dir.copiedRegistry()
    if let setup {
        let prepared = try sqlite3(db, setup)
        try #require(prepared.status == 0, "setup failed: \(prepared.stderr)", sourceLocation: sourceLocation)
    }
    let probeBefore = try query(db, unchanged)
    let dumpBefore = try query(db, ".dump")
    #expect(!probeBefore.isEmpty, sourceLocation: sourceLocation)

    let result = try execute(sql, through: client, in: dir)

    switch client {
    case .sqlite3:
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr == sqlite3Stderr, sourceLocation: sourceLocation)
    case .regdbSQL:
        #expect(result.status == 1, sourceLocation: sourceLocation)
        #expect(result.stderr == regdbStderr, sourceLocation: sourceLocation)
    }
    #expect(result.stdout == "", sourceLocation: sourceLocation)
    #expect(try query(db, unchanged) == probeBefore, "the refused statement changed: \(unchanged)", sourceLocation: sourceLocation)
    #expect(try query(db, ".dump") == dumpBefore, "the refused statement changed the registry", sourceLocation: sourceLocation)
}

/// Runs one refused-or-accepted statement the way a user at the shell would.
private func execute(_ sql: String, through client: RulesTests.Client, in dir: TemporaryDirectory) throws -> ProcessResult {
    switch client {
    case .sqlite3:
        return try sqlite3(dir.file("registry.db"), sql + ";\n")
    case .regdbSQL:
        return try regdb("sql", "--write", sql, "--db", "registry.db", in: dir.url)
    }
}

/// The output of a read-only query (or dot command) through sqlite3; it must succeed.
private func query(_ db: URL, _ sql: String) throws -> String {
    let result = try sqlite3(db, sql.hasPrefix(".") ? sql + "\n" : sql + ";\n")
    guard result.status == 0, result.stderr.isEmpty else {
        throw FixtureError(message: "query failed: \(sql): \(result.stderr)")
    }
    return result.stdout
}
