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

PRAGMA application_id = 1382377284;  -- 0x52656744, "RegD": this file is a regdb registry
PRAGMA user_version = 4;             -- schema version; regdb upgrades 1 to 3 and refuses others

------------------------------------------------------------------------------
-- Vocabulary
------------------------------------------------------------------------------

-- What a route does for its callers. A route is listed in a category under the
-- key that category's consumers know it by (route_category). Media categories
-- come from the media pipeline (design doc 000); `chat` holds LLM routes.
CREATE TABLE IF NOT EXISTS category (
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

-- Capability tiers of design doc 004. A model with no tier reads as
-- 'standard' in queries; that default is not stored as a fact.
CREATE TABLE IF NOT EXISTS tier (
    id    TEXT PRIMARY KEY,                -- light | standard | heavy
    rank  INTEGER NOT NULL UNIQUE          -- 1 lightest
) STRICT;

INSERT OR IGNORE INTO tier (id, rank) VALUES ('light', 1), ('standard', 2), ('heavy', 3);

-- Lifecycle status of design doc 002.
CREATE TABLE IF NOT EXISTS status (
    id          TEXT PRIMARY KEY,
    description TEXT NOT NULL
) STRICT;

INSERT OR IGNORE INTO status (id, description) VALUES
    ('production',   'Fully supported, tested, recommended'),
    ('beta',         'Working but may have issues'),
    ('experimental', 'Use at own risk, may not work'),
    ('deprecated',   'Will be removed; migrate to the successor');

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
CREATE TABLE IF NOT EXISTS unit (
    id          TEXT PRIMARY KEY,
    measure     TEXT NOT NULL              -- what a call supplies; see the list in the CHECK
                CHECK (measure IN ('seconds', 'minutes', 'images', 'input_images', 'megapixels', 'pixels',
                                   'characters', 'output_characters', 'pages', 'queries', 'input_tokens',
                                   'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'calls',
                                   'input_audio_tokens', 'output_audio_tokens', 'cache_read_audio_tokens',
                                   'input_image_tokens', 'output_image_tokens', 'input_video_tokens',
                                   'reasoning_tokens')),
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
    ('reasoning_token',   'reasoning_tokens',   'One completion token spent on reasoning');

-- Which units count tokens that are also counted by a larger unit: cached
-- prompt tokens are prompt tokens. A part may sit in two wholes (cached audio
-- is cached and audio); `regdb cost` bills every token once, at the rate of
-- the most specific unit the route prices.
CREATE TABLE IF NOT EXISTS unit_part (
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
    ('reasoning_token',        'output_token');

------------------------------------------------------------------------------
-- Bookkeeping
------------------------------------------------------------------------------

-- Where facts come from. Every import names a source and its kind; the kind
-- sets its precedence: builtin < server < file < override (between two sources
-- of one kind, the later import wins). An import whose content hash equals the
-- stored one writes nothing.
CREATE TABLE IF NOT EXISTS source (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,     -- --source NAME, else the file path as imported
    kind         TEXT NOT NULL DEFAULT 'builtin'
                 CHECK (kind IN ('builtin', 'server', 'file', 'override')),
    content_hash TEXT NOT NULL,            -- sha256 of the imported bytes, lowercase hex
    imported_at  TEXT NOT NULL,            -- ISO 8601 UTC, e.g. 2026-11-21T05:36:07Z
    import_seq   INTEGER NOT NULL DEFAULT 0  -- rises with every import: orders sources of one kind
) STRICT;

-- What each source says: one row per provider, model, route or rule it
-- describes, holding the entity's whole seed object (a nested route's with its
-- enclosing model as "model" when it names none). Sources are merged field by
-- field: maps key by key (defaults.duration, categories.text_to_video) and
-- prices row by row (pricing.second.audio), so an override can change one price
-- or one default and leave the rest to the seeds. The catalog tables below are
-- materialized from these claims: for each field the non-null value of the
-- source with the highest precedence wins. `regdb why` reads them.
CREATE TABLE IF NOT EXISTS claim (
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

-- Precedence rank of each source: higher wins. Kinds rank builtin < server <
-- file < override; within a kind, the later import ranks higher.
CREATE VIEW IF NOT EXISTS source_precedence (source_id, name, kind, rank) AS
SELECT id, name, kind,
       row_number() OVER (ORDER BY CASE kind WHEN 'builtin' THEN 0 WHEN 'server' THEN 1 WHEN 'file' THEN 2 ELSE 3 END,
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

-- Who serves models: an API platform (fal, openai), an aggregator
-- (openrouter) or a host. Secrets are never stored: env_vars names the
-- variables a caller must set, never their values.
CREATE TABLE IF NOT EXISTS provider (
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

-- A canonical model: the thing a route calls, whatever the provider calls it.
-- `id` is the canonical id (design doc 004): routes of one model on several
-- providers share it.
CREATE TABLE IF NOT EXISTS model (
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
    scores           TEXT NOT NULL DEFAULT '{}',   -- JSON object of capability scores: {"reasoning": 90, "coding": 85, "speed": 8}
    metadata         TEXT NOT NULL DEFAULT '{}',   -- JSON object: fields a source gave that have no column
    source_id        INTEGER REFERENCES source (id) ON DELETE SET NULL
) STRICT;

-- One way to call a model: a provider and the id that provider knows it by.
-- Everything that depends on how the model is called (endpoint, options,
-- defaults, prices, limits) hangs off the route.
CREATE TABLE IF NOT EXISTS route (
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
    input_modalities   TEXT,               -- JSON array: ["text", "image"]
    capabilities       TEXT NOT NULL DEFAULT '{}',  -- JSON object of flags: {"function_calling": true}
    extended_params    TEXT NOT NULL DEFAULT '[]',  -- JSON array of extra request parameters the route takes
    extended_features  TEXT NOT NULL DEFAULT '{}',  -- JSON object of input features: {"start_frame": true, "end_frame": false}
    input_requirements TEXT NOT NULL DEFAULT '{}',  -- JSON object: {"required": [...], "optional": [...]}
    info               TEXT NOT NULL DEFAULT '{}',  -- JSON object of further facts: {"max_durations": {"1080p": 30}}
    metadata           TEXT NOT NULL DEFAULT '{}',  -- JSON object: fields a source gave that have no column
    priority           INTEGER,            -- failover preference among candidates, lower first; NULL none
    context_window_source TEXT             -- how the context window was learned: server | docs | probe | manual
                       CHECK (context_window_source IN ('server', 'docs', 'probe', 'manual')),
    context_window_observed_at TEXT        -- ISO 8601 UTC of that observation ([timestamp])
                       CHECK (context_window_observed_at IS NULL OR datetime(context_window_observed_at) IS NOT NULL),
    available          INTEGER CHECK (available IN (0, 1)),  -- 1 listed by its server, 0 no longer listed; NULL not asked
    source_id          INTEGER REFERENCES source (id) ON DELETE SET NULL,  -- the lowest-precedence source listing the route
    ordinal            INTEGER NOT NULL DEFAULT 0,      -- its position in that source
    UNIQUE (provider_id, wire_id)
) STRICT;

CREATE UNIQUE INDEX IF NOT EXISTS route_route_key ON route (route_key);
CREATE INDEX IF NOT EXISTS route_model_id ON route (model_id);

-- The key by which a category's consumers know a route. One route may be
-- listed in several categories; one key means one route within a category,
-- while the same key may name different routes in different categories
-- (sora_2 in text_to_video and image_to_video).
CREATE TABLE IF NOT EXISTS route_category (
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

-- Names callers write for a model or one of its routes besides its ids: a
-- provider's moving alias (Anthropic's claude-3-5-sonnet-latest reaches the
-- snapshot it serves now), a local runtime's tag (kimi-k2.5:cloud), a
-- catalog's plain match name. Filled from the seeds' and catalogs' `aliases`
-- (a model's names its model, a route's its route); `model_name` below lists
-- every name with how it matches.
CREATE TABLE IF NOT EXISTS alias (
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
CREATE TABLE IF NOT EXISTS name_rule (
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

-- Output durations a route accepts. Every option lies in (0, route.max_duration].
CREATE TABLE IF NOT EXISTS route_duration (
    route_id INTEGER NOT NULL REFERENCES route (id),
    seconds  INTEGER NOT NULL CHECK (seconds > 0),  -- whole seconds
    PRIMARY KEY (route_id, seconds)
) STRICT;

-- Aspect ratios a route accepts, in the order the seeds give.
CREATE TABLE IF NOT EXISTS route_aspect_ratio (
    route_id INTEGER NOT NULL REFERENCES route (id),
    value    TEXT NOT NULL CHECK (value <> ''),    -- W:H such as 16:9, or auto
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, value)
) STRICT;

-- Resolutions a route accepts, in the order the seeds give.
CREATE TABLE IF NOT EXISTS route_resolution (
    route_id INTEGER NOT NULL REFERENCES route (id),
    value    TEXT NOT NULL CHECK (value <> ''),    -- 720p, 1080p, 1K, 4K, auto
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, value)
) STRICT;

-- Default request parameters. A default duration, aspect_ratio or resolution
-- must be one of the route's options.
CREATE TABLE IF NOT EXISTS route_default (
    route_id INTEGER NOT NULL REFERENCES route (id),
    name     TEXT NOT NULL CHECK (name <> ''),     -- parameter name: duration, aspect_ratio, cfg_scale…
    value    TEXT NOT NULL,                        -- JSON value; duration is whole seconds
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, name)
) STRICT;

-- Features a route advertises, in the order the seeds give.
CREATE TABLE IF NOT EXISTS route_feature (
    route_id INTEGER NOT NULL REFERENCES route (id),
    feature  TEXT NOT NULL CHECK (feature <> ''),
    position INTEGER NOT NULL,
    PRIMARY KEY (route_id, feature)
) STRICT;

------------------------------------------------------------------------------
-- Pricing
------------------------------------------------------------------------------

-- One row per priced unit, variant, threshold and date. The cost of a call
-- adds, per unit, usd × quantity / per, choosing among a unit's rows:
--
--   dates      A row applies to calls made from valid_from (inclusive) until
--              valid_until (exclusive); NULL is open-ended. `regdb cost --at`
--              prices a past call; views and exports give the price in force
--              today. A price change is two rows, the old one closed.
--   variants   Rows of one unit with different variants are alternatives the
--              caller chooses (audio or no_audio, 720p, batch / flex /
--              priority); a row without variant applies when none is chosen.
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
CREATE TABLE IF NOT EXISTS price (
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
    one_of      TEXT CHECK (one_of <> ''),    -- alternatives group; NULL adds
    note        TEXT,                         -- what the source said where no number was given
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

-- Factors applied to the whole price of a call when a variant is chosen
-- (multitalk: 720p doubles the price).
CREATE TABLE IF NOT EXISTS price_multiplier (
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
        || OLD.route_key || ', value ' || json_quote(NEW.provider_id) || ')');
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

CREATE TRIGGER IF NOT EXISTS price_usd_insert BEFORE INSERT ON price
WHEN NEW.usd < 0 OR NEW.usd > 1.7976931348623157e308 OR typeof(NEW.usd) NOT IN ('real', 'integer', 'null')
BEGIN
    SELECT json_extract('{}', '[price-negative] price.usd must be a finite number >= 0 (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ', value ' || json_quote(NEW.usd) || ')');
END;

CREATE TRIGGER IF NOT EXISTS price_usd_update BEFORE UPDATE OF usd ON price
WHEN NEW.usd < 0 OR NEW.usd > 1.7976931348623157e308 OR typeof(NEW.usd) NOT IN ('real', 'integer', 'null')
BEGIN
    SELECT json_extract('{}', '[price-negative] price.usd must be a finite number >= 0 (route '
        || ifnull((SELECT route_key FROM route WHERE id = NEW.route_id), NEW.route_id)
        || ', unit ' || NEW.unit || ifnull(', variant ' || NEW.variant, '') || ', value ' || json_quote(NEW.usd) || ')');
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
        || ' (route ' || OLD.route_key || ', value ' || json_quote(NEW.endpoint) || ')');
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
WHERE p.usd < 0 OR p.usd > 1.7976931348623157e308 OR typeof(p.usd) NOT IN ('real', 'integer', 'null')
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
SELECT 'json', 'route', r.route_key, 'route.' || c.name || ' must be a JSON ' || c.type || ' (route ' || r.route_key || ')'
FROM route r
JOIN (SELECT 'capabilities' AS name, 'object' AS type UNION ALL SELECT 'extended_params', 'array'
      UNION ALL SELECT 'extended_features', 'object' UNION ALL SELECT 'input_requirements', 'object'
      UNION ALL SELECT 'info', 'object' UNION ALL SELECT 'metadata', 'object'
      UNION ALL SELECT 'input_modalities', 'array') c
WHERE NOT ifnull(json_valid(CASE c.name WHEN 'capabilities' THEN r.capabilities WHEN 'extended_params' THEN r.extended_params
        WHEN 'extended_features' THEN r.extended_features WHEN 'input_requirements' THEN r.input_requirements
        WHEN 'info' THEN r.info WHEN 'metadata' THEN r.metadata ELSE ifnull(r.input_modalities, '[]') END)
   AND json_type(CASE c.name WHEN 'capabilities' THEN r.capabilities WHEN 'extended_params' THEN r.extended_params
        WHEN 'extended_features' THEN r.extended_features WHEN 'input_requirements' THEN r.input_requirements
        WHEN 'info' THEN r.info WHEN 'metadata' THEN r.metadata ELSE ifnull(r.input_modalities, '[]') END) = c.type, 0)
UNION ALL
SELECT 'json', 'model', m.id, 'model.scores and model.metadata must be JSON objects (model ' || m.id || ')'
FROM model m
WHERE NOT ifnull(json_valid(m.scores) AND json_type(m.scores) = 'object'
             AND json_valid(m.metadata) AND json_type(m.metadata) = 'object', 0)
UNION ALL
SELECT 'json', 'provider', p.id, 'provider.env_vars must be a JSON array (provider ' || p.id || ')'
FROM provider p WHERE NOT ifnull(json_valid(p.env_vars) AND json_type(p.env_vars) = 'array', 0)
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

------------------------------------------------------------------------------
-- Outcome metrics and failover (design doc 004)
------------------------------------------------------------------------------

-- Outcome counters per unit of work and route key. Route keys are not
-- references: outcomes of a route the registry does not know are kept and
-- reported under the canonical id '_unmapped', never dropped.
CREATE TABLE IF NOT EXISTS route_outcome (
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

-- Every failover that crossed a generation, as `regdb failover` reported it.
CREATE TABLE IF NOT EXISTS failover_event (
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

-- Registry-wide settings (`regdb config set NAME VALUE`). Secrets are never
-- stored here or anywhere in the registry.
CREATE TABLE IF NOT EXISTS setting (
    name  TEXT PRIMARY KEY CHECK (name IN ('policy')),
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

-- Names asked for that the registry does not know, so unknown models are
-- tracked, not ignored (whatever the unknown-model policy).
CREATE TABLE IF NOT EXISTS sighting (
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
SELECT rule, subject_type, subject, message FROM lifecycle_violation;

------------------------------------------------------------------------------
-- Discovery (design doc 001)
------------------------------------------------------------------------------

-- How discovery judges a model file a ComfyUI host has, kept as data (the
-- seeds' "rules", materialized from claims like everything else). A loader rule
-- says what the files a node loads do; filename rules are the fallback when no
-- loader rule matched; quality, size and quantization markers are substrings
-- of the file name, the first match in position order winning.
CREATE TABLE IF NOT EXISTS capability_rule (
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

-- What each discovered ComfyUI host reported about itself at its last discovery.
CREATE TABLE IF NOT EXISTS host (
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
