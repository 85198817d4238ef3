-- regdb schema: the single source of truth for AI model metadata.
--
-- This file is the only place the schema is written. `regdb` embeds it at
-- build time; it also works by hand:
--
--     sqlite3 registry.db < schema.sql
--
-- Every statement is idempotent (IF NOT EXISTS, INSERT OR IGNORE), so
-- applying it to a database that already has it changes nothing.
--
-- Layout
--   vocabulary   category, tier, status, unit          fixed word lists
--   catalog      provider, model, route, route_*       what the seeds say
--   names        alias, name_rule, model_name          every name callers write, one resolver
--   pricing      price, price_multiplier               one row per priced unit
--   bookkeeping  source                                which file gave what
--   views        category_models … model_info          the old constants files
--
-- Rules
--   Every rule lives here, as a CHECK, UNIQUE or FOREIGN KEY where SQLite can
--   say it, and as a trigger where it cannot or where the message must quote
--   the offending row. Plain `sqlite3` runs with foreign_keys OFF, so every
--   reference is also guarded by triggers: an ad-hoc edit is held to the same
--   rules as `regdb import`.
--
--   Trigger messages have one shape:
--       [rule-id] table.column must … (route R, value V)
--   SQLite 3.40's RAISE() accepts only a literal, which cannot quote the
--   row. Triggers therefore raise through json_extract() with a path that is
--   the message itself; SQLite reports it as
--       JSON path error near '[rule-id] table.column must …'
--   and `regdb` prints the part inside the quotes. Triggers use built-in
--   functions only, so plain `sqlite3` enforces them too.
--
-- Conventions
--   Ids are TEXT and case-sensitive. A route key is provider_id || '/' ||
--   wire_id; provider ids never contain '/', so a route key splits at its
--   first '/'. Money is USD as REAL. Durations are whole seconds. Unknown
--   values are NULL, never 0. JSON columns hold valid JSON of the stated type.
--   Each table's paragraph sits inside its CREATE TABLE, so `sqlite3
--   registry.db '.schema route'` shows it.

PRAGMA application_id = 1382377284;  -- 0x52656744, "RegD": this file is a regdb registry
PRAGMA user_version = 11;            -- schema version; regdb upgrades 1 to 10 and refuses others

------------------------------------------------------------------------------
-- Vocabulary
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS category (
    -- What a route does for its callers. A route is listed in a category under the
    -- key that category's consumers know it by (route_category). Media categories
    -- come from the media pipeline (design doc 000); `chat` holds LLM routes.
    id          TEXT PRIMARY KEY,          -- snake_case, e.g. text_to_video
    kind        TEXT NOT NULL              -- media: endpoint and price required; llm: API categories, neither
                CHECK (kind IN ('media', 'llm')),
    description TEXT NOT NULL
) STRICT;

INSERT OR IGNORE INTO category (id, kind, description) VALUES
    ('text_to_video',       'media', 'Video from a text prompt'),
    ('image_to_video',      'media', 'Video from a start image (and optional end frame or references)'),
    ('avatar',              'media', 'Talking or moving person from an image, audio or reference video'),
    ('video_to_video',      'media', 'Edit or restyle an existing video'),
    ('add_audio',           'media', 'Add sound to a silent video'),
    ('upscale_video',       'media', 'Raise the resolution or frame rate of a video'),
    ('text_to_image',       'media', 'Image from a text prompt'),
    ('image_to_image',      'media', 'Edit, restyle or upscale an image'),
    ('image_understanding', 'media', 'Describe, classify or read an image'),
    ('prompt_generation',   'media', 'Write or enhance prompts for generation'),
    ('text_to_speech',      'media', 'Speech audio from text'),
    ('speech_to_text',      'media', 'Transcript from speech audio'),
    ('chat',                'llm',   'Conversational LLM (chat or responses API)'),
    -- LiteLLM's modes, so its catalog keeps them as categories.
    ('completion',          'llm',   'Text completion API'),
    ('responses',           'llm',   'Responses API'),
    ('realtime',            'llm',   'Realtime (streaming audio/text) API'),
    ('embedding',           'llm',   'Vector embeddings of text or images'),
    ('rerank',              'llm',   'Reranking of documents for a query'),
    ('moderation',          'llm',   'Content moderation'),
    ('image_generation',    'llm',   'Image generation API (LiteLLM mode)'),
    ('image_edit',          'llm',   'Image editing API (LiteLLM mode)'),
    ('video_generation',    'llm',   'Video generation API (LiteLLM mode)'),
    ('audio_transcription', 'llm',   'Speech to text API (LiteLLM mode)'),
    ('audio_speech',        'llm',   'Text to speech API (LiteLLM mode)'),
    ('search',              'llm',   'Web search API'),
    ('ocr',                 'llm',   'Document OCR API'),
    ('evaluation',          'llm',   'Evaluation API'),
    ('vector_store',        'llm',   'Vector store API');

CREATE TABLE IF NOT EXISTS package (
    -- A provider package of design doc 000's pipeline: one constants module
    -- (`regdb export constants --package ID`) holding every model of its
    -- categories. video-to-video holds its edits and the audio and upscale
    -- models the core pipeline files under add_audio and upscale_video.
    id          TEXT PRIMARY KEY CHECK (id <> ''),   -- kebab-case, as the pipeline's package folders
    description TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS package_category (
    package_id  TEXT NOT NULL REFERENCES package (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES category (id),
    position    INTEGER NOT NULL,          -- the module lists its categories' models in this order
    PRIMARY KEY (package_id, category_id)
) STRICT;

INSERT OR IGNORE INTO package (id, description) VALUES
    ('text-to-image',     'fal text-to-image models (packages/providers/fal/text-to-image)'),
    ('text-to-video',     'fal text-to-video models (packages/providers/fal/text-to-video)'),
    ('image-to-image',    'fal image editing models (packages/providers/fal/image-to-image)'),
    ('image-to-video',    'fal image-to-video models (packages/providers/fal/image-to-video)'),
    ('avatar-generation', 'fal avatar models (packages/providers/fal/avatar-generation)'),
    ('video-to-video',    'fal video editing, audio and upscale models (packages/providers/fal/video-to-video)'),
    ('speech-to-text',    'fal speech-to-text models (packages/providers/fal/speech-to-text)');

INSERT OR IGNORE INTO package_category (package_id, category_id, position) VALUES
    ('text-to-image', 'text_to_image', 1),
    ('text-to-video', 'text_to_video', 1),
    ('image-to-image', 'image_to_image', 1),
    ('image-to-video', 'image_to_video', 1),
    ('avatar-generation', 'avatar', 1),
    ('video-to-video', 'add_audio', 1),
    ('video-to-video', 'upscale_video', 2),
    ('video-to-video', 'video_to_video', 3),
    ('speech-to-text', 'speech_to_text', 1);

CREATE TABLE IF NOT EXISTS tier (
    -- Capability tiers of design doc 004. A model with no tier reads as
    -- 'standard' in queries; that default is not stored as a fact.
    id    TEXT PRIMARY KEY,                -- light | standard | heavy
    rank  INTEGER NOT NULL UNIQUE          -- 1 lightest
) STRICT;

INSERT OR IGNORE INTO tier (id, rank) VALUES ('light', 1), ('standard', 2), ('heavy', 3);

CREATE TABLE IF NOT EXISTS status (
    -- Lifecycle status of design doc 002.
    id          TEXT PRIMARY KEY,
    description TEXT NOT NULL
) STRICT;

INSERT OR IGNORE INTO status (id, description) VALUES
    ('production',   'Fully supported, tested, recommended'),
    ('beta',         'Working but may have issues'),
    ('experimental', 'Use at own risk, may not work'),
    ('deprecated',   'Will be removed; migrate to the successor');

CREATE TABLE IF NOT EXISTS unit (
    -- Units a price can be quoted in. `measure` names what a call supplies to be
    -- multiplied by the price: `regdb cost --seconds 8` prices every unit whose
    -- measure is seconds; `--usage UNIT=N` gives one unit's quantity directly.
    -- Per-call units (video, request) count once per call.
    --
    -- Usage is counted the way provider APIs report it: input_token is every
    -- prompt token, cached ones included (OpenAI's prompt_tokens, Gemini's
    -- promptTokenCount); output_token every completion token, reasoning included.
    -- Some of those tokens are billed at a rate of their own: unit_part says which
    -- units are parts of which (cache_read_token of input_token). Where a route
    -- prices a part, the part's tokens are billed at the part's rate and not
    -- again at the whole's; where it does not, they stay in the whole.
    id          TEXT PRIMARY KEY,
    measure     TEXT NOT NULL              -- what a call supplies; see the list in the CHECK
                CHECK (measure IN ('seconds', 'minutes', 'images', 'input_images', 'megapixels', 'pixels',
                                   'characters', 'output_characters', 'pages', 'queries', 'input_tokens',
                                   'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'calls',
                                   'input_audio_tokens', 'output_audio_tokens', 'cache_read_audio_tokens',
                                   'input_image_tokens', 'output_image_tokens', 'input_video_tokens',
                                   'reasoning_tokens', 'cache_write_1h_tokens', 'web_search_requests')),
    description TEXT NOT NULL
) STRICT;

INSERT OR IGNORE INTO unit (id, measure, description) VALUES
    ('second',            'seconds',            'Second of generated (output) media'),
    ('input_second',      'seconds',            'Second of input media processed'),
    ('minute',            'minutes',            'Minute of media processed'),
    ('video',             'calls',              'One generated video, whatever its length'),
    ('request',           'calls',              'One API request'),
    ('image',             'images',             'One generated image'),
    ('megapixel',         'megapixels',         'One megapixel of output'),
    ('character',         'characters',         'One character of input text'),
    ('input_token',       'input_tokens',       'One prompt token, cached or not'),
    ('output_token',      'output_tokens',      'One completion token, reasoning included'),
    ('cache_read_token',  'cache_read_tokens',  'One prompt token read from cache'),
    ('cache_write_token', 'cache_write_tokens', 'One prompt token written to cache'),
    ('input_image',       'input_images',       'One image given as input'),
    ('pixel',             'pixels',             'One pixel of output'),
    ('input_pixel',       'pixels',             'One pixel of input'),
    ('output_character',  'output_characters',  'One character of output text'),
    ('page',              'pages',              'One document page processed'),
    ('query',             'queries',            'One search or grounding query'),
    ('input_audio_token', 'input_audio_tokens', 'One prompt token of audio'),
    ('output_audio_token','output_audio_tokens','One completion token of audio'),
    ('cache_read_audio_token', 'cache_read_audio_tokens', 'One prompt token of audio read from cache'),
    ('input_image_token', 'input_image_tokens', 'One prompt token of an image'),
    ('output_image_token','output_image_tokens','One completion token of an image'),
    ('input_video_token', 'input_video_tokens', 'One prompt token of video'),
    ('reasoning_token',   'reasoning_tokens',   'One completion token spent on reasoning'),
    ('cache_write_1h_token', 'cache_write_1h_tokens', 'One prompt token written to a cache kept an hour (Anthropic)'),
    ('web_search_request', 'web_search_requests', 'One web search a model ran during the call (a per-use tool fee)');

CREATE TABLE IF NOT EXISTS unit_part (
    -- Which units count tokens that are also counted by a larger unit: cached
    -- prompt tokens are prompt tokens. A part may sit in two wholes (cached audio
    -- is cached and audio); `regdb cost` bills every token once, at the rate of
    -- the most specific unit the route prices.
    part  TEXT NOT NULL REFERENCES unit (id),
    whole TEXT NOT NULL REFERENCES unit (id),
    PRIMARY KEY (part, whole)
) STRICT;

INSERT OR IGNORE INTO unit_part (part, whole) VALUES
    ('cache_read_token',       'input_token'),
    ('cache_write_token',      'input_token'),
    ('input_audio_token',      'input_token'),
    ('input_image_token',      'input_token'),
    ('input_video_token',      'input_token'),
    ('cache_read_audio_token', 'cache_read_token'),
    ('cache_read_audio_token', 'input_audio_token'),
    ('output_audio_token',     'output_token'),
    ('output_image_token',     'output_token'),
    ('reasoning_token',        'output_token'),
    ('cache_write_1h_token',   'cache_write_token');

------------------------------------------------------------------------------
-- Bookkeeping
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS source (
    -- Where facts come from. Every import names a source and its kind; the kind
    -- sets its precedence: catalog < builtin < server < file < override (between
    -- two sources of one kind, the later import wins). A public catalog (LiteLLM,
    -- models.dev, genai-prices; what `regdb refresh` fetches) is `catalog`: it
    -- fills what the reviewed seeds (builtin) do not say and never replaces what
    -- they do. An import whose content hash equals the stored one writes nothing.
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,     -- --source NAME, else the file path as imported
    kind         TEXT NOT NULL DEFAULT 'builtin'
                 CHECK (kind IN ('catalog', 'builtin', 'server', 'file', 'override')),
    content_hash TEXT NOT NULL,            -- sha256 of the imported bytes, lowercase hex
    imported_at  TEXT NOT NULL,            -- ISO 8601 UTC, e.g. 2026-11-21T05:36:07Z
    import_seq   INTEGER NOT NULL DEFAULT 0  -- rises with every import: orders sources of one kind
) STRICT;

CREATE TABLE IF NOT EXISTS claim (
    -- What each source says: one row per provider, model, route or rule it
    -- describes, holding the entity's whole seed object (a nested route's with its
    -- enclosing model as "model" when it names none). Sources are merged field by
    -- field: maps key by key (defaults.duration, categories.text_to_video) and
    -- prices row by row (pricing.second.audio), so an override can change one price
    -- or one default and leave the rest to the seeds. The catalog tables below are
    -- materialized from these claims: for each field the non-null value of the
    -- source with the highest precedence wins. `regdb why` reads them.
    source_id   INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    entity      TEXT NOT NULL CHECK (entity IN ('provider', 'model', 'route', 'rule')),
    entity_id   TEXT NOT NULL,             -- provider id, model id, route key or rule id
    value       TEXT NOT NULL CHECK (json_valid(value)),  -- the entity's seed object, JSON
    seq         INTEGER NOT NULL,          -- order within the source, so lists and maps keep seed order
    path        TEXT NOT NULL,             -- JSON path of the entity in the source file
    observed_at TEXT NOT NULL,             -- ISO 8601 UTC: when the source said it
    PRIMARY KEY (entity, entity_id, source_id)
) STRICT;

CREATE INDEX IF NOT EXISTS claim_source ON claim (source_id);

CREATE TABLE IF NOT EXISTS written_state (
    -- What regdb's last import left: a digest of every table its sources produce
    -- (source, claim and the catalog) and of the vocabulary. `regdb check`
    -- compares the catalog with what the claims produce, and re-runs every rule
    -- over every row, only when the tables no longer match it: when something other
    -- than an import (sqlite3, `regdb sql --write`) has changed them since. An
    -- import finding them changed keeps the edits; `regdb import --force` rebuilds
    -- the whole catalog from its sources. NULL: not known yet (an upgraded file).
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    catalog_digest INTEGER,                -- 64-bit digest; regdb computes it
    written_at     TEXT                    -- ISO 8601 UTC of that import
) STRICT;

INSERT OR IGNORE INTO written_state (id) VALUES (1);

-- Precedence rank of each source: higher wins. Kinds rank builtin < server <
-- file < override; within a kind, the later import ranks higher.
CREATE VIEW IF NOT EXISTS source_precedence (source_id, name, kind, rank) AS
SELECT id, name, kind,
       row_number() OVER (ORDER BY CASE kind WHEN 'catalog' THEN 0 WHEN 'builtin' THEN 1 WHEN 'server' THEN 2
                                                 WHEN 'file' THEN 3 ELSE 4 END,
                                   import_seq, id)
FROM source;

-- Every top-level field each source gives, with its source and whether it is
-- the value in force: the source of highest precedence giving it non-null. Map
-- fields (defaults, categories…) and pricing show whole here, as each source
-- gives them; `regdb why` answers key by key and price row by price row.
CREATE VIEW IF NOT EXISTS provenance (entity, entity_id, field, source, kind, value, observed_at, winner) AS
SELECT entity, entity_id, field, name, kind, value, observed_at,
       rank = max(rank) OVER (PARTITION BY entity, entity_id, field)
FROM (SELECT c.entity, c.entity_id, f.key AS field, p.name, p.kind, p.rank, c.observed_at,
             CASE f.type WHEN 'text' THEN json_quote(f.value) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                         ELSE CAST(f.value AS TEXT) END AS value
      FROM claim c JOIN source_precedence p ON p.source_id = c.source_id, json_each(c.value) f
      WHERE c.entity <> 'rule' AND f.type <> 'null'
      UNION ALL
      SELECT c.entity, c.entity_id, 'rule', p.name, p.kind, p.rank, c.observed_at, c.value
      FROM claim c JOIN source_precedence p ON p.source_id = c.source_id
      WHERE c.entity = 'rule')
ORDER BY entity, entity_id, field, rank DESC;

------------------------------------------------------------------------------
-- Catalog
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS provider (
    -- Who serves models: an API platform (fal, openai), an aggregator
    -- (openrouter) or a host. Secrets are never stored: env_vars names the
    -- variables a caller must set, never their values.
    id            TEXT PRIMARY KEY         -- lowercase, no '/': fal, openai, replicate
                  CHECK (id <> '' AND instr(id, '/') = 0),
    name          TEXT NOT NULL,           -- display name: fal.ai
    base_url      TEXT,                    -- API base URL; NULL unknown
    auth          TEXT,                    -- how to authenticate: bearer | key-header | none; NULL unknown
    env_vars      TEXT NOT NULL DEFAULT '[]',  -- JSON array of environment variable names
    docs_url      TEXT,                    -- documentation home
    endpoint_glob TEXT,                    -- GLOB every route endpoint of this provider matches; NULL any
    source_id     INTEGER REFERENCES source (id) ON DELETE SET NULL
) STRICT;

CREATE TABLE IF NOT EXISTS model (
    -- A canonical model: the thing a route calls, whatever the provider calls it.
    -- `id` is the canonical id (design doc 004): routes of one model on several
    -- providers share it.
    id               TEXT PRIMARY KEY CHECK (id <> ''),
    name             TEXT NOT NULL,        -- display name
    description      TEXT,
    family           TEXT,                 -- e.g. kling, sora, gpt-4o
    status           TEXT REFERENCES status (id),  -- lifecycle; NULL unknown
    successor_id     TEXT REFERENCES model (id)    -- what to migrate to when deprecated
                     DEFERRABLE INITIALLY DEFERRED,
    deprecation_date TEXT                  -- YYYY-MM-DD; NULL none announced
                     CHECK (deprecation_date IS NULL OR deprecation_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    generation       TEXT,                 -- free-form generation tag: k2.5, sonnet-4
    generation_rank  INTEGER,              -- order of the generation within its family, higher newer
                                           -- (k2 1 < k2.5 3 < k2.6 4); NULL unordered. Models of one
                                           -- family and generation agree on it ([generation-rank]).
    tier             TEXT REFERENCES tier (id),    -- NULL reads as standard
    maker            TEXT CHECK (maker <> ''),     -- provider id of who makes it and serves it first-party
                                           -- (openai for gpt-4o): a name that reaches the model, not
                                           -- one route, prefers the maker's route (route_preference)
    scores           TEXT NOT NULL DEFAULT '{}',   -- JSON object of capability scores: {"reasoning": 90, "coding": 85, "speed": 8}
    metadata         TEXT NOT NULL DEFAULT '{}',   -- JSON object: fields a source gave that have no column
    source_id        INTEGER REFERENCES source (id) ON DELETE SET NULL
) STRICT;

CREATE TABLE IF NOT EXISTS route (
    -- One way to call a model: a provider and the id that provider knows it by.
    -- Everything that depends on how the model is called (endpoint, options,
    -- defaults, prices, limits) hangs off the route.
    id                 INTEGER PRIMARY KEY,
    provider_id        TEXT NOT NULL REFERENCES provider (id),
    wire_id            TEXT NOT NULL CHECK (wire_id <> ''),  -- the id sent on the wire
    route_key          TEXT GENERATED ALWAYS AS (provider_id || '/' || wire_id) VIRTUAL,
    model_id           TEXT NOT NULL REFERENCES model (id),  -- canonical model
    name               TEXT,               -- display name on this route; NULL = model.name
    provider_label     TEXT,               -- provider as shown to users ('Google (via FAL)'); NULL = provider.name
    endpoint           TEXT,               -- endpoint path or URL; required in media categories
    api                TEXT,               -- wire format: openai-completions, anthropic-messages… (open set)
    base_url           TEXT,               -- overrides provider.base_url
    context_window     INTEGER CHECK (context_window > 0),     -- tokens
    max_output_tokens  INTEGER CHECK (max_output_tokens > 0),  -- tokens
    max_duration       INTEGER CHECK (max_duration > 0),       -- seconds of output or input media
    cost_estimate_usd  REAL CHECK (cost_estimate_usd >= 0),    -- typical cost of one call
    processing_time_s  INTEGER CHECK (processing_time_s >= 0), -- typical wall time of one call, seconds
    reasoning          INTEGER CHECK (reasoning IN (0, 1)),    -- 1 reasoning model; NULL unknown
    first_party        INTEGER CHECK (first_party IN (0, 1)),  -- 1 the model's maker serves it here (LiteLLM's
                                                               -- bare key, genai-prices' own provider): a
                                                               -- bare name prefers it (route_preference)
    input_modalities   TEXT,               -- JSON array: ["text", "image"]
    capabilities       TEXT NOT NULL DEFAULT '{}',  -- JSON object of flags: {"function_calling": true}
    extended_params    TEXT NOT NULL DEFAULT '[]',  -- JSON array of extra request parameters the route takes
    extended_features  TEXT NOT NULL DEFAULT '{}',  -- JSON object of input features: {"start_frame": true, "end_frame": false}
    input_requirements TEXT NOT NULL DEFAULT '{}',  -- JSON object: {"required": [...], "optional": [...]}
    info               TEXT NOT NULL DEFAULT '{}',  -- JSON object of further facts: {"max_durations": {"1080p": 30}}
    metadata           TEXT NOT NULL DEFAULT '{}',  -- JSON object: fields a source gave that have no column
    priority           INTEGER,            -- failover preference among candidates, lower first; NULL none
    context_window_source TEXT             -- how the context window was learned: server | docs | probe | manual,
                                           -- or file | override: given by a user's file or an override
                       CHECK (context_window_source IN ('server', 'docs', 'probe', 'manual', 'file', 'override')),
    context_window_observed_at TEXT        -- ISO 8601 UTC of that observation ([timestamp])
                       CHECK (context_window_observed_at IS NULL OR datetime(context_window_observed_at) IS NOT NULL),
    available          INTEGER CHECK (available IN (0, 1)),  -- 1 listed by its server, 0 no longer listed; NULL not asked
    source_id          INTEGER REFERENCES source (id) ON DELETE SET NULL,  -- the lowest-precedence source listing the route
    ordinal            INTEGER NOT NULL DEFAULT 0,      -- its position in that source
    UNIQUE (provider_id, wire_id)
) STRICT;

CREATE UNIQUE INDEX IF NOT EXISTS route_route_key ON route (route_key);
CREATE INDEX IF NOT EXISTS route_model_id ON route (model_id);

CREATE TABLE IF NOT EXISTS route_category (
    -- The key by which a category's consumers know a route. One route may be
    -- listed in several categories; one key means one route within a category,
    -- while the same key may name different routes in different categories
    -- (sora_2 in text_to_video and image_to_video).
    route_id    INTEGER NOT NULL REFERENCES route (id),
    category_id TEXT NOT NULL REFERENCES category (id),
    key         TEXT NOT NULL              -- e.g. kling_3_standard; no white space
                CHECK (key <> '' AND key NOT GLOB '*[ 	]*'),
    position    INTEGER NOT NULL,          -- order the seeds give, across all seed files
    PRIMARY KEY (route_id, category_id),
    UNIQUE (category_id, key)
) STRICT;

-- Finding a name among every category's keys (`regdb get`, `regdb cost`) without a scan.
CREATE INDEX IF NOT EXISTS route_category_key ON route_category (key);

CREATE TABLE IF NOT EXISTS alias (
    -- Names callers write for a model or one of its routes besides its ids: a
    -- provider's moving alias (Anthropic's claude-3-5-sonnet-latest reaches the
    -- snapshot it serves now), a local runtime's tag (kimi-k2.5:cloud), a
    -- catalog's plain match name. Filled from the seeds' and catalogs' `aliases`
    -- (a model's names its model, a route's its route); `model_name` below lists
    -- every name with how it matches.
    name      TEXT NOT NULL                -- as callers write it; no white space
              CHECK (name <> '' AND name NOT GLOB '*[ 	]*'),
    model_id  TEXT NOT NULL REFERENCES model (id),
    route_id  INTEGER REFERENCES route (id)  -- the route it reaches; NULL the model (its preferred route)
) STRICT;

CREATE UNIQUE INDEX IF NOT EXISTS alias_name_target ON alias (name, model_id, ifnull(route_id, 0));
CREATE INDEX IF NOT EXISTS alias_name_nocase ON alias (name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS alias_model ON alias (model_id);
CREATE INDEX IF NOT EXISTS alias_route ON alias (route_id);

-- Resolving a name by any of its spellings: these answer `model_name` queries
-- with an index at catalog scale. They ignore case; an exact lookup adds the
-- exact test with a unary plus, which keeps SQLite on the index:
--     WHERE name = ?1 COLLATE NOCASE AND +name = ?1
-- so one index per column serves both.
CREATE INDEX IF NOT EXISTS route_wire_id_nocase ON route (wire_id COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS route_route_key_nocase ON route (route_key COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS route_litellm_key_nocase ON route (json_extract(metadata, '$.litellm_key') COLLATE NOCASE)
    WHERE json_extract(metadata, '$.litellm_key') IS NOT NULL;
CREATE INDEX IF NOT EXISTS route_category_key_nocase ON route_category (key COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS model_id_nocase ON model (id COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS model_family ON model (family, generation);
CREATE INDEX IF NOT EXISTS model_generation ON model (generation);

CREATE TABLE IF NOT EXISTS name_rule (
    -- How a name a caller writes is reduced to the spelling the registry knows,
    -- tried only when the name as written matches nothing (see `model_name`).
    -- Each rule strips a part that says how or where a model is called, never
    -- which model it is: a vendor prefix (Bedrock's moonshotai.kimi-k2.5), a
    -- tag (Ollama's kimi-k2.5:cloud), a moving alias (-latest) or a snapshot
    -- date (claude-sonnet-4-20250514). Version numbers are never stripped, so
    -- kimi-k2.5 and kimi-k2.6 stay two models. Patterns are GLOBs on the
    -- lower-cased name, applied in `position` order, each at most once: 'prefix'
    -- strips the shortest leading match ('*/' one path segment), 'suffix' the
    -- shortest trailing one; then 'snapshot' strips a date. A route that names no
    -- model (a catalog's) belongs to the model its wire id reduces to: every
    -- snapshot and provider spelling of claude-sonnet-4 is one model.
    kind     TEXT NOT NULL CHECK (kind IN ('prefix', 'suffix', 'snapshot')),
    pattern  TEXT NOT NULL CHECK (pattern <> ''),
    example  TEXT NOT NULL,                -- a name the rule applies to
    position INTEGER NOT NULL,             -- rules apply in this order, each at most once
    PRIMARY KEY (kind, pattern)
) STRICT;

INSERT OR IGNORE INTO name_rule (kind, pattern, example, position) VALUES
    ('prefix',   '*/',                 'moonshotai/kimi-k2.5', 1),
    ('prefix',   'us.',                'us.anthropic.claude-sonnet-4-20250514-v1:0', 2),
    ('prefix',   'eu.',                'eu.anthropic.claude-sonnet-4-20250514-v1:0', 3),
    ('prefix',   'apac.',              'apac.anthropic.claude-sonnet-4-20250514-v1:0', 4),
    ('prefix',   'global.',            'global.anthropic.claude-sonnet-4-20250514-v1:0', 5),
    ('prefix',   'anthropic.',         'anthropic.claude-3-5-sonnet-20240620-v1:0', 6),
    ('prefix',   'moonshotai.',        'moonshotai.kimi-k2.5', 7),
    ('prefix',   'moonshot.',          'moonshot.kimi-k2-thinking', 8),
    ('prefix',   'openai.',            'openai.gpt-oss-120b-1:0', 9),
    ('prefix',   'meta.',              'meta.llama3-70b-instruct-v1:0', 11),
    ('prefix',   'mistral.',           'mistral.mistral-large-2402-v1:0', 12),
    ('prefix',   'qwen.',              'qwen.qwen3-32b-v1:0', 13),
    ('suffix',   ':cloud',             'kimi-k2.5:cloud', 14),
    ('suffix',   ':latest',            'llama3:latest', 15),
    ('suffix',   '-latest',            'claude-3-5-sonnet-latest', 16),
    ('suffix',   '-v[0-9]:[0-9]',      'anthropic.claude-3-5-sonnet-20240620-v1:0', 17),
    ('snapshot', '-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]',             'claude-sonnet-4-20250514', 19),
    ('snapshot', '@[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]',             'claude-sonnet-4@20250514', 20),
    ('snapshot', '-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]',           'gpt-4o-2024-08-06', 21);

-- Every name regdb accepts as written, what it reaches and how: `regdb
-- resolve`, `get`, `cost`, `why`, `routes`, `failover` and `metrics record`
-- all read names through it, lowest precedence first:
--   1 route_key     provider/wire_id                    one route
--   2 canonical_id  a model id                          the model
--   2 category_key  a key of a category                 one route (per category)
--   3 alias         a seed's or catalog's alias         the model, or one route
--   4 wire_id       a bare wire id, on any provider     those routes
-- A name resolves at its lowest precedence; if the rows there reach more than
-- one model it is ambiguous: regdb lists them and never picks (`get` and
-- `cost` show or ask for each category of a key such as sora_2, which is a
-- model id and, in image_to_video, the key of another model's route). Beyond
-- this view regdb tries, in order: 5 provider scope (anthropic/claude-sonnet-4:
-- the rest of the name resolved, on that provider's routes, its preferred
-- one for a model), 6 the name in another case, 7 the name reduced by
-- `name_rule` (each spelling in another case too). By hand:
--     SELECT * FROM model_name WHERE name = 'moonshotai/kimi-k2.5' COLLATE NOCASE
--       AND +name = 'moonshotai/kimi-k2.5' ORDER BY precedence;
-- (plain `WHERE name = '…'` gives the same rows, without an index on wire ids).
CREATE VIEW IF NOT EXISTS model_name (name, precedence, match, model_id, route_key, category) AS
SELECT route_key, 1, 'route_key', model_id, route_key, NULL FROM route
UNION ALL
SELECT id, 2, 'canonical_id', id, NULL, NULL FROM model
UNION ALL
SELECT rc.key, 2, 'category_key', r.model_id, r.route_key, rc.category_id
FROM route_category rc JOIN route r ON r.id = rc.route_id
UNION ALL
SELECT a.name, 3, 'alias', a.model_id, r.route_key, NULL FROM alias a LEFT JOIN route r ON r.id = a.route_id
UNION ALL
SELECT json_extract(metadata, '$.litellm_key'), 3, 'alias', model_id, route_key, NULL FROM route
WHERE json_extract(metadata, '$.litellm_key') IS NOT NULL
UNION ALL
SELECT wire_id, 4, 'wire_id', model_id, route_key, NULL FROM route;

CREATE TABLE IF NOT EXISTS route_duration (
    -- Output durations a route accepts. Every option lies in (0, route.max_duration].
    route_id INTEGER NOT NULL REFERENCES route (id),
    seconds  INTEGER NOT NULL CHECK (seconds > 0),  -- whole seconds
    PRIMARY KEY (route_id, seconds)
) STRICT;

CREATE TABLE IF NOT EXISTS route_aspect_ratio (
    -- Aspect ratios a route accepts, in the order the seeds give.
    route_id INTEGER NOT NULL REFERENCES route (id),
    value    TEXT NOT NULL CHECK (value <> ''),    -- W:H such as 16:9, or auto
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, value)
) STRICT;

CREATE TABLE IF NOT EXISTS route_resolution (
    -- Resolutions a route accepts, in the order the seeds give.
    route_id INTEGER NOT NULL REFERENCES route (id),
    value    TEXT NOT NULL CHECK (value <> ''),    -- 720p, 1080p, 1K, 4K, auto
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, value)
) STRICT;

CREATE TABLE IF NOT EXISTS route_default (
    -- Default request parameters. A default duration, aspect_ratio or resolution
    -- must be one of the route's options.
    route_id INTEGER NOT NULL REFERENCES route (id),
    name     TEXT NOT NULL CHECK (name <> ''),     -- parameter name: duration, aspect_ratio, cfg_scale…
    value    TEXT NOT NULL,                        -- JSON value; duration is whole seconds
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, name)
) STRICT;

CREATE TABLE IF NOT EXISTS route_feature (
    -- Features a route advertises, in the order the seeds give.
    route_id INTEGER NOT NULL REFERENCES route (id),
    feature  TEXT NOT NULL CHECK (feature <> ''),
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, feature)
) STRICT;

------------------------------------------------------------------------------
-- Pricing
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS price (
    -- One row per priced unit, variant, threshold and date. The cost of a call
    -- adds, per unit, usd × quantity / per, choosing among a unit's rows:
    --
    --   dates      A row applies to calls made from valid_from (inclusive) until
    --              valid_until (exclusive); NULL is open-ended. `regdb cost --at`
    --              prices a past call; views and exports give the price in force
    --              today. A price change is two rows, the old one closed.
    --   variants   Rows of one unit with different variants are alternatives the
    --              caller chooses (audio or no_audio, 720p, batch / flex /
    --              priority); a row without variant applies when none is chosen,
    --              but a variant with a `window` applies by itself to a call made
    --              within it (off_peak).
    --   thresholds A row with `above` applies only when the call's quantity of
    --              above_unit (the row's own unit when NULL) exceeds it.
    --              above_bills says how: 'all' bills the whole quantity at this
    --              rate instead of the lower rows' (Gemini and Claude long
    --              context: above 200k prompt tokens the whole request costs
    --              more); 'excess' bills only the quantity beyond `above` at this
    --              rate, the lower rows billing the rest (grok-imagine: $0.05 per
    --              second after the first 6).
    --   one_of     Rows sharing a one_of group are alternatives for one quantity
    --              (a transcription model priced per input and per output second
    --              by LiteLLM): a call is charged by the first row of the group,
    --              in position order, whose unit it gives a quantity for. Every
    --              other row adds.
    id          INTEGER PRIMARY KEY,
    route_id    INTEGER NOT NULL REFERENCES route (id),
    unit        TEXT NOT NULL REFERENCES unit (id),
    variant     TEXT CHECK (variant <> ''),   -- audio, no_audio, 720p, batch, priority…; NULL base price
    usd         REAL CHECK (usd >= 0 AND usd <= 1.7976931348623157e308),  -- USD per `per` units, finite;
                                              -- NULL priced but not published
    per         INTEGER NOT NULL DEFAULT 1 CHECK (per > 0),  -- e.g. 1000000 for per-1M-token prices
    above       REAL CHECK (above >= 0),      -- threshold quantity of above_unit; NULL applies from zero
    above_unit  TEXT REFERENCES unit (id),    -- unit whose quantity meets the threshold; NULL the row's own
    above_bills TEXT CHECK (above_bills IN ('all', 'excess')),  -- 'all' | 'excess'; set exactly when above is
    valid_from  TEXT CHECK (valid_from IS NULL OR datetime(valid_from) IS NOT NULL),   -- ISO 8601 date or UTC time
    valid_until TEXT CHECK (valid_until IS NULL OR datetime(valid_until) IS NOT NULL), -- exclusive
    window      TEXT CHECK (window IS NULL OR (json_valid(window) AND json_type(window) = 'array'
                                               AND variant IS NOT NULL)),
                -- when the variant applies by itself: JSON [{"hours_utc": ["16:30-00:30"], "weekdays": [1, …, 7]}]
                -- (UTC, end exclusive, 00:00 as an end is midnight; weekdays ISO, Monday 1; none: every
                -- day). `regdb cost` bills a call made then at this variant (DeepSeek's off-peak hours)
                -- unless another is chosen; NULL: only when chosen.
    one_of      TEXT CHECK (one_of <> ''),    -- alternatives group; NULL adds
    note        TEXT,                         -- what the source said where no number was given
    free        INTEGER NOT NULL DEFAULT 0 CHECK (free IN (0, 1)),
                -- 1: a price of 0 is meant (a free tier, a :free route). A 0 on a route of a
                -- provider that takes a key (auth other than 'none') must say so: a 0 typed
                -- for "unknown" would make every call look free. Unknown is NULL.
    checked_url TEXT,                         -- the published price page this price was checked against
    checked_on  TEXT CHECK (checked_on IS NULL OR date(checked_on) IS NOT NULL),  -- and when: YYYY-MM-DD
    position    INTEGER NOT NULL,
    CONSTRAINT price_above_bills CHECK ((above IS NULL) = (above_bills IS NULL)
                                        AND (above IS NOT NULL OR above_unit IS NULL)),
    CONSTRAINT price_excess_own_unit CHECK (above_bills IS NOT 'excess' OR above_unit IS NULL OR above_unit = unit),
    CONSTRAINT price_valid_range CHECK (valid_from IS NULL OR valid_until IS NULL
                                        OR datetime(valid_until) > datetime(valid_from))
) STRICT;

CREATE UNIQUE INDEX IF NOT EXISTS price_route_unit_variant
    ON price (route_id, unit, ifnull(variant, ''), ifnull(above, -1), ifnull(valid_from, ''));

-- The price rows in force now: what views and exports show.
CREATE VIEW IF NOT EXISTS current_price AS
SELECT * FROM price
WHERE (valid_from IS NULL OR datetime(valid_from) <= datetime('now'))
  AND (valid_until IS NULL OR datetime(valid_until) > datetime('now'));

CREATE TABLE IF NOT EXISTS price_multiplier (
    -- Factors applied to the whole price of a call when a variant is chosen
    -- (multitalk: 720p doubles the price).
    route_id INTEGER NOT NULL REFERENCES route (id),
    variant  TEXT NOT NULL CHECK (variant <> ''),
    factor   REAL NOT NULL CHECK (factor > 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, variant)
) STRICT;

------------------------------------------------------------------------------
-- Rules: references (hold with foreign_keys OFF too)
------------------------------------------------------------------------------

CREATE TRIGGER IF NOT EXISTS route_provider_id_insert BEFORE INSERT ON route
WHEN NOT EXISTS (SELECT 1 FROM provider WHERE id = NEW.provider_id)
BEGIN
    SELECT json_extract('{}', '[reference] route.provider_id must name an existing provider (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.provider_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_provider_id_update BEFORE UPDATE OF provider_id ON route
WHEN NOT EXISTS (SELECT 1 FROM provider WHERE id = NEW.provider_id)
BEGIN
    SELECT json_extract('{}', '[reference] route.provider_id must name an existing provider (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.provider_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_model_id_insert BEFORE INSERT ON route
WHEN NOT EXISTS (SELECT 1 FROM model WHERE id = NEW.model_id)
BEGIN
    SELECT json_extract('{}', '[reference] route.model_id must name an existing model (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.model_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_model_id_update BEFORE UPDATE OF model_id ON route
WHEN NOT EXISTS (SELECT 1 FROM model WHERE id = NEW.model_id)
BEGIN
    SELECT json_extract('{}', '[reference] route.model_id must name an existing model (route '
        || OLD.route_key || ', value ' || json_quote(NEW.model_id) || ')');
END;

-- Any UPDATE, not UPDATE OF id: `SET rowid = …` changes id without naming it.
CREATE TRIGGER IF NOT EXISTS route_id_update BEFORE UPDATE ON route
WHEN NEW.id IS NOT OLD.id
BEGIN
    SELECT json_extract('{}', '[reference] route.id cannot change (route ' || OLD.route_key || ')');
END;

-- Deleting a route deletes what hangs off it, with or without foreign_keys.
CREATE TRIGGER IF NOT EXISTS route_delete AFTER DELETE ON route
BEGIN
    DELETE FROM route_default      WHERE route_id = OLD.id;
    DELETE FROM route_duration     WHERE route_id = OLD.id;
    DELETE FROM route_aspect_ratio WHERE route_id = OLD.id;
    DELETE FROM route_resolution   WHERE route_id = OLD.id;
    DELETE FROM route_feature      WHERE route_id = OLD.id;
    DELETE FROM route_category     WHERE route_id = OLD.id;
    DELETE FROM price_multiplier   WHERE route_id = OLD.id;
    DELETE FROM price              WHERE route_id = OLD.id;
    DELETE FROM alias              WHERE route_id = OLD.id;
END;

CREATE TRIGGER IF NOT EXISTS provider_id_delete BEFORE DELETE ON provider
WHEN EXISTS (SELECT 1 FROM route WHERE provider_id = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] provider ' || json_quote(OLD.id) || ' cannot be deleted while '
        || (SELECT count(*) FROM route WHERE provider_id = OLD.id) || ' routes use it');
END;

CREATE TRIGGER IF NOT EXISTS provider_id_update BEFORE UPDATE OF id ON provider
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM route WHERE provider_id = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] provider.id cannot change while routes use it (provider '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_id_delete BEFORE DELETE ON model
WHEN EXISTS (SELECT 1 FROM route WHERE model_id = OLD.id)
  OR EXISTS (SELECT 1 FROM model WHERE successor_id = OLD.id AND id <> OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] model ' || json_quote(OLD.id)
        || ' cannot be deleted while routes or successor links use it');
END;

CREATE TRIGGER IF NOT EXISTS model_id_update BEFORE UPDATE OF id ON model
WHEN NEW.id IS NOT OLD.id AND (EXISTS (SELECT 1 FROM route WHERE model_id = OLD.id)
                            OR EXISTS (SELECT 1 FROM alias WHERE model_id = OLD.id)
                            OR EXISTS (SELECT 1 FROM model WHERE successor_id = OLD.id AND id <> OLD.id))
BEGIN
    SELECT json_extract('{}', '[reference] model.id cannot change while routes or successor links use it (model '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS category_id_delete BEFORE DELETE ON category
WHEN EXISTS (SELECT 1 FROM route_category WHERE category_id = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] category ' || json_quote(OLD.id) || ' cannot be deleted while routes are listed in it');
END;

-- The word lists are referenced like any table: an id in use cannot go or change.
CREATE TRIGGER IF NOT EXISTS category_id_update BEFORE UPDATE OF id ON category
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM route_category WHERE category_id = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] category.id cannot change while routes are listed in it (category '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS unit_id_delete BEFORE DELETE ON unit
WHEN EXISTS (SELECT 1 FROM price WHERE unit = OLD.id OR above_unit = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] unit ' || json_quote(OLD.id) || ' cannot be deleted while prices use it');
END;

CREATE TRIGGER IF NOT EXISTS unit_id_update BEFORE UPDATE OF id ON unit
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM price WHERE unit = OLD.id OR above_unit = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] unit.id cannot change while prices use it (unit '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS status_id_delete BEFORE DELETE ON status
WHEN EXISTS (SELECT 1 FROM model WHERE status = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] status ' || json_quote(OLD.id) || ' cannot be deleted while models use it');
END;

CREATE TRIGGER IF NOT EXISTS status_id_update BEFORE UPDATE OF id ON status
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM model WHERE status = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] status.id cannot change while models use it (status '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS tier_id_delete BEFORE DELETE ON tier
WHEN EXISTS (SELECT 1 FROM model WHERE tier = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] tier ' || json_quote(OLD.id) || ' cannot be deleted while models use it');
END;

CREATE TRIGGER IF NOT EXISTS tier_id_update BEFORE UPDATE OF id ON tier
WHEN NEW.id IS NOT OLD.id AND EXISTS (SELECT 1 FROM model WHERE tier = OLD.id)
BEGIN
    SELECT json_extract('{}', '[reference] tier.id cannot change while models use it (tier '
        || json_quote(OLD.id) || ', value ' || json_quote(NEW.id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_status_insert BEFORE INSERT ON model
WHEN NEW.status IS NOT NULL AND NOT EXISTS (SELECT 1 FROM status WHERE id = NEW.status)
BEGIN
    SELECT json_extract('{}', '[unknown-status] model.status must be one of production, beta, experimental, deprecated (model '
        || NEW.id || ', value ' || json_quote(NEW.status) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_status_update BEFORE UPDATE OF status ON model
WHEN NEW.status IS NOT NULL AND NOT EXISTS (SELECT 1 FROM status WHERE id = NEW.status)
BEGIN
    SELECT json_extract('{}', '[unknown-status] model.status must be one of production, beta, experimental, deprecated (model '
        || NEW.id || ', value ' || json_quote(NEW.status) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_tier_insert BEFORE INSERT ON model
WHEN NEW.tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tier WHERE id = NEW.tier)
BEGIN
    SELECT json_extract('{}', '[unknown-tier] model.tier must be one of light, standard, heavy (model '
        || NEW.id || ', value ' || json_quote(NEW.tier) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_tier_update BEFORE UPDATE OF tier ON model
WHEN NEW.tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tier WHERE id = NEW.tier)
BEGIN
    SELECT json_extract('{}', '[unknown-tier] model.tier must be one of light, standard, heavy (model '
        || NEW.id || ', value ' || json_quote(NEW.tier) || ')');
END;

-- A successor may be inserted in the same transaction after its predecessor,
-- so the successor reference is checked by `regdb check` ([successor]) and
-- by foreign keys when they are on, not by an insert trigger.

CREATE TRIGGER IF NOT EXISTS route_category_category_id_insert BEFORE INSERT ON route_category
WHEN NOT EXISTS (SELECT 1 FROM category WHERE id = NEW.category_id)
BEGIN
    SELECT json_extract('{}', '[unknown-category] route_category.category_id must name a known category (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.category_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_category_category_id_update BEFORE UPDATE OF category_id ON route_category
WHEN NOT EXISTS (SELECT 1 FROM category WHERE id = NEW.category_id)
BEGIN
    SELECT json_extract('{}', '[unknown-category] route_category.category_id must name a known category (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.category_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_unit_insert BEFORE INSERT ON price
WHEN NOT EXISTS (SELECT 1 FROM unit WHERE id = NEW.unit)
BEGIN
    SELECT json_extract('{}', '[unknown-unit] price.unit must name a known unit (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.unit) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_unit_update BEFORE UPDATE OF unit ON price
WHEN NOT EXISTS (SELECT 1 FROM unit WHERE id = NEW.unit)
BEGIN
    SELECT json_extract('{}', '[unknown-unit] price.unit must name a known unit (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.unit) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_above_unit_insert BEFORE INSERT ON price
WHEN NEW.above_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit WHERE id = NEW.above_unit)
BEGIN
    SELECT json_extract('{}', '[unknown-unit] price.above_unit must name a known unit (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.above_unit) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_above_unit_update BEFORE UPDATE OF above_unit ON price
WHEN NEW.above_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit WHERE id = NEW.above_unit)
BEGIN
    SELECT json_extract('{}', '[unknown-unit] price.above_unit must name a known unit (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.above_unit) || ')');
END;

-- Every table hanging off a route: its route_id must name a route.
CREATE TRIGGER IF NOT EXISTS route_category_route_id_insert BEFORE INSERT ON route_category
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_category.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_category_route_id_update BEFORE UPDATE OF route_id ON route_category
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_category.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_duration_route_id_insert BEFORE INSERT ON route_duration
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_duration.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_duration_route_id_update BEFORE UPDATE OF route_id ON route_duration
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_duration.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_route_id_insert BEFORE INSERT ON route_aspect_ratio
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_aspect_ratio.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_route_id_update BEFORE UPDATE OF route_id ON route_aspect_ratio
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_aspect_ratio.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_resolution_route_id_insert BEFORE INSERT ON route_resolution
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_resolution.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_resolution_route_id_update BEFORE UPDATE OF route_id ON route_resolution
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_resolution.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_default_route_id_insert BEFORE INSERT ON route_default
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_default.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_default_route_id_update BEFORE UPDATE OF route_id ON route_default
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_default.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_feature_route_id_insert BEFORE INSERT ON route_feature
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_feature.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS route_feature_route_id_update BEFORE UPDATE OF route_id ON route_feature
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] route_feature.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS price_route_id_insert BEFORE INSERT ON price
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] price.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS price_route_id_update BEFORE UPDATE OF route_id ON price
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] price.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS price_multiplier_route_id_insert BEFORE INSERT ON price_multiplier
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] price_multiplier.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;
CREATE TRIGGER IF NOT EXISTS price_multiplier_route_id_update BEFORE UPDATE OF route_id ON price_multiplier
WHEN NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)
BEGIN SELECT json_extract('{}', '[reference] price_multiplier.route_id must name an existing route (value ' || json_quote(NEW.route_id) || ')'); END;

-- An alias names an existing model, and a route of that model when it names one.
CREATE TRIGGER IF NOT EXISTS alias_target_insert BEFORE INSERT ON alias
WHEN NOT EXISTS (SELECT 1 FROM model WHERE id = NEW.model_id)
  OR (NEW.route_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id AND model_id = NEW.model_id))
BEGIN
    SELECT json_extract('{}', '[reference] alias must name an existing model and, if any, a route of it (alias '
        || json_quote(NEW.name) || ', model ' || json_quote(NEW.model_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS alias_target_update BEFORE UPDATE OF model_id, route_id ON alias
WHEN NOT EXISTS (SELECT 1 FROM model WHERE id = NEW.model_id)
  OR (NEW.route_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id AND model_id = NEW.model_id))
BEGIN
    SELECT json_extract('{}', '[reference] alias must name an existing model and, if any, a route of it (alias '
        || json_quote(NEW.name) || ', model ' || json_quote(NEW.model_id) || ')');
END;

-- A model's aliases go with it.
CREATE TRIGGER IF NOT EXISTS model_alias_delete AFTER DELETE ON model
BEGIN
    DELETE FROM alias WHERE model_id = OLD.id;
END;

------------------------------------------------------------------------------
-- Rules: values
------------------------------------------------------------------------------

-- Text and blob compare above every number, so the upper bound refuses them too (STRICT
-- refuses them before any trigger runs). No `typeof(...) NOT IN (...)`: SQLite builds a
-- list of three values or more into a table, in a trigger once per row, which made a
-- price row cost twice as much to insert.
CREATE TRIGGER IF NOT EXISTS price_usd_insert BEFORE INSERT ON price
WHEN NEW.usd < 0 OR NEW.usd > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[price-negative] price.usd must be a finite number >= 0 (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ', value ' || json_quote(NEW.usd) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_usd_update BEFORE UPDATE OF usd ON price
WHEN NEW.usd < 0 OR NEW.usd > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[price-negative] price.usd must be a finite number >= 0 (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ', value ' || json_quote(NEW.usd) || ')');
END;

-- A price of 0 on a route of a provider that takes a key is a free tier only when the
-- row says so (free = 1); a local provider (auth 'none', Ollama) costs nothing anyway.
CREATE TRIGGER IF NOT EXISTS price_zero_insert BEFORE INSERT ON price
WHEN NEW.usd = 0 AND NEW.free = 0
 AND (SELECT ifnull(p.auth, '') FROM route r JOIN provider p ON p.id = r.provider_id WHERE r.id = NEW.route_id) <> 'none'
BEGIN
    SELECT json_extract('{}', '[zero-price] a price of 0 on a route of a provider that takes a key needs "free": true; '
        || 'a price not published is null (route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_zero_update BEFORE UPDATE OF usd, free ON price
WHEN NEW.usd = 0 AND NEW.free = 0
 AND (SELECT ifnull(p.auth, '') FROM route r JOIN provider p ON p.id = r.provider_id WHERE r.id = NEW.route_id) <> 'none'
BEGIN
    SELECT json_extract('{}', '[zero-price] a price of 0 on a route of a provider that takes a key needs "free": true; '
        || 'a price not published is null (route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ')');
END;

-- Every other REAL column holds a finite number too: SQLite stores 1e999 as
-- infinity, which passes a plain `>= 0`.
CREATE TRIGGER IF NOT EXISTS route_cost_estimate_usd_finite_insert BEFORE INSERT ON route
WHEN abs(NEW.cost_estimate_usd) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] route.cost_estimate_usd must be a finite number (' || 'route ' || NEW.provider_id || '/' || NEW.wire_id
        || ', value ' || NEW.cost_estimate_usd || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_cost_estimate_usd_finite_update BEFORE UPDATE OF cost_estimate_usd ON route
WHEN abs(NEW.cost_estimate_usd) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] route.cost_estimate_usd must be a finite number (' || 'route ' || NEW.provider_id || '/' || NEW.wire_id
        || ', value ' || NEW.cost_estimate_usd || ')');
END;

-- A time of observation is a date or a UTC time SQLite can read ('yesterday' is not).
CREATE TRIGGER IF NOT EXISTS route_context_window_observed_at_insert BEFORE INSERT ON route
WHEN NEW.context_window_observed_at IS NOT NULL AND datetime(NEW.context_window_observed_at) IS NULL
BEGIN
    SELECT json_extract('{}', '[timestamp] route.context_window_observed_at must be an ISO 8601 date or UTC time (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.context_window_observed_at) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_context_window_observed_at_update BEFORE UPDATE OF context_window_observed_at ON route
WHEN NEW.context_window_observed_at IS NOT NULL AND datetime(NEW.context_window_observed_at) IS NULL
BEGIN
    SELECT json_extract('{}', '[timestamp] route.context_window_observed_at must be an ISO 8601 date or UTC time (route '
        || OLD.route_key || ', value ' || json_quote(NEW.context_window_observed_at) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_above_finite_insert BEFORE INSERT ON price
WHEN abs(NEW.above) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] price.above must be a finite number (' || 'route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id) || ', unit ' || NEW.unit
        || ', value ' || NEW.above || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_above_finite_update BEFORE UPDATE OF above ON price
WHEN abs(NEW.above) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] price.above must be a finite number (' || 'route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id) || ', unit ' || NEW.unit
        || ', value ' || NEW.above || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_multiplier_factor_finite_insert BEFORE INSERT ON price_multiplier
WHEN abs(NEW.factor) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] price_multiplier.factor must be a finite number (' || 'route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id) || ', variant ' || NEW.variant
        || ', value ' || NEW.factor || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_multiplier_factor_finite_update BEFORE UPDATE OF factor ON price_multiplier
WHEN abs(NEW.factor) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] price_multiplier.factor must be a finite number (' || 'route ' || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id) || ', variant ' || NEW.variant
        || ', value ' || NEW.factor || ')');
END;


CREATE TRIGGER IF NOT EXISTS route_duration_seconds_insert BEFORE INSERT ON route_duration
WHEN NEW.seconds <= 0
  OR NEW.seconds > (SELECT max_duration FROM route WHERE id = NEW.route_id)
BEGIN
    SELECT json_extract('{}', '[duration-range] route_duration.seconds must be in (0, max_duration] (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.seconds) || ', max_duration '
        || ifnull((SELECT max_duration FROM route WHERE id = NEW.route_id), 'none') || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_duration_seconds_update BEFORE UPDATE OF route_id, seconds ON route_duration
WHEN NEW.seconds <= 0
  OR NEW.seconds > (SELECT max_duration FROM route WHERE id = NEW.route_id)
BEGIN
    SELECT json_extract('{}', '[duration-range] route_duration.seconds must be in (0, max_duration] (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || json_quote(NEW.seconds) || ', max_duration '
        || ifnull((SELECT max_duration FROM route WHERE id = NEW.route_id), 'none') || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_max_duration_update BEFORE UPDATE OF max_duration ON route
WHEN NEW.max_duration < (SELECT max(seconds) FROM route_duration WHERE route_id = NEW.id)
BEGIN
    SELECT json_extract('{}', '[duration-range] route.max_duration must be >= every duration option (route '
        || OLD.route_key || ', value ' || json_quote(NEW.max_duration) || ', longest option '
        || (SELECT max(seconds) FROM route_duration WHERE route_id = NEW.id) || ')');
END;

-- A default duration, aspect ratio or resolution must be one of the options.
CREATE TRIGGER IF NOT EXISTS route_default_value_insert BEFORE INSERT ON route_default
WHEN NOT json_valid(NEW.value)
  OR (NEW.name = 'duration' AND NOT EXISTS (
        SELECT 1 FROM route_duration
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'integer' AND seconds = json_extract(NEW.value, '$')))
  OR (NEW.name = 'aspect_ratio' AND NOT EXISTS (
        SELECT 1 FROM route_aspect_ratio
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'text' AND value = json_extract(NEW.value, '$')))
  OR (NEW.name = 'resolution' AND NOT EXISTS (
        SELECT 1 FROM route_resolution
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'text' AND value = json_extract(NEW.value, '$')))
BEGIN
    SELECT json_extract('{}', CASE WHEN NOT json_valid(NEW.value)
        THEN '[json] route_default.value must be valid JSON (route '
        ELSE '[default-not-an-option] route_default.value must be one of the ' || NEW.name || ' options of the route (route '
        END
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || NEW.value || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_default_value_update BEFORE UPDATE OF route_id, name, value ON route_default
WHEN EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id) AND (NOT json_valid(NEW.value)
  OR (NEW.name = 'duration' AND NOT EXISTS (
        SELECT 1 FROM route_duration
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'integer' AND seconds = json_extract(NEW.value, '$')))
  OR (NEW.name = 'aspect_ratio' AND NOT EXISTS (
        SELECT 1 FROM route_aspect_ratio
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'text' AND value = json_extract(NEW.value, '$')))
  OR (NEW.name = 'resolution' AND NOT EXISTS (
        SELECT 1 FROM route_resolution
        WHERE route_id = NEW.route_id AND json_type(NEW.value) = 'text' AND value = json_extract(NEW.value, '$'))))
BEGIN
    SELECT json_extract('{}', CASE WHEN NOT json_valid(NEW.value)
        THEN '[json] route_default.value must be valid JSON (route '
        ELSE '[default-not-an-option] route_default.value must be one of the ' || NEW.name || ' options of the route (route '
        END
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', value ' || NEW.value || ')');
END;

-- Removing an option that is the route's default would leave the default dangling.
CREATE TRIGGER IF NOT EXISTS route_duration_seconds_delete BEFORE DELETE ON route_duration
WHEN EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'duration'
             AND json_extract(value, '$') = OLD.seconds)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_duration ' || OLD.seconds
        || ' is the default duration of the route and cannot be removed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_value_delete BEFORE DELETE ON route_aspect_ratio
WHEN EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'aspect_ratio'
             AND json_extract(value, '$') = OLD.value)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_aspect_ratio ' || json_quote(OLD.value)
        || ' is the default aspect_ratio of the route and cannot be removed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_resolution_value_delete BEFORE DELETE ON route_resolution
WHEN EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'resolution'
             AND json_extract(value, '$') = OLD.value)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_resolution ' || json_quote(OLD.value)
        || ' is the default resolution of the route and cannot be removed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

-- Changing or moving an option that is the default would leave the default dangling too.
CREATE TRIGGER IF NOT EXISTS route_duration_default_update BEFORE UPDATE OF route_id, seconds ON route_duration
WHEN EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)  -- a missing route is reported as such
 AND (NEW.route_id IS NOT OLD.route_id OR NEW.seconds IS NOT OLD.seconds)
 AND EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'duration'
             AND json_extract(value, '$') = OLD.seconds)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_duration ' || OLD.seconds
        || ' is the default duration of the route and cannot be changed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_value_update BEFORE UPDATE OF route_id, value ON route_aspect_ratio
WHEN EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)  -- a missing route is reported as such
 AND (NEW.route_id IS NOT OLD.route_id OR NEW.value IS NOT OLD.value)
 AND EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'aspect_ratio'
             AND json_extract(value, '$') = OLD.value)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_aspect_ratio ' || json_quote(OLD.value)
        || ' is the default aspect_ratio of the route and cannot be changed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_resolution_value_update BEFORE UPDATE OF route_id, value ON route_resolution
WHEN EXISTS (SELECT 1 FROM route WHERE id = NEW.route_id)  -- a missing route is reported as such
 AND (NEW.route_id IS NOT OLD.route_id OR NEW.value IS NOT OLD.value)
 AND EXISTS (SELECT 1 FROM route_default WHERE route_id = OLD.route_id AND name = 'resolution'
             AND json_extract(value, '$') = OLD.value)
BEGIN
    SELECT json_extract('{}', '[default-not-an-option] route_resolution ' || json_quote(OLD.value)
        || ' is the default resolution of the route and cannot be changed (route '
        || (SELECT route_key FROM route WHERE id = OLD.route_id) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_category_key_insert BEFORE INSERT ON route_category
WHEN EXISTS (SELECT 1 FROM route_category WHERE category_id = NEW.category_id AND key = NEW.key)
BEGIN
    SELECT json_extract('{}', '[duplicate-key] route_category.key must be unique within a category (category '
        || NEW.category_id || ', value ' || json_quote(NEW.key) || ', already used by route '
        || (SELECT r.route_key FROM route_category rc JOIN route r ON r.id = rc.route_id
            WHERE rc.category_id = NEW.category_id AND rc.key = NEW.key) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_category_key_update BEFORE UPDATE OF category_id, key ON route_category
WHEN EXISTS (SELECT 1 FROM route_category WHERE category_id = NEW.category_id AND key = NEW.key
             AND route_id <> OLD.route_id)
BEGIN
    SELECT json_extract('{}', '[duplicate-key] route_category.key must be unique within a category (category '
        || NEW.category_id || ', value ' || json_quote(NEW.key) || ', already used by route '
        || (SELECT r.route_key FROM route_category rc JOIN route r ON r.id = rc.route_id
            WHERE rc.category_id = NEW.category_id AND rc.key = NEW.key AND rc.route_id <> OLD.route_id) || ')');
END;

-- Option vocabularies: what a media API could be sent. An aspect ratio is W:H in whole
-- numbers or auto; a resolution 720p, 4K, 0.5K, 1920x1080 or auto.
CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_vocabulary_insert BEFORE INSERT ON route_aspect_ratio
WHEN NEW.value NOT IN ('', 'auto') AND NOT (NEW.value GLOB '[1-9]*:[1-9]*' AND NEW.value NOT GLOB '*[^0-9:]*'
                                 AND NEW.value NOT GLOB '*:*:*')
BEGIN
    SELECT json_extract('{}', '[aspect-ratio] route aspect ratios are W:H in whole numbers (16:9) or auto (route '
        || (SELECT route_key FROM route WHERE id = NEW.route_id) || ', value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_aspect_ratio_vocabulary_update BEFORE UPDATE OF value ON route_aspect_ratio
WHEN NEW.value NOT IN ('', 'auto') AND NOT (NEW.value GLOB '[1-9]*:[1-9]*' AND NEW.value NOT GLOB '*[^0-9:]*'
                                 AND NEW.value NOT GLOB '*:*:*')
BEGIN
    SELECT json_extract('{}', '[aspect-ratio] route aspect ratios are W:H in whole numbers (16:9) or auto (route '
        || (SELECT route_key FROM route WHERE id = NEW.route_id) || ', value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_resolution_vocabulary_insert BEFORE INSERT ON route_resolution
WHEN NEW.value NOT IN ('', 'auto') AND NOT (
       (NEW.value GLOB '[1-9]*[pP]' AND substr(NEW.value, 1, length(NEW.value) - 1) NOT GLOB '*[^0-9]*')
    OR (NEW.value GLOB '[0-9]*[kK]' AND substr(NEW.value, 1, length(NEW.value) - 1) NOT GLOB '*[^0-9.]*')
    OR (NEW.value GLOB '[1-9]*x[1-9]*' AND NEW.value NOT GLOB '*[^0-9x]*' AND NEW.value NOT GLOB '*x*x*'))
BEGIN
    SELECT json_extract('{}', '[resolution] route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route '
        || (SELECT route_key FROM route WHERE id = NEW.route_id) || ', value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_resolution_vocabulary_update BEFORE UPDATE OF value ON route_resolution
WHEN NEW.value NOT IN ('', 'auto') AND NOT (
       (NEW.value GLOB '[1-9]*[pP]' AND substr(NEW.value, 1, length(NEW.value) - 1) NOT GLOB '*[^0-9]*')
    OR (NEW.value GLOB '[0-9]*[kK]' AND substr(NEW.value, 1, length(NEW.value) - 1) NOT GLOB '*[^0-9.]*')
    OR (NEW.value GLOB '[1-9]*x[1-9]*' AND NEW.value NOT GLOB '*[^0-9x]*' AND NEW.value NOT GLOB '*x*x*'))
BEGIN
    SELECT json_extract('{}', '[resolution] route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route '
        || (SELECT route_key FROM route WHERE id = NEW.route_id) || ', value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_endpoint_insert BEFORE INSERT ON route
WHEN NEW.endpoint IS NOT NULL AND (
       NEW.endpoint = '' OR NEW.endpoint GLOB '*[ 	]*' OR NEW.endpoint GLOB '*//*' AND NEW.endpoint NOT GLOB 'http*://*'
    OR NEW.endpoint GLOB '*/' OR NEW.endpoint NOT GLOB ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), '*'))
BEGIN
    SELECT json_extract('{}', '[endpoint-shape] route.endpoint must match the endpoint shape of the provider '
        || json_quote(ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), 'no blanks, no empty segment'))
        || ' (route ' || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.endpoint) || ')');
END;

CREATE TRIGGER IF NOT EXISTS provider_endpoint_glob_update BEFORE UPDATE OF endpoint_glob ON provider
WHEN NEW.endpoint_glob IS NOT NULL AND EXISTS (
    SELECT 1 FROM route WHERE provider_id = NEW.id AND endpoint IS NOT NULL AND endpoint NOT GLOB NEW.endpoint_glob)
BEGIN
    SELECT json_extract('{}', '[endpoint-shape] provider.endpoint_glob must match every endpoint of the provider (provider '
        || NEW.id || ', value ' || json_quote(NEW.endpoint_glob) || ', first mismatch route '
        || (SELECT route_key FROM route WHERE provider_id = NEW.id AND endpoint IS NOT NULL
            AND endpoint NOT GLOB NEW.endpoint_glob ORDER BY route_key LIMIT 1) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_endpoint_update BEFORE UPDATE OF endpoint, provider_id ON route
WHEN NEW.endpoint IS NOT NULL AND (
       NEW.endpoint = '' OR NEW.endpoint GLOB '*[ 	]*' OR NEW.endpoint GLOB '*//*' AND NEW.endpoint NOT GLOB 'http*://*'
    OR NEW.endpoint GLOB '*/' OR NEW.endpoint NOT GLOB ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), '*'))
BEGIN
    SELECT json_extract('{}', '[endpoint-shape] route.endpoint must match the endpoint shape of the provider '
        || json_quote(ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), 'no blanks, no empty segment'))
        || ' (route ' || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.endpoint) || ')');
END;

-- An endpoint that passes its shape names the route itself: its wire id (fal-ai/veo3), its
-- route key (elevenlabs/tts), or a full URL. Another model's endpoint is a copy-paste slip.
CREATE TRIGGER IF NOT EXISTS route_endpoint_route_insert BEFORE INSERT ON route
WHEN NEW.endpoint IS NOT NULL AND NEW.endpoint NOT IN (NEW.wire_id, NEW.provider_id || '/' || NEW.wire_id)
 AND NEW.endpoint NOT GLOB 'http*://*' AND NOT (
       NEW.endpoint = '' OR NEW.endpoint GLOB '*[ 	]*' OR NEW.endpoint GLOB '*//*'
    OR NEW.endpoint GLOB '*/' OR NEW.endpoint NOT GLOB ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), '*'))
BEGIN
    SELECT json_extract('{}', '[endpoint-route] route.endpoint must be the wire id of the route, its route key or a URL (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.endpoint) || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_endpoint_route_update BEFORE UPDATE OF endpoint, provider_id, wire_id ON route
WHEN NEW.endpoint IS NOT NULL AND NEW.endpoint NOT IN (NEW.wire_id, NEW.provider_id || '/' || NEW.wire_id)
 AND NEW.endpoint NOT GLOB 'http*://*' AND NOT (
       NEW.endpoint = '' OR NEW.endpoint GLOB '*[ 	]*' OR NEW.endpoint GLOB '*//*'
    OR NEW.endpoint GLOB '*/' OR NEW.endpoint NOT GLOB ifnull((SELECT endpoint_glob FROM provider WHERE id = NEW.provider_id), '*'))
BEGIN
    SELECT json_extract('{}', '[endpoint-route] route.endpoint must be the wire id of the route, its route key or a URL (route '
        || NEW.provider_id || '/' || NEW.wire_id || ', value ' || json_quote(NEW.endpoint) || ')');
END;

------------------------------------------------------------------------------
-- Rules: JSON columns hold valid JSON of the stated type
------------------------------------------------------------------------------

CREATE TRIGGER IF NOT EXISTS route_json_insert BEFORE INSERT ON route
WHEN NOT (json_valid(ifnull(NEW.input_modalities, '[]')) AND json_type(ifnull(NEW.input_modalities, '[]')) = 'array'
      AND json_valid(NEW.capabilities)       AND json_type(NEW.capabilities) = 'object'
      AND json_valid(NEW.extended_params)    AND json_type(NEW.extended_params) = 'array'
      AND json_valid(NEW.extended_features)  AND json_type(NEW.extended_features) = 'object'
      AND json_valid(NEW.input_requirements) AND json_type(NEW.input_requirements) = 'object'
      AND json_valid(NEW.info)               AND json_type(NEW.info) = 'object'
      AND json_valid(NEW.metadata)           AND json_type(NEW.metadata) = 'object')
BEGIN
    SELECT json_extract('{}', '[json] route.' || CASE
        WHEN NOT (json_valid(ifnull(NEW.input_modalities, '[]')) AND json_type(ifnull(NEW.input_modalities, '[]')) = 'array')
            THEN 'input_modalities must be a JSON array'
        WHEN NOT (json_valid(NEW.capabilities) AND json_type(NEW.capabilities) = 'object') THEN 'capabilities must be a JSON object'
        WHEN NOT (json_valid(NEW.extended_params) AND json_type(NEW.extended_params) = 'array') THEN 'extended_params must be a JSON array'
        WHEN NOT (json_valid(NEW.extended_features) AND json_type(NEW.extended_features) = 'object') THEN 'extended_features must be a JSON object'
        WHEN NOT (json_valid(NEW.input_requirements) AND json_type(NEW.input_requirements) = 'object') THEN 'input_requirements must be a JSON object'
        WHEN NOT (json_valid(NEW.info) AND json_type(NEW.info) = 'object') THEN 'info must be a JSON object'
        ELSE 'metadata must be a JSON object' END
        || ' (route ' || NEW.provider_id || '/' || NEW.wire_id || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_json_update BEFORE UPDATE OF input_modalities, capabilities, extended_params,
    extended_features, input_requirements, info, metadata ON route
WHEN NOT (json_valid(ifnull(NEW.input_modalities, '[]')) AND json_type(ifnull(NEW.input_modalities, '[]')) = 'array'
      AND json_valid(NEW.capabilities)       AND json_type(NEW.capabilities) = 'object'
      AND json_valid(NEW.extended_params)    AND json_type(NEW.extended_params) = 'array'
      AND json_valid(NEW.extended_features)  AND json_type(NEW.extended_features) = 'object'
      AND json_valid(NEW.input_requirements) AND json_type(NEW.input_requirements) = 'object'
      AND json_valid(NEW.info)               AND json_type(NEW.info) = 'object'
      AND json_valid(NEW.metadata)           AND json_type(NEW.metadata) = 'object')
BEGIN
    SELECT json_extract('{}', '[json] route.' || CASE
        WHEN NOT (json_valid(ifnull(NEW.input_modalities, '[]')) AND json_type(ifnull(NEW.input_modalities, '[]')) = 'array')
            THEN 'input_modalities must be a JSON array'
        WHEN NOT (json_valid(NEW.capabilities) AND json_type(NEW.capabilities) = 'object') THEN 'capabilities must be a JSON object'
        WHEN NOT (json_valid(NEW.extended_params) AND json_type(NEW.extended_params) = 'array') THEN 'extended_params must be a JSON array'
        WHEN NOT (json_valid(NEW.extended_features) AND json_type(NEW.extended_features) = 'object') THEN 'extended_features must be a JSON object'
        WHEN NOT (json_valid(NEW.input_requirements) AND json_type(NEW.input_requirements) = 'object') THEN 'input_requirements must be a JSON object'
        WHEN NOT (json_valid(NEW.info) AND json_type(NEW.info) = 'object') THEN 'info must be a JSON object'
        ELSE 'metadata must be a JSON object' END
        || ' (route ' || OLD.route_key || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_json_insert BEFORE INSERT ON model
WHEN NOT (json_valid(NEW.scores) AND json_type(NEW.scores) = 'object'
      AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object')
BEGIN
    SELECT json_extract('{}', '[json] model.' || CASE
        WHEN NOT (json_valid(NEW.scores) AND json_type(NEW.scores) = 'object') THEN 'scores' ELSE 'metadata' END
        || ' must be a JSON object (model ' || NEW.id || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_json_update BEFORE UPDATE OF scores, metadata ON model
WHEN NOT (json_valid(NEW.scores) AND json_type(NEW.scores) = 'object'
      AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object')
BEGIN
    SELECT json_extract('{}', '[json] model.' || CASE
        WHEN NOT (json_valid(NEW.scores) AND json_type(NEW.scores) = 'object') THEN 'scores' ELSE 'metadata' END
        || ' must be a JSON object (model ' || OLD.id || ')');
END;

-- Scores are on one scale, 0 to 1 (a source on another declares it and is converted on import).
CREATE TRIGGER IF NOT EXISTS model_scores_scale_insert BEFORE INSERT ON model
WHEN json_valid(NEW.scores) AND json_type(NEW.scores) = 'object' AND EXISTS (
    SELECT 1 FROM json_each(NEW.scores) WHERE type NOT IN ('integer', 'real') OR value < 0 OR value > 1)
BEGIN
    SELECT json_extract('{}', '[score-scale] model.scores are numbers from 0 to 1 (model ' || NEW.id || ', '
        || (SELECT key || ' ' || CASE WHEN type IN ('integer', 'real') THEN value ELSE json_quote(value) END
            FROM json_each(NEW.scores) WHERE type NOT IN ('integer', 'real') OR value < 0 OR value > 1 LIMIT 1) || ')');
END;

CREATE TRIGGER IF NOT EXISTS model_scores_scale_update BEFORE UPDATE OF scores ON model
WHEN json_valid(NEW.scores) AND json_type(NEW.scores) = 'object' AND EXISTS (
    SELECT 1 FROM json_each(NEW.scores) WHERE type NOT IN ('integer', 'real') OR value < 0 OR value > 1)
BEGIN
    SELECT json_extract('{}', '[score-scale] model.scores are numbers from 0 to 1 (model ' || OLD.id || ', '
        || (SELECT key || ' ' || CASE WHEN type IN ('integer', 'real') THEN value ELSE json_quote(value) END
            FROM json_each(NEW.scores) WHERE type NOT IN ('integer', 'real') OR value < 0 OR value > 1 LIMIT 1) || ')');
END;

-- Design doc 003's enums for what a training server says of a model: route.metadata's
-- training_type (base, instruction, reasoning, hybrid, vision), architecture (dense, moe)
-- and size (compact, small, medium, large), where given as a value (a catalog's own
-- `architecture` object, OpenRouter's modalities and tokenizer, is its, not this enum). The text
-- is searched for the three names first: most routes have none, and a catalog import should
-- not parse every route's metadata for them.
CREATE TRIGGER IF NOT EXISTS route_metadata_enum_insert BEFORE INSERT ON route
WHEN (instr(NEW.metadata, '"training_type"') OR instr(NEW.metadata, '"architecture"') OR instr(NEW.metadata, '"size"'))
 AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object' AND (
       json_type(NEW.metadata, '$.training_type') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.training_type') NOT IN ('base', 'instruction', 'reasoning', 'hybrid', 'vision')
    OR json_type(NEW.metadata, '$.architecture') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.architecture') NOT IN ('dense', 'moe')
    OR json_type(NEW.metadata, '$.size') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.size') NOT IN ('compact', 'small', 'medium', 'large'))
BEGIN
    SELECT json_extract('{}', '[enum] route.metadata.' || CASE
        WHEN json_type(NEW.metadata, '$.training_type') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.training_type') NOT IN ('base', 'instruction', 'reasoning', 'hybrid', 'vision')
        THEN 'training_type must be base, instruction, reasoning, hybrid or vision (route ' || NEW.provider_id || '/' || NEW.wire_id
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.training_type'))
        WHEN json_type(NEW.metadata, '$.architecture') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.architecture') NOT IN ('dense', 'moe')
        THEN 'architecture must be dense or moe (route ' || NEW.provider_id || '/' || NEW.wire_id
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.architecture'))
        ELSE 'size must be compact, small, medium or large (route ' || NEW.provider_id || '/' || NEW.wire_id
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.size')) END || ')');
END;

CREATE TRIGGER IF NOT EXISTS route_metadata_enum_update BEFORE UPDATE OF metadata ON route
WHEN (instr(NEW.metadata, '"training_type"') OR instr(NEW.metadata, '"architecture"') OR instr(NEW.metadata, '"size"'))
 AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object' AND (
       json_type(NEW.metadata, '$.training_type') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.training_type') NOT IN ('base', 'instruction', 'reasoning', 'hybrid', 'vision')
    OR json_type(NEW.metadata, '$.architecture') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.architecture') NOT IN ('dense', 'moe')
    OR json_type(NEW.metadata, '$.size') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.size') NOT IN ('compact', 'small', 'medium', 'large'))
BEGIN
    SELECT json_extract('{}', '[enum] route.metadata.' || CASE
        WHEN json_type(NEW.metadata, '$.training_type') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.training_type') NOT IN ('base', 'instruction', 'reasoning', 'hybrid', 'vision')
        THEN 'training_type must be base, instruction, reasoning, hybrid or vision (route ' || OLD.route_key
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.training_type'))
        WHEN json_type(NEW.metadata, '$.architecture') NOT IN ('object', 'array') AND json_extract(NEW.metadata, '$.architecture') NOT IN ('dense', 'moe')
        THEN 'architecture must be dense or moe (route ' || OLD.route_key
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.architecture'))
        ELSE 'size must be compact, small, medium or large (route ' || OLD.route_key
             || ', value ' || json_quote(json_extract(NEW.metadata, '$.size')) END || ')');
END;

CREATE TRIGGER IF NOT EXISTS provider_env_vars_insert BEFORE INSERT ON provider
WHEN NOT (json_valid(NEW.env_vars) AND json_type(NEW.env_vars) = 'array')
BEGIN
    SELECT json_extract('{}', '[json] provider.env_vars must be a JSON array (provider ' || NEW.id || ')');
END;

CREATE TRIGGER IF NOT EXISTS provider_env_vars_update BEFORE UPDATE OF env_vars ON provider
WHEN NOT (json_valid(NEW.env_vars) AND json_type(NEW.env_vars) = 'array')
BEGIN
    SELECT json_extract('{}', '[json] provider.env_vars must be a JSON array (provider ' || OLD.id || ')');
END;

------------------------------------------------------------------------------
-- Views: what the per-category constants files used to hold
--
-- One row per (category, key), ordered by category, then by the order the
-- seeds give. A row exists only where the data exists.
------------------------------------------------------------------------------

-- SUPPORTED_MODELS: every key of a category and the route it names.
CREATE VIEW IF NOT EXISTS category_models (category, key, route_key) AS
SELECT rc.category_id, rc.key, r.route_key
FROM route_category rc JOIN route r ON r.id = rc.route_id
ORDER BY rc.category_id, rc.position;

-- MODEL_ENDPOINTS
CREATE VIEW IF NOT EXISTS model_endpoints (category, key, endpoint) AS
SELECT rc.category_id, rc.key, r.endpoint
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.endpoint IS NOT NULL
ORDER BY rc.category_id, rc.position;

-- MODEL_DISPLAY_NAMES
CREATE VIEW IF NOT EXISTS model_display_names (category, key, name) AS
SELECT rc.category_id, rc.key, ifnull(r.name, m.name)
FROM route_category rc JOIN route r ON r.id = rc.route_id JOIN model m ON m.id = r.model_id
ORDER BY rc.category_id, rc.position;

-- The price rows of a route as one JSON object: {"per_<unit>": usd} for a
-- single base row; {"per_<unit>": {"<variant>": usd, …}} where a unit has
-- variants or thresholds ("base" for the row without variant, "above_<n>" for
-- a threshold row); "per_1m_<unit>" where prices are per million; and
-- "multipliers": {"<variant>": factor}.
CREATE VIEW IF NOT EXISTS route_pricing (route_id, pricing) AS
WITH keyed AS (
    SELECT route_id, unit, position, usd,
           'per_' || CASE per WHEN 1 THEN '' WHEN 1000 THEN '1k_' WHEN 1000000 THEN '1m_' ELSE per || '_' END || unit AS price_key,
           CASE WHEN above IS NOT NULL THEN ifnull(variant || '_', '') || 'above_'
                    || CASE WHEN above = CAST(above AS INTEGER) THEN CAST(above AS INTEGER) ELSE above END
                ELSE ifnull(variant, 'base') END AS variant_key
    FROM current_price
), grouped AS (
    SELECT route_id, price_key, min(position) AS position,
           CASE WHEN count(*) = 1 AND max(variant_key) = 'base' THEN json_quote(max(usd))
                ELSE json_group_object(variant_key, usd) END AS value
    FROM (SELECT * FROM keyed ORDER BY route_id, position)
    GROUP BY route_id, price_key
), entries AS (
    SELECT route_id, price_key AS name, value, position FROM grouped
    UNION ALL
    SELECT route_id, 'multipliers', json_group_object(variant, factor), 1000000000
    FROM (SELECT * FROM price_multiplier ORDER BY route_id, position)
    GROUP BY route_id
)
SELECT route_id, json_group_object(name, json(value))
FROM (SELECT * FROM entries ORDER BY route_id, position)
GROUP BY route_id;

-- MODEL_PRICING
CREATE VIEW IF NOT EXISTS model_pricing (category, key, pricing) AS
SELECT rc.category_id, rc.key, p.pricing
FROM route_category rc JOIN route_pricing p ON p.route_id = rc.route_id
ORDER BY rc.category_id, rc.position;

-- DURATION_OPTIONS: integer seconds, ascending.
CREATE VIEW IF NOT EXISTS duration_options (category, key, options) AS
SELECT rc.category_id, rc.key,
       (SELECT json_group_array(seconds) FROM
           (SELECT seconds FROM route_duration WHERE route_id = rc.route_id ORDER BY seconds))
FROM route_category rc
WHERE EXISTS (SELECT 1 FROM route_duration WHERE route_id = rc.route_id)
ORDER BY rc.category_id, rc.position;

-- ASPECT_RATIO_OPTIONS
CREATE VIEW IF NOT EXISTS aspect_ratio_options (category, key, options) AS
SELECT rc.category_id, rc.key,
       (SELECT json_group_array(value) FROM
           (SELECT value FROM route_aspect_ratio WHERE route_id = rc.route_id ORDER BY position))
FROM route_category rc
WHERE EXISTS (SELECT 1 FROM route_aspect_ratio WHERE route_id = rc.route_id)
ORDER BY rc.category_id, rc.position;

-- RESOLUTION_OPTIONS
CREATE VIEW IF NOT EXISTS resolution_options (category, key, options) AS
SELECT rc.category_id, rc.key,
       (SELECT json_group_array(value) FROM
           (SELECT value FROM route_resolution WHERE route_id = rc.route_id ORDER BY position))
FROM route_category rc
WHERE EXISTS (SELECT 1 FROM route_resolution WHERE route_id = rc.route_id)
ORDER BY rc.category_id, rc.position;

-- DEFAULT_VALUES
CREATE VIEW IF NOT EXISTS default_values (category, key, defaults) AS
SELECT rc.category_id, rc.key,
       (SELECT json_group_object(name, json(value)) FROM
           (SELECT name, value FROM route_default WHERE route_id = rc.route_id ORDER BY position))
FROM route_category rc
WHERE EXISTS (SELECT 1 FROM route_default WHERE route_id = rc.route_id)
ORDER BY rc.category_id, rc.position;

-- EXTENDED_PARAMS: the extra request parameters a key takes, in seed order.
CREATE VIEW IF NOT EXISTS extended_params (category, key, params) AS
SELECT rc.category_id, rc.key, r.extended_params
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.extended_params <> '[]'
ORDER BY rc.category_id, rc.position;

-- EXTENDED_FEATURES: input features a key supports ({"start_frame": true, …}).
CREATE VIEW IF NOT EXISTS extended_features (category, key, features) AS
SELECT rc.category_id, rc.key, r.extended_features
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.extended_features <> '{}'
ORDER BY rc.category_id, rc.position;

-- INPUT_REQUIREMENTS: {"required": [...], "optional": [...]} inputs of a key.
CREATE VIEW IF NOT EXISTS input_requirements (category, key, requirements) AS
SELECT rc.category_id, rc.key, r.input_requirements
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.input_requirements <> '{}'
ORDER BY rc.category_id, rc.position;

-- COST_ESTIMATES: the typical USD cost of one call of a key.
CREATE VIEW IF NOT EXISTS cost_estimates (category, key, usd) AS
SELECT rc.category_id, rc.key, r.cost_estimate_usd
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.cost_estimate_usd IS NOT NULL
ORDER BY rc.category_id, rc.position;

-- PROCESSING_TIME_ESTIMATES: the typical wall time of one call of a key, seconds.
CREATE VIEW IF NOT EXISTS processing_time_estimates (category, key, seconds) AS
SELECT rc.category_id, rc.key, r.processing_time_s
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE r.processing_time_s IS NOT NULL
ORDER BY rc.category_id, rc.position;

-- MODEL_INFO: features is a JSON array in seed order.
CREATE VIEW IF NOT EXISTS model_info (category, key, name, provider, description, max_duration, features) AS
SELECT rc.category_id, rc.key, ifnull(r.name, m.name), ifnull(r.provider_label, p.name), m.description, r.max_duration,
       (SELECT json_group_array(feature) FROM
           (SELECT feature FROM route_feature WHERE route_id = r.id ORDER BY position))
FROM route_category rc
JOIN route r ON r.id = rc.route_id
JOIN model m ON m.id = r.model_id
JOIN provider p ON p.id = r.provider_id
ORDER BY rc.category_id, rc.position;

------------------------------------------------------------------------------
-- rule_violation: every rule, checked over the whole database
--
-- The batch form of the triggers above, plus deferred_violation: the rules no
-- single statement can break (a media route needs an endpoint and a price),
-- which `regdb import` reads before every commit. Empty in a healthy
-- registry; `regdb check` reports each row. Try it by hand:
--     sqlite3 registry.db 'SELECT * FROM rule_violation'
------------------------------------------------------------------------------

CREATE VIEW IF NOT EXISTS rule_violation (rule, subject_type, subject, message) AS
SELECT 'price-negative', 'route', r.route_key,
       'price.usd must be a finite number >= 0 (route ' || r.route_key || ', unit ' || p.unit
       || ifnull(', variant ' || p.variant, '') || ', value ' || json_quote(p.usd) || ')'
FROM price p JOIN route r ON r.id = p.route_id
WHERE p.usd < 0 OR p.usd > 1.7976931348623157e308
UNION ALL
SELECT 'duration-range', 'route', r.route_key,
       'route_duration.seconds must be in (0, max_duration] (route ' || r.route_key || ', value ' || d.seconds
       || ', max_duration ' || ifnull(r.max_duration, 'none') || ')'
FROM route_duration d JOIN route r ON r.id = d.route_id
WHERE d.seconds <= 0 OR d.seconds > r.max_duration
UNION ALL
SELECT CASE WHEN json_valid(d.value) THEN 'default-not-an-option' ELSE 'json' END, 'route', r.route_key,
       CASE WHEN json_valid(d.value)
            THEN 'route_default.value must be one of the ' || d.name || ' options of the route (route '
            ELSE 'route_default.value must be valid JSON (route ' END
       || r.route_key || ', value ' || d.value || ')'
FROM route_default d JOIN route r ON r.id = d.route_id
WHERE NOT json_valid(d.value)
   OR (d.name = 'duration' AND NOT EXISTS (SELECT 1 FROM route_duration o WHERE o.route_id = d.route_id
        AND json_type(d.value) = 'integer' AND o.seconds = json_extract(d.value, '$')))
   OR (d.name = 'aspect_ratio' AND NOT EXISTS (SELECT 1 FROM route_aspect_ratio o WHERE o.route_id = d.route_id
        AND json_type(d.value) = 'text' AND o.value = json_extract(d.value, '$')))
   OR (d.name = 'resolution' AND NOT EXISTS (SELECT 1 FROM route_resolution o WHERE o.route_id = d.route_id
        AND json_type(d.value) = 'text' AND o.value = json_extract(d.value, '$')))
UNION ALL
SELECT 'not-finite', 'route', route_key, 'route.cost_estimate_usd must be a finite number (route ' || route_key || ', value '
       || cost_estimate_usd || ')'
FROM route WHERE abs(cost_estimate_usd) > 1.7976931348623157e308
UNION ALL
SELECT 'not-finite', 'route', r.route_key, 'price.above must be a finite number (route ' || r.route_key || ', unit ' || p.unit
       || ', value ' || p.above || ')'
FROM price p JOIN route r ON r.id = p.route_id WHERE abs(p.above) > 1.7976931348623157e308
UNION ALL
SELECT 'not-finite', 'route', r.route_key, 'price_multiplier.factor must be a finite number (route ' || r.route_key
       || ', variant ' || m.variant || ', value ' || m.factor || ')'
FROM price_multiplier m JOIN route r ON r.id = m.route_id WHERE abs(m.factor) > 1.7976931348623157e308
UNION ALL
SELECT 'not-finite', 'rule', id, 'capability_rule.value must be a finite number (rule ' || id || ', value ' || value || ')'
FROM capability_rule WHERE abs(value) > 1.7976931348623157e308
UNION ALL
SELECT 'reference', 'alias', a.name,
       'alias must name an existing model and, if any, a route of it (alias "' || a.name || '", model "' || a.model_id || '")'
FROM alias a
WHERE NOT EXISTS (SELECT 1 FROM model WHERE id = a.model_id)
   OR (a.route_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM route WHERE id = a.route_id AND model_id = a.model_id))
UNION ALL
SELECT 'unknown-category', 'route', r.route_key,
       'route_category.category_id must name a known category (route ' || r.route_key || ', value "' || rc.category_id || '")'
FROM route_category rc JOIN route r ON r.id = rc.route_id
WHERE NOT EXISTS (SELECT 1 FROM category c WHERE c.id = rc.category_id)
UNION ALL
SELECT 'unknown-unit', 'route', r.route_key,
       'price.unit must name a known unit (route ' || r.route_key || ', value "' || p.unit || '")'
FROM price p JOIN route r ON r.id = p.route_id
WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = p.unit)
UNION ALL
SELECT 'unknown-unit', 'route', r.route_key,
       'price.above_unit must name a known unit (route ' || r.route_key || ', value "' || p.above_unit || '")'
FROM price p JOIN route r ON r.id = p.route_id
WHERE p.above_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = p.above_unit)
UNION ALL
SELECT 'unknown-status', 'model', m.id,
       'model.status must be one of production, beta, experimental, deprecated (model ' || m.id || ', value "' || m.status || '")'
FROM model m WHERE m.status IS NOT NULL AND NOT EXISTS (SELECT 1 FROM status s WHERE s.id = m.status)
UNION ALL
SELECT 'unknown-tier', 'model', m.id,
       'model.tier must be one of light, standard, heavy (model ' || m.id || ', value "' || m.tier || '")'
FROM model m WHERE m.tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tier t WHERE t.id = m.tier)
UNION ALL
SELECT 'successor', 'model', m.id,
       'model.successor_id must name an existing model (model ' || m.id || ', value "' || m.successor_id || '")'
FROM model m WHERE m.successor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM model s WHERE s.id = m.successor_id)
UNION ALL
SELECT 'reference', 'route', r.route_key,
       'route.provider_id must name an existing provider (route ' || r.route_key || ', value "' || r.provider_id || '")'
FROM route r WHERE NOT EXISTS (SELECT 1 FROM provider p WHERE p.id = r.provider_id)
UNION ALL
SELECT 'reference', 'route', r.route_key,
       'route.model_id must name an existing model (route ' || r.route_key || ', value "' || r.model_id || '")'
FROM route r WHERE NOT EXISTS (SELECT 1 FROM model m WHERE m.id = r.model_id)
UNION ALL
SELECT 'reference', 'table', o.tbl,
       o.tbl || '.route_id must name an existing route (value ' || o.route_id || ')'
FROM (SELECT 'route_category' AS tbl, route_id FROM route_category
      UNION ALL SELECT 'route_duration', route_id FROM route_duration
      UNION ALL SELECT 'route_aspect_ratio', route_id FROM route_aspect_ratio
      UNION ALL SELECT 'route_resolution', route_id FROM route_resolution
      UNION ALL SELECT 'route_default', route_id FROM route_default
      UNION ALL SELECT 'route_feature', route_id FROM route_feature
      UNION ALL SELECT 'price', route_id FROM price
      UNION ALL SELECT 'price_multiplier', route_id FROM price_multiplier) o
WHERE NOT EXISTS (SELECT 1 FROM route r WHERE r.id = o.route_id)
UNION ALL
SELECT 'duplicate-key', 'route', min(r.route_key),
       'route_category.key must be unique within a category (category ' || rc.category_id || ', value "' || rc.key
       || '", used by ' || count(*) || ' routes)'
FROM route_category rc JOIN route r ON r.id = rc.route_id
GROUP BY rc.category_id, rc.key HAVING count(*) > 1
UNION ALL
SELECT 'json', 'route', route_key, 'route.' || name || ' must be a JSON ' || type || ' (route ' || route_key || ')'
FROM (SELECT route_key, 'input_modalities' AS name, 'array' AS type, ifnull(input_modalities, '[]') AS value FROM route
      UNION ALL SELECT route_key, 'capabilities', 'object', capabilities FROM route
      UNION ALL SELECT route_key, 'extended_params', 'array', extended_params FROM route
      UNION ALL SELECT route_key, 'extended_features', 'object', extended_features FROM route
      UNION ALL SELECT route_key, 'input_requirements', 'object', input_requirements FROM route
      UNION ALL SELECT route_key, 'info', 'object', info FROM route
      UNION ALL SELECT route_key, 'metadata', 'object', metadata FROM route)
-- CASE, not AND: json_type() of text that is not JSON is an error, and AND may evaluate both sides.
WHERE CASE WHEN json_valid(value) THEN json_type(value) <> type ELSE 1 END
UNION ALL
SELECT 'json', 'model', id, 'model.' || name || ' must be a JSON object (model ' || id || ')'
FROM (SELECT id, 'scores' AS name, scores AS value FROM model UNION ALL SELECT id, 'metadata', metadata FROM model)
WHERE CASE WHEN json_valid(value) THEN json_type(value) <> 'object' ELSE 1 END
UNION ALL
SELECT 'json', 'provider', id, 'provider.env_vars must be a JSON array (provider ' || id || ')'
FROM provider WHERE CASE WHEN json_valid(env_vars) THEN json_type(env_vars) <> 'array' ELSE 1 END
UNION ALL
SELECT 'endpoint-shape', 'route', r.route_key,
       'route.endpoint must match the endpoint shape of the provider ' || json_quote(ifnull(p.endpoint_glob, 'no blanks, no empty segment'))
       || ' (route ' || r.route_key || ', value ' || json_quote(r.endpoint) || ')'
FROM route r JOIN provider p ON p.id = r.provider_id
WHERE r.endpoint IS NOT NULL AND (
       r.endpoint = '' OR r.endpoint GLOB '*[ 	]*' OR r.endpoint GLOB '*//*' AND r.endpoint NOT GLOB 'http*://*'
    OR r.endpoint GLOB '*/' OR r.endpoint NOT GLOB ifnull(p.endpoint_glob, '*'))
UNION ALL
SELECT 'timestamp', 'route', route_key,
       'route.context_window_observed_at must be an ISO 8601 date or UTC time (route ' || route_key || ', value '
       || json_quote(context_window_observed_at) || ')'
FROM route WHERE context_window_observed_at IS NOT NULL AND datetime(context_window_observed_at) IS NULL
UNION ALL
SELECT 'rule-value', 'rule', id,
       'capability_rule.value must be > 0' || CASE WHEN kind IN ('quality', 'default_quality') THEN ' and at most 10' ELSE '' END
       || ' for kind ' || kind || ' (rule ' || id || ', value ' || value || ')'
FROM capability_rule
WHERE value <= 0 OR (kind IN ('quality', 'default_quality') AND value > 10 AND value <= 1.7976931348623157e308)
UNION ALL
SELECT 'unknown-policy', 'setting', name, 'setting policy must be off, warn or enforce (value ' || json_quote(value) || ')'
FROM setting WHERE name = 'policy' AND value NOT IN ('off', 'warn', 'enforce')
UNION ALL
SELECT 'pinned-units', 'setting', name,
       'setting pinned_units must be unit types separated by commas, without spaces (value ' || json_quote(value) || ')'
FROM setting WHERE name = 'pinned_units' AND (value GLOB '*[ ]*' OR value GLOB '*,,*' OR value GLOB ',*' OR value GLOB '*,')
UNION ALL
SELECT 'aspect-ratio', 'route', r.route_key,
       'route aspect ratios are W:H in whole numbers (16:9) or auto (route ' || r.route_key || ', value ' || json_quote(a.value) || ')'
FROM route_aspect_ratio a JOIN route r ON r.id = a.route_id
WHERE a.value NOT IN ('', 'auto') AND NOT (a.value GLOB '[1-9]*:[1-9]*' AND a.value NOT GLOB '*[^0-9:]*' AND a.value NOT GLOB '*:*:*')
UNION ALL
SELECT 'resolution', 'route', r.route_key,
       'route resolutions are 720p, 4K, 0.5K, 1920x1080 or auto (route ' || r.route_key || ', value ' || json_quote(x.value) || ')'
FROM route_resolution x JOIN route r ON r.id = x.route_id
WHERE x.value NOT IN ('', 'auto') AND NOT (
       (x.value GLOB '[1-9]*[pP]' AND substr(x.value, 1, length(x.value) - 1) NOT GLOB '*[^0-9]*')
    OR (x.value GLOB '[0-9]*[kK]' AND substr(x.value, 1, length(x.value) - 1) NOT GLOB '*[^0-9.]*')
    OR (x.value GLOB '[1-9]*x[1-9]*' AND x.value NOT GLOB '*[^0-9x]*' AND x.value NOT GLOB '*x*x*'))
UNION ALL
SELECT 'zero-price', 'route', r.route_key,
       'a price of 0 on a route of a provider that takes a key needs "free": true; a price not published is null (route '
       || r.route_key || ', unit ' || p.unit || ifnull(', variant ' || p.variant, '') || ')'
FROM price p JOIN route r ON r.id = p.route_id JOIN provider v ON v.id = r.provider_id
WHERE p.usd = 0 AND p.free = 0 AND ifnull(v.auth, '') <> 'none'
UNION ALL
SELECT 'score-scale', 'model', m.id,
       'model.scores are numbers from 0 to 1 (model ' || m.id || ', ' || s.key || ' '
       || CASE WHEN s.type IN ('integer', 'real') THEN s.value ELSE json_quote(s.value) END || ')'
FROM model m JOIN json_each(CASE WHEN json_valid(m.scores) AND json_type(m.scores) = 'object' THEN m.scores ELSE '{}' END) s
WHERE s.type NOT IN ('integer', 'real') OR s.value < 0 OR s.value > 1
UNION ALL
SELECT 'enum', 'route', route_key, 'route.metadata.' || name || ' must be ' || allowed || ' (route ' || route_key
       || ', value ' || json_quote(value) || ')'
FROM (SELECT route_key, 'training_type' AS name, 'base, instruction, reasoning, hybrid or vision' AS allowed,
             json_extract(metadata, '$.training_type') AS value, json_type(metadata, '$.training_type') AS type
      FROM route WHERE json_valid(metadata)
      UNION ALL SELECT route_key, 'architecture', 'dense or moe', json_extract(metadata, '$.architecture'),
                       json_type(metadata, '$.architecture')
      FROM route WHERE json_valid(metadata)
      UNION ALL SELECT route_key, 'size', 'compact, small, medium or large', json_extract(metadata, '$.size'),
                       json_type(metadata, '$.size')
      FROM route WHERE json_valid(metadata))
WHERE value IS NOT NULL AND type NOT IN ('object', 'array') AND (name <> 'training_type' OR value NOT IN ('base', 'instruction', 'reasoning', 'hybrid', 'vision'))
  AND (name <> 'architecture' OR value NOT IN ('dense', 'moe'))
  AND (name <> 'size' OR value NOT IN ('compact', 'small', 'medium', 'large'))
UNION ALL
SELECT 'endpoint-route', 'route', r.route_key,
       'route.endpoint must be the wire id of the route, its route key or a URL (route ' || r.route_key
       || ', value ' || json_quote(r.endpoint) || ')'
FROM route r JOIN provider p ON p.id = r.provider_id
WHERE r.endpoint IS NOT NULL AND r.endpoint NOT IN (r.wire_id, r.route_key) AND r.endpoint NOT GLOB 'http*://*'
  AND NOT (r.endpoint = '' OR r.endpoint GLOB '*[ 	]*' OR r.endpoint GLOB '*//*'
    OR r.endpoint GLOB '*/' OR r.endpoint NOT GLOB ifnull(p.endpoint_glob, '*'))
UNION ALL
SELECT rule, subject_type, subject, message FROM deferred_violation;

------------------------------------------------------------------------------
-- Canonical identity (design doc 004)
------------------------------------------------------------------------------

-- Per route key, what a router needs to call it and to reason about it: its
-- canonical model, generation (the canonical id where none is recorded), tier
-- ('standard' where none is recorded), wire format and limits. `cost` is USD
-- per million tokens: {"input", "output", "cache_read", "cache_write"}, only
-- the prices the route has.
CREATE VIEW IF NOT EXISTS resolved_routes (route_key, canonical_id, generation, tier, wire_id, provider, api,
                                           base_url, capabilities, cost, context_window, max_tokens, reasoning,
                                           input_modalities, priority) AS
SELECT r.route_key, r.model_id, ifnull(m.generation, m.id), ifnull(m.tier, 'standard'), r.wire_id, r.provider_id,
       r.api, ifnull(r.base_url, p.base_url), r.capabilities,
       (SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_object(
            CASE unit WHEN 'input_token' THEN 'input' WHEN 'output_token' THEN 'output'
                      WHEN 'cache_read_token' THEN 'cache_read' ELSE 'cache_write' END,
            usd * 1000000.0 / per) END
        FROM current_price WHERE route_id = r.id AND variant IS NULL AND above IS NULL AND usd IS NOT NULL
          AND unit IN ('input_token', 'output_token', 'cache_read_token', 'cache_write_token')),
       r.context_window, r.max_output_tokens, r.reasoning, r.input_modalities, r.priority
FROM route r JOIN model m ON m.id = r.model_id JOIN provider p ON p.id = r.provider_id;

-- Which route a name that reaches a model (not one route) means: its routes
-- ranked 1, 2, … per model, in the one order every command, the library and
-- the Python package use (a bare "gpt-4o" is OpenAI's own route, as it is for
-- LiteLLM and genai-prices, never a reseller's):
--   priority     lower first, none last (the seeds' and overrides' choice);
--   maker_route  1 when the route is on the model's maker (model.maker), or a
--                source says the maker serves it here (route.first_party);
--   priced       1 when the route has a published price (a row with usd);
--   route_key    bytewise, so the order is total.
-- `regdb resolve` says which of these put its route first (chosen_because).
CREATE VIEW IF NOT EXISTS route_preference (route_key, model_id, provider_id, rank, priority, maker_route, priced) AS
WITH candidate AS (
    SELECT r.route_key, r.model_id, r.provider_id, r.priority,
           ifnull(r.provider_id = m.maker, 0) OR ifnull(r.first_party, 0) AS maker_route,
           EXISTS (SELECT 1 FROM price p WHERE p.route_id = r.id AND p.usd IS NOT NULL) AS priced
    FROM route r JOIN model m ON m.id = r.model_id
)
SELECT route_key, model_id, provider_id,
       row_number() OVER (PARTITION BY model_id
                          ORDER BY priority IS NULL, priority, maker_route DESC, priced DESC, route_key),
       priority, maker_route, priced
FROM candidate;

-- Why a route comes before another route of its model in route_preference:
-- the first of its keys that tells them apart. `regdb resolve` gives the reason
-- for its first route over its second (chosen_because), from here. Filter by
-- model_id too: it is route_preference's partition, so only that model's routes
-- are ranked (a route_key alone ranks every route of the registry).
CREATE VIEW IF NOT EXISTS route_choice (model_id, route_key, over, reason) AS
SELECT a.model_id, a.route_key, b.route_key,
       CASE WHEN a.priority IS NOT NULL AND (b.priority IS NULL OR b.priority > a.priority) THEN 'priority ' || a.priority
            WHEN a.maker_route AND NOT b.maker_route THEN 'the route of the maker, ' || a.provider_id
            WHEN a.priced AND NOT b.priced THEN 'priced, and the next route is not'
            ELSE 'first by route key among equals' END
FROM route_preference a JOIN route_preference b ON b.model_id = a.model_id AND b.route_key <> a.route_key;

-- The SQL contract: what any language reads to answer as regdb does
--
-- model_card, model_name, route_preference (above), failover_candidate and json_column are kept
-- stable within a schema version, so a Python, Elixir or TypeScript client can
-- read registry.db directly (README: "From other languages").

-- One row per route: everything a client shows or decides on. `prices` holds the
-- base prices in force today (no variant, no threshold), keyed by unit, in USD
-- per million for token units and per one unit otherwise:
-- {"input_token": 2.5, "output_token": 10.0} or {"second": 0.4}. NULL when the
-- route has none. available is 1 listed by its server, 0 no longer, NULL not asked.
-- scores are the model's, each from 0 to 1: {"reasoning": 0.9, "coding": 0.85}.
CREATE VIEW IF NOT EXISTS model_card (route_key, canonical_id, name, provider, wire_id, generation, tier, status,
                                      available, context_window, max_output_tokens, reasoning, capabilities,
                                      input_modalities, prices, priority, api, base_url, scores) AS
SELECT r.route_key, r.model_id, ifnull(r.name, m.name), r.provider_id, r.wire_id, ifnull(m.generation, m.id),
       ifnull(m.tier, 'standard'), m.status, r.available, r.context_window, r.max_output_tokens, r.reasoning,
       r.capabilities, r.input_modalities,
       (SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_object(cp.unit,
                   CASE WHEN u.measure LIKE '%tokens' THEN cp.usd * 1000000.0 / cp.per ELSE cp.usd * 1.0 / cp.per END) END
        FROM current_price cp JOIN unit u ON u.id = cp.unit
        WHERE cp.route_id = r.id AND cp.variant IS NULL AND cp.above IS NULL AND cp.usd IS NOT NULL AND cp.one_of IS NULL),
       r.priority, r.api, ifnull(r.base_url, p.base_url), m.scores
FROM route r JOIN model m ON m.id = r.model_id JOIN provider p ON p.id = r.provider_id;

-- A REAL as JSON number text that reads back as the same double: the short form
-- (14 significant digits) where it does, else 17 digits; `null` for NULL. SQLite's
-- own json_quote keeps 15 digits, which can change the last bit of a price.
--
-- The route as seed-format JSON, one field per row: what `route_document`
-- gathers, and what a reader can query field by field. position orders the
-- fields as `regdb get` and the seed format list them; shown says where a field
-- appears: 'both', 'get' (the model's fields `get` puts in front), 'seed' (the
-- route key, its own name and its categories, as a seed writes them) or
-- 'bookkeeping' (how and when the context window was learned: `export seeds`
-- writes it, `get` and `check` leave it out). Lists keep seed order; fields
-- without a value, and the empty JSON objects and lists of the route's
-- optional columns, are left out.
CREATE VIEW IF NOT EXISTS price_document (price_id, route_id, position, document) AS
SELECT p.id, p.route_id, p.position, (
    SELECT json_group_object(name, json(value)) FROM (
        SELECT n, name, value FROM (
            SELECT 0 AS n, 'unit' AS name, json_quote(p.unit) AS value
            UNION ALL SELECT 1, 'variant', json_quote(p.variant)
            UNION ALL SELECT 2, 'usd', CASE WHEN p.usd IS NULL THEN 'null'
                                            WHEN CAST(printf('%!.14g', p.usd) AS REAL) = p.usd THEN printf('%!.14g', p.usd)
                                            ELSE printf('%!.17g', p.usd) END
            UNION ALL SELECT 3, 'per', json_quote(nullif(p.per, 1))
            UNION ALL SELECT 4, 'above', CASE WHEN p.above IS NULL THEN 'null'
                                              WHEN CAST(printf('%!.14g', p.above) AS REAL) = p.above THEN printf('%!.14g', p.above)
                                              ELSE printf('%!.17g', p.above) END
            UNION ALL SELECT 5, 'above_unit', json_quote(p.above_unit)
            UNION ALL SELECT 6, 'above_bills', json_quote(p.above_bills)
            UNION ALL SELECT 7, 'valid_from', json_quote(p.valid_from)
            UNION ALL SELECT 8, 'valid_until', json_quote(p.valid_until)
            UNION ALL SELECT 9, 'window', CASE WHEN json_valid(p.window) THEN json(p.window) END
            UNION ALL SELECT 10, 'one_of', json_quote(p.one_of)
            UNION ALL SELECT 11, 'note', json_quote(p.note)
            UNION ALL SELECT 12, 'free', CASE WHEN p.free = 1 THEN 'true' END
            UNION ALL SELECT 13, 'checked', CASE WHEN p.checked_url IS NOT NULL AND p.checked_on IS NOT NULL
                                                 THEN json_object('url', p.checked_url, 'date', p.checked_on) END)
        WHERE value IS NOT NULL AND (value <> 'null' OR name = 'usd')
        ORDER BY n))
FROM price p;

-- route_field_list holds each route's fields as one JSON array of [position, name,
-- value, shown], read once per route; route_field and route_document read it.
CREATE VIEW IF NOT EXISTS route_field_list (route_id, route_key, model_id, fields) AS
SELECT r.id, r.route_key, r.model_id, (
    SELECT json_group_array(json_array(position, name, json(value), shown)) FROM (
        SELECT position, name, value, shown FROM (
            SELECT 0 AS position, 'route' AS name, json_quote(r.route_key) AS value, 'seed' AS shown
            UNION ALL SELECT 1, 'route_key', json_quote(r.route_key), 'get'
            UNION ALL SELECT 2, 'model', json_quote(r.model_id), 'get'
            UNION ALL SELECT 3, 'name', json_quote(ifnull(r.name, m.name)), 'get'
            UNION ALL SELECT 4, 'description', json_quote(m.description), 'get'
            UNION ALL SELECT 5, 'provider', json_quote(r.provider_id), 'get'
            UNION ALL SELECT 6, 'provider_name', json_quote(p.name), 'get'
            UNION ALL SELECT 7, 'status', json_quote(m.status), 'get'
            UNION ALL SELECT 8, 'successor', json_quote(m.successor_id), 'get'
            UNION ALL SELECT 9, 'deprecation_date', json_quote(m.deprecation_date), 'get'
            UNION ALL SELECT 10, 'family', json_quote(m.family), 'get'
            UNION ALL SELECT 11, 'generation', json_quote(m.generation), 'get'
            UNION ALL SELECT 12, 'tier', json_quote(ifnull(m.tier, 'standard')), 'get'
            UNION ALL SELECT 13, 'scores', CASE WHEN json_valid(m.scores) THEN nullif(json(m.scores), '{}') END, 'get'
            UNION ALL SELECT 20, 'name', json_quote(r.name), 'seed'
            UNION ALL SELECT 21, 'provider_label', json_quote(r.provider_label), 'both'
            UNION ALL SELECT 22, 'endpoint', json_quote(r.endpoint), 'both'
            UNION ALL SELECT 23, 'api', json_quote(r.api), 'both'
            UNION ALL SELECT 24, 'base_url', json_quote(r.base_url), 'both'
            UNION ALL SELECT 25, 'categories', (SELECT nullif(json_group_object(category_id, key), '{}') FROM (
                SELECT category_id, key FROM route_category WHERE route_id = r.id ORDER BY position)), 'seed'
            UNION ALL SELECT 26, 'pricing', (SELECT nullif(json_group_array(json(document)), '[]') FROM (
                SELECT document FROM price_document WHERE route_id = r.id ORDER BY position)), 'both'
            UNION ALL SELECT 27, 'multipliers', (SELECT nullif(json_group_object(variant, json(factor)), '{}') FROM (
                SELECT variant, CASE WHEN CAST(printf('%!.14g', factor) AS REAL) = factor THEN printf('%!.14g', factor)
                                     ELSE printf('%!.17g', factor) END AS factor
                FROM price_multiplier WHERE route_id = r.id ORDER BY position)), 'both'
            UNION ALL SELECT 28, 'context_window', json_quote(r.context_window), 'both'
            UNION ALL SELECT 29, 'context_window_source', json_quote(r.context_window_source), 'bookkeeping'
            UNION ALL SELECT 30, 'context_window_observed_at', json_quote(r.context_window_observed_at), 'bookkeeping'
            UNION ALL SELECT 31, 'max_output_tokens', json_quote(r.max_output_tokens), 'both'
            UNION ALL SELECT 32, 'durations', (SELECT nullif(json_group_array(seconds), '[]') FROM (
                SELECT seconds FROM route_duration WHERE route_id = r.id ORDER BY seconds)), 'both'
            UNION ALL SELECT 33, 'max_duration', json_quote(r.max_duration), 'both'
            UNION ALL SELECT 34, 'aspect_ratios', (SELECT nullif(json_group_array(value), '[]') FROM (
                SELECT value FROM route_aspect_ratio WHERE route_id = r.id ORDER BY position)), 'both'
            UNION ALL SELECT 35, 'resolutions', (SELECT nullif(json_group_array(value), '[]') FROM (
                SELECT value FROM route_resolution WHERE route_id = r.id ORDER BY position)), 'both'
            UNION ALL SELECT 36, 'defaults', (SELECT nullif(json_group_object(name, json(value)), '{}') FROM (
                SELECT name, value FROM route_default WHERE route_id = r.id AND json_valid(value) ORDER BY position)), 'both'
            UNION ALL SELECT 37, 'features', (SELECT nullif(json_group_array(feature), '[]') FROM (
                SELECT feature FROM route_feature WHERE route_id = r.id ORDER BY position)), 'both'
            UNION ALL SELECT 38, 'reasoning', CASE r.reasoning WHEN 1 THEN 'true' WHEN 0 THEN 'false' END, 'both'
            UNION ALL SELECT 39, 'first_party', CASE r.first_party WHEN 1 THEN 'true' WHEN 0 THEN 'false' END, 'both'
            UNION ALL SELECT 40, 'input_modalities', CASE WHEN json_valid(r.input_modalities) THEN json(r.input_modalities) END, 'both'
            UNION ALL SELECT 41, 'capabilities', CASE WHEN json_valid(r.capabilities) THEN nullif(nullif(json(r.capabilities), '{}'), '[]') END, 'both'
            UNION ALL SELECT 42, 'extended_params', CASE WHEN json_valid(r.extended_params) THEN nullif(nullif(json(r.extended_params), '{}'), '[]') END, 'both'
            UNION ALL SELECT 43, 'extended_features', CASE WHEN json_valid(r.extended_features) THEN nullif(nullif(json(r.extended_features), '{}'), '[]') END, 'both'
            UNION ALL SELECT 44, 'input_requirements', CASE WHEN json_valid(r.input_requirements) THEN nullif(nullif(json(r.input_requirements), '{}'), '[]') END, 'both'
            UNION ALL SELECT 45, 'info', CASE WHEN json_valid(r.info) THEN nullif(nullif(json(r.info), '{}'), '[]') END, 'both'
            UNION ALL SELECT 46, 'cost_estimate_usd', CASE WHEN r.cost_estimate_usd IS NULL THEN NULL
                WHEN CAST(printf('%!.14g', r.cost_estimate_usd) AS REAL) = r.cost_estimate_usd THEN printf('%!.14g', r.cost_estimate_usd)
                ELSE printf('%!.17g', r.cost_estimate_usd) END, 'both'
            UNION ALL SELECT 47, 'processing_time_s', json_quote(r.processing_time_s), 'both'
            UNION ALL SELECT 48, 'metadata', CASE WHEN json_valid(r.metadata) THEN nullif(nullif(json(r.metadata), '{}'), '[]') END, 'both'
            UNION ALL SELECT 49, 'priority', json_quote(r.priority), 'both'
            UNION ALL SELECT 50, 'aliases', (SELECT nullif(json_group_array(name), '[]') FROM (
                SELECT name FROM alias WHERE route_id = r.id ORDER BY rowid)), 'both'
            UNION ALL SELECT 51, 'available', CASE r.available WHEN 1 THEN 'true' WHEN 0 THEN 'false' END, 'both'
        ) WHERE value IS NOT NULL AND value <> 'null' ORDER BY position))
FROM route r JOIN model m ON m.id = r.model_id JOIN provider p ON p.id = r.provider_id;

CREATE VIEW IF NOT EXISTS route_field (route_id, position, name, value, shown) AS
SELECT l.route_id, j.value ->> '$[0]', j.value ->> '$[1]', j.value -> '$[2]', j.value ->> '$[3]'
FROM route_field_list l, json_each(l.fields) j;

-- A route as one JSON document. document: what `regdb get` shows (the model's
-- fields, then the route's; the category key it was found under goes in front).
-- seed: the route as a seed file writes it, with its bookkeeping; `check`
-- compares it without the bookkeeping, and `export seeds` writes it.
CREATE VIEW IF NOT EXISTS route_document (route_id, route_key, model_id, document, seed) AS
SELECT l.route_id, l.route_key, l.model_id,
       (SELECT json_group_object(j.value ->> '$[1]', json(j.value -> '$[2]')) FROM json_each(l.fields) j
        WHERE j.value ->> '$[3]' IN ('get', 'both')),
       (SELECT json_group_object(j.value ->> '$[1]', json(j.value -> '$[2]')) FROM json_each(l.fields) j
        WHERE j.value ->> '$[3]' <> 'get')
FROM route_field_list l;

-- The rows of `regdb list`: each route under each category that lists it
-- (category NULL for a route in none), with the model's status and tier,
-- availability (1 listed by its server at the last discovery, 0 no longer,
-- NULL never asked) and a Tinker model's training type, architecture and
-- size. Order by category IS NULL, category, position, route_key.
CREATE VIEW IF NOT EXISTS route_listing (category, key, route_key, name, provider, status, available, context_window,
                                         training_type, architecture, size, tier, capabilities, route_id, position) AS
SELECT rc.category_id, rc.key, r.route_key, ifnull(r.name, m.name), r.provider_id, m.status, r.available,
       r.context_window, json_extract(r.metadata, '$.training_type'), json_extract(r.metadata, '$.architecture'),
       json_extract(r.metadata, '$.size'), ifnull(m.tier, 'standard'), r.capabilities, r.id, rc.position
FROM route r
JOIN model m ON m.id = r.model_id
LEFT JOIN route_category rc ON rc.route_id = r.id;

-- Every price row as `regdb cost` prices it: its unit's measure (tokens,
-- seconds…), the units it is part of (a JSON list: cached prompt tokens are
-- prompt tokens), and when it applies in Unix seconds (valid_from inclusive,
-- valid_until exclusive; NULL open). A price is in force at T when
-- ifnull(valid_from_s, T) <= T AND T < ifnull(valid_until_s, T + 1).
CREATE VIEW IF NOT EXISTS price_line (price_id, route_id, route_key, position, unit, measure, part_of, variant, usd, per,
                                      above, above_unit, above_bills, valid_from, valid_until, valid_from_s,
                                      valid_until_s, window, one_of, note) AS
SELECT p.id, p.route_id, r.route_key, p.position, p.unit, u.measure,
       (SELECT json_group_array(whole) FROM (SELECT whole FROM unit_part WHERE part = p.unit ORDER BY whole)),
       p.variant, p.usd, p.per, p.above, p.above_unit, p.above_bills, p.valid_from, p.valid_until,
       CAST(strftime('%s', p.valid_from) AS INTEGER), CAST(strftime('%s', p.valid_until) AS INTEGER),
       p.window, p.one_of, p.note
FROM price p
JOIN route r ON r.id = p.route_id
JOIN unit u ON u.id = p.unit;

-- Per route, the other routes `regdb failover` may move to, with what orders
-- them. relation: 'same canonical id', 'same generation' or 'generation
-- downgrade' (another generation of the family); relation_rank 1, 2, 3.
-- direction and steps order other generations: the nearest older first
-- (direction 0), then newer ones (1), then unranked ones (2). Order by
--     relation_rank, direction, steps, same_tier DESC, priority IS NULL,
--     priority, <health DESC>, candidate
-- where health is (successes + 1) / (total + 2) from metrics_by_route for the
-- unit of work (0.5 without outcomes); `--pin` keeps only relation_rank 1.
CREATE VIEW IF NOT EXISTS failover_candidate (route_key, candidate, relation, relation_rank, direction, steps,
                                              same_tier, priority) AS
WITH pair AS (
    SELECT r.route_key, c.route_key AS candidate, c.priority,
           CASE WHEN c.model_id = r.model_id THEN 1
                WHEN ifnull(cm.generation, cm.id) = ifnull(rm.generation, rm.id) THEN 2 ELSE 3 END AS relation_rank,
           rm.generation_rank AS from_rank, cm.generation_rank AS to_rank,
           ifnull(cm.tier, 'standard') = ifnull(rm.tier, 'standard') AS same_tier
    FROM route r JOIN model rm ON rm.id = r.model_id
    JOIN model cm ON cm.id = rm.id OR cm.generation = ifnull(rm.generation, rm.id)
                  OR (rm.family IS NOT NULL AND cm.family = rm.family)
    JOIN route c ON c.model_id = cm.id AND c.id <> r.id
)
SELECT route_key, candidate,
       CASE relation_rank WHEN 1 THEN 'same canonical id' WHEN 2 THEN 'same generation' ELSE 'generation downgrade' END,
       relation_rank,
       CASE WHEN relation_rank < 3 THEN 0 WHEN from_rank IS NULL OR to_rank IS NULL THEN 2
            WHEN to_rank <= from_rank THEN 0 ELSE 1 END,
       CASE WHEN relation_rank < 3 OR from_rank IS NULL OR to_rank IS NULL THEN 0 ELSE abs(from_rank - to_rank) END,
       same_tier, priority
FROM pair;

-- The columns of tables and views that hold JSON text, so a client decodes
-- them without guessing (`regdb sql --format json` does).
CREATE VIEW IF NOT EXISTS json_column (object, name, type) AS
VALUES ('provider', 'env_vars', 'array'), ('model', 'scores', 'object'), ('model', 'metadata', 'object'),
       ('route', 'input_modalities', 'array'), ('route', 'capabilities', 'object'), ('route', 'extended_params', 'array'),
       ('route', 'extended_features', 'object'), ('route', 'input_requirements', 'object'), ('route', 'info', 'object'),
       ('route', 'metadata', 'object'), ('route_default', 'value', 'any'), ('claim', 'value', 'object'),
       ('capability_rule', 'match', 'any'), ('capability_rule', 'capabilities', 'array'), ('host', 'devices', 'array'),
       ('provenance', 'value', 'any'), ('route_pricing', 'pricing', 'object'), ('model_pricing', 'pricing', 'object'),
       ('duration_options', 'options', 'array'), ('aspect_ratio_options', 'options', 'array'),
       ('resolution_options', 'options', 'array'), ('default_values', 'defaults', 'object'),
       ('model_info', 'features', 'array'), ('extended_params', 'params', 'array'),
       ('extended_features', 'features', 'object'), ('input_requirements', 'requirements', 'object'),
       ('resolved_routes', 'capabilities', 'object'), ('resolved_routes', 'cost', 'object'),
       ('resolved_routes', 'input_modalities', 'array'), ('model_card', 'capabilities', 'object'),
       ('model_card', 'input_modalities', 'array'), ('model_card', 'prices', 'object'),
       ('model_card', 'scores', 'object'), ('route_document', 'document', 'object'), ('route_document', 'seed', 'object'),
       ('route_field', 'value', 'any'), ('route_field_list', 'fields', 'array'), ('price_document', 'document', 'object'), ('route_listing', 'capabilities', 'object'),
       ('price_line', 'part_of', 'array'), ('price_line', 'window', 'array');

------------------------------------------------------------------------------
-- Outcome metrics and failover (design doc 004)
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS route_outcome (
    -- Outcome counters per unit of work and route key. Route keys are not
    -- references: outcomes of a route the registry does not know are kept and
    -- reported under the canonical id '_unmapped', never dropped.
    unit        TEXT NOT NULL CHECK (unit <> ''),       -- unit of work: execute-task, solve…
    route_key   TEXT NOT NULL CHECK (instr(route_key, '/') > 1),
    successes   INTEGER NOT NULL DEFAULT 0 CHECK (successes >= 0),
    failures    INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    timeouts    INTEGER NOT NULL DEFAULT 0 CHECK (timeouts >= 0),
    last_seen   TEXT,                                   -- ISO 8601 UTC of the latest outcome
    PRIMARY KEY (unit, route_key)
) STRICT;

-- Per route: its canonical id ('_unmapped' when the registry has no such
-- route) and its counters.
CREATE VIEW IF NOT EXISTS metrics_by_route (unit, canonical_id, route_key, successes, failures, timeouts, total) AS
SELECT o.unit, ifnull(r.model_id, '_unmapped'), o.route_key, o.successes, o.failures, o.timeouts,
       o.successes + o.failures + o.timeouts
FROM route_outcome o LEFT JOIN route r ON r.route_key = o.route_key
ORDER BY o.unit, 2, o.route_key;

-- Per canonical id: the sum of its routes, so the aggregate always equals the
-- sum of by_route. Unmapped routes have no aggregate.
CREATE VIEW IF NOT EXISTS metrics_aggregate (unit, canonical_id, successes, failures, timeouts, total) AS
SELECT unit, canonical_id, sum(successes), sum(failures), sum(timeouts), sum(total)
FROM metrics_by_route WHERE canonical_id <> '_unmapped'
GROUP BY unit, canonical_id
ORDER BY unit, canonical_id;

-- Every canonical model of the registry for every unit with outcomes, zeros where the model
-- was never seen (design doc 004: a never-seen canonical id reads as sensible defaults):
--   SELECT * FROM model_metrics WHERE unit = 'execute-task' AND canonical_id = 'kimi-k2.5'
CREATE VIEW IF NOT EXISTS model_metrics (unit, canonical_id, successes, failures, timeouts, total) AS
SELECT u.unit, m.id, ifnull(a.successes, 0), ifnull(a.failures, 0), ifnull(a.timeouts, 0), ifnull(a.total, 0)
FROM (SELECT DISTINCT unit FROM route_outcome) u CROSS JOIN model m
LEFT JOIN metrics_aggregate a ON a.unit = u.unit AND a.canonical_id = m.id;

CREATE TABLE IF NOT EXISTS failover_event (
    -- Every failover that crossed a generation, as `regdb failover` reported it.
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,          -- ISO 8601 UTC
    event           TEXT NOT NULL CHECK (event IN ('generation_downgrade')),
    unit            TEXT NOT NULL,
    from_route      TEXT NOT NULL,
    to_route        TEXT NOT NULL,
    from_canonical  TEXT NOT NULL,
    to_canonical    TEXT NOT NULL,
    from_generation TEXT NOT NULL,
    to_generation   TEXT NOT NULL,
    steps           INTEGER                 -- generations stepped down (by generation_rank); NULL unranked
) STRICT;

------------------------------------------------------------------------------
-- Settings, unknown models, lifecycle
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS setting (
    -- Registry-wide settings (`regdb config set NAME VALUE`). Secrets are never
    -- stored here or anywhere in the registry. policy: off, warn or enforce.
    -- pinned_units: the unit types whose failover never leaves the canonical id,
    -- comma-separated (design doc 004's solver pin); absent: solve; empty: none.
    name  TEXT PRIMARY KEY CHECK (name IN ('policy', 'pinned_units')),
    value TEXT NOT NULL
) STRICT;

CREATE TRIGGER IF NOT EXISTS setting_value_insert BEFORE INSERT ON setting
WHEN NEW.name = 'policy' AND NEW.value NOT IN ('off', 'warn', 'enforce')
BEGIN
    SELECT json_extract('{}', '[unknown-policy] setting policy must be off, warn or enforce (value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS setting_value_update BEFORE UPDATE OF value ON setting
WHEN NEW.name = 'policy' AND NEW.value NOT IN ('off', 'warn', 'enforce')
BEGIN
    SELECT json_extract('{}', '[unknown-policy] setting policy must be off, warn or enforce (value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS setting_pinned_units_insert BEFORE INSERT ON setting
WHEN NEW.name = 'pinned_units' AND (NEW.value GLOB '*[ ]*' OR NEW.value GLOB '*,,*' OR NEW.value GLOB ',*' OR NEW.value GLOB '*,')
BEGIN
    SELECT json_extract('{}', '[pinned-units] setting pinned_units must be unit types separated by commas, without spaces (value ' || json_quote(NEW.value) || ')');
END;

CREATE TRIGGER IF NOT EXISTS setting_pinned_units_update BEFORE UPDATE OF value ON setting
WHEN NEW.name = 'pinned_units' AND (NEW.value GLOB '*[ ]*' OR NEW.value GLOB '*,,*' OR NEW.value GLOB ',*' OR NEW.value GLOB '*,')
BEGIN
    SELECT json_extract('{}', '[pinned-units] setting pinned_units must be unit types separated by commas, without spaces (value ' || json_quote(NEW.value) || ')');
END;

CREATE TABLE IF NOT EXISTS sighting (
    -- Names asked for that the registry does not know, so unknown models are
    -- tracked, not ignored (whatever the unknown-model policy).
    name       TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,              -- ISO 8601 UTC
    last_seen  TEXT NOT NULL,              -- ISO 8601 UTC
    count      INTEGER NOT NULL DEFAULT 1 CHECK (count > 0),
    context    TEXT                        -- where it was last seen: resolve, discover openai…
) STRICT;

-- A name stays unknown until a reviewed source (not a server's listing) knows it.
CREATE VIEW IF NOT EXISTS unknown_models (name, first_seen, last_seen, count) AS
SELECT name, first_seen, last_seen, count FROM sighting
WHERE NOT EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
                  WHERE s.kind <> 'server' AND c.entity IN ('route', 'model') AND c.entity_id = sighting.name)
ORDER BY last_seen DESC, name;

-- Lifecycle rules no single statement can break: reported by `regdb check`.
CREATE VIEW IF NOT EXISTS lifecycle_violation (rule, subject_type, subject, message) AS
SELECT 'lifecycle', 'model', id,
       'model ' || id || ' is deprecated without a successor; set successor to the model to migrate to'
FROM model WHERE status = 'deprecated' AND successor_id IS NULL
  -- The reviewed seeds must name a successor; another source (design doc 002's YAML has no
  -- successor field) is warned about when imported, not refused.
  AND EXISTS (SELECT 1 FROM claim c JOIN source s ON s.id = c.source_id
              WHERE c.entity = 'model' AND c.entity_id = model.id AND s.kind = 'builtin'
                AND json_extract(c.value, '$.status') = 'deprecated')
UNION ALL
SELECT 'lifecycle', 'model', id,
       'model ' || id || ' is still production but its deprecation date ' || deprecation_date
       || ' has passed; mark it deprecated with a successor, or correct the date'
FROM model WHERE status = 'production' AND deprecation_date < date('now');

-- deferred_violation: the rules no single statement can break, because they
-- span rows that are written one after another (a media route and its price,
-- the models of one generation), and the lifecycle rules above. No trigger can
-- hold them; `regdb import` reads this view before it commits and refuses the
-- import if any row is here, and rule_violation includes it.
CREATE VIEW IF NOT EXISTS deferred_violation (rule, subject_type, subject, message) AS
SELECT 'generation-rank', 'model', m.id,
       'model.generation_rank must agree within a family and generation (model ' || m.id || ', family '
       || m.family || ', generation ' || m.generation || ', value ' || ifnull(m.generation_rank, 'null')
       || ', model ' || o.id || ' has ' || ifnull(o.generation_rank, 'null') || ')'
FROM model m JOIN model o ON o.family = m.family AND o.generation = m.generation AND o.id < m.id
WHERE m.generation_rank IS NOT o.generation_rank
UNION ALL
SELECT 'required-endpoint', 'route', r.route_key,
       'a route in the media category ' || rc.category_id || ' must have an endpoint (route ' || r.route_key || ')'
FROM route r JOIN route_category rc ON rc.route_id = r.id JOIN category c ON c.id = rc.category_id
WHERE c.kind = 'media' AND r.endpoint IS NULL
UNION ALL
SELECT 'required-pricing', 'route', r.route_key,
       'a route in the media category ' || rc.category_id || ' must have at least one price (route ' || r.route_key || ')'
FROM route r JOIN route_category rc ON rc.route_id = r.id JOIN category c ON c.id = rc.category_id
WHERE c.kind = 'media' AND NOT EXISTS (SELECT 1 FROM price p WHERE p.route_id = r.id)
UNION ALL
SELECT 'required-name', 'model', m.id,
       'a model with a route in the media category ' || min(rc.category_id) || ' must have a name (model ' || m.id || ')'
FROM model m JOIN route r ON r.model_id = m.id JOIN route_category rc ON rc.route_id = r.id JOIN category c ON c.id = rc.category_id
WHERE c.kind = 'media' AND NOT EXISTS (SELECT 1 FROM claim cl WHERE cl.entity = 'model' AND cl.entity_id = m.id
                                        AND json_extract(cl.value, '$.name') IS NOT NULL)
GROUP BY m.id
UNION ALL
SELECT rule, subject_type, subject, message FROM lifecycle_violation;

------------------------------------------------------------------------------
-- Discovery (design doc 001)
------------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS capability_rule (
    -- How discovery judges a model file a ComfyUI host has, kept as data (the
    -- seeds' "rules", materialized from claims like everything else). A loader rule
    -- says what the files a node loads do; filename rules are the fallback when no
    -- loader rule matched; quality, size and quantization markers are substrings
    -- of the file name, the first match in position order winning.
    id           TEXT PRIMARY KEY,         -- kind:match, e.g. loader:CheckpointLoaderSimple
    kind         TEXT NOT NULL CHECK (kind IN ('loader', 'generic_loader', 'family', 'filename', 'extension', 'quality',
                                               'precision', 'default_quality', 'default_vram')),
    match        TEXT CHECK (match IS NULL OR json_valid(match)),  -- JSON: node name, extension, or array of lowercase substrings
    capabilities TEXT CHECK (capabilities IS NULL OR json_valid(capabilities)),  -- JSON array (loaders, family, filename)
    value        REAL                      -- quality 1-10 | parameters in billions (family) | bytes per parameter
                                           -- (precision) | VRAM GB (default_vram): > 0 and finite ([rule-value])
                 CHECK (value IS NULL OR value > 0 AND value <= 1.7976931348623157e308
                        AND (kind NOT IN ('quality', 'default_quality') OR value <= 10)),
    position     INTEGER NOT NULL          -- order given by the seeds
) STRICT;

CREATE TRIGGER IF NOT EXISTS capability_rule_value_finite_insert BEFORE INSERT ON capability_rule
WHEN abs(NEW.value) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] capability_rule.value must be a finite number (' || 'rule ' || NEW.id
        || ', value ' || NEW.value || ')');
END;

CREATE TRIGGER IF NOT EXISTS capability_rule_value_finite_update BEFORE UPDATE OF value ON capability_rule
WHEN abs(NEW.value) > 1.7976931348623157e308
BEGIN
    SELECT json_extract('{}', '[not-finite] capability_rule.value must be a finite number (' || 'rule ' || NEW.id
        || ', value ' || NEW.value || ')');
END;

CREATE TRIGGER IF NOT EXISTS capability_rule_value_range_insert BEFORE INSERT ON capability_rule
WHEN NEW.value <= 0 OR (NEW.kind IN ('quality', 'default_quality') AND NEW.value > 10 AND NEW.value <= 1.7976931348623157e308)
BEGIN
    SELECT json_extract('{}', '[rule-value] capability_rule.value must be > 0' || CASE WHEN NEW.kind IN ('quality', 'default_quality')
        THEN ' and at most 10' ELSE '' END || ' for kind ' || NEW.kind || ' (rule ' || NEW.id || ', value ' || NEW.value || ')');
END;

CREATE TRIGGER IF NOT EXISTS capability_rule_value_range_update BEFORE UPDATE OF value, kind ON capability_rule
WHEN NEW.value <= 0 OR (NEW.kind IN ('quality', 'default_quality') AND NEW.value > 10 AND NEW.value <= 1.7976931348623157e308)
BEGIN
    SELECT json_extract('{}', '[rule-value] capability_rule.value must be > 0' || CASE WHEN NEW.kind IN ('quality', 'default_quality')
        THEN ' and at most 10' ELSE '' END || ' for kind ' || NEW.kind || ' (rule ' || NEW.id || ', value ' || NEW.value || ')');
END;

CREATE TABLE IF NOT EXISTS catalog_source (
    -- The public catalogs `regdb refresh` fetches, each imported as a source of
    -- kind `catalog` under its name. schema.sql gives the defaults; `regdb
    -- refresh --add NAME URL --format F` adds others (an internal mirror).
    name     TEXT PRIMARY KEY CHECK (name <> ''),
    url      TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
    format   TEXT NOT NULL CHECK (format IN ('litellm', 'models.dev', 'genai-prices', 'openrouter', 'fal-pricing', 'native')),
    floor    INTEGER NOT NULL DEFAULT 1 CHECK (floor >= 0),  -- fewer routes than this: refused as broken
    position INTEGER NOT NULL
) STRICT;

INSERT OR IGNORE INTO catalog_source (name, url, format, floor, position) VALUES
    ('litellm', 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json', 'litellm', 1000, 1),
    ('models.dev', 'https://models.dev/api.json', 'models.dev', 500, 2),
    ('genai-prices', 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json', 'genai-prices', 500, 3),
    -- Public, no key; text models (OpenRouter lists about 460 of them, 2026-09).
    ('openrouter', 'https://openrouter.ai/api/v1/models', 'openrouter', 200, 5),
    -- An account's own prices, asked for the registry's fal endpoints, 50 at a time; only
    -- with FAL_KEY set (sent as a header, never stored or printed).
    ('fal', 'https://api.fal.ai/v1/models/pricing', 'fal-pricing', 1, 4);

CREATE TABLE IF NOT EXISTS catalog_fetch (
    -- The last good copy of each refreshed catalog: what the conditional request
    -- of the next refresh sends (ETag, Last-Modified), and what the shrink guard
    -- compares with. The copy itself is in .regdb-cache/ beside the registry.
    -- No credential is ever stored here.
    name          TEXT PRIMARY KEY REFERENCES catalog_source (name) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    TEXT NOT NULL,           -- ISO 8601 UTC of the last answer (200 or 304)
    content_hash  TEXT NOT NULL,           -- sha256 of the last good copy, lowercase hex
    bytes         INTEGER NOT NULL CHECK (bytes >= 0),
    routes        INTEGER NOT NULL CHECK (routes >= 0)
) STRICT;

CREATE TABLE IF NOT EXISTS host (
    -- What each discovered ComfyUI host reported about itself at its last discovery.
    provider_id     TEXT PRIMARY KEY REFERENCES provider (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,         -- as given to regdb discover
    remote          INTEGER NOT NULL CHECK (remote IN (0, 1)),  -- 0 when the URL names this machine
    gpu             TEXT,                  -- primary device's GPU name: Quadro RTX 5000
    vram_total_gb   REAL,                  -- primary device, GiB
    vram_free_gb    REAL,
    ram_total_gb    REAL,
    ram_free_gb     REAL,
    os              TEXT,                  -- linux, nt, posix… as reported
    comfyui_version TEXT,                  -- without a leading v; NULL when the server says unknown
    devices         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(devices)),  -- JSON array, primary first
    observed_at     TEXT NOT NULL          -- ISO 8601 UTC
) STRICT;
