"""Prices the same calls with regdb and with the public catalogs' own Python packages.

    python3 compare_prices.py REGDB WORKDIR GENAI_DATA_JSON [--calls N]

LiteLLM (its bundled model_prices_and_context_window_backup.json, the same
version's cost_per_token) and Pydantic's genai-prices (calc_price on the given
data.json) each price a set of calls; regdb prices the same calls from a
registry holding that catalog (`regdb cost --calls`). Prints one JSON line per
scenario: {"source", "scenario", "checked", "agree", "disagree": [first few]},
then "SUMMARY <checked> checked, <disagreements> disagree". Exit 0 when every
call agrees within 0.1% (or 1e-12 USD), 1 otherwise, 2 when a package is missing.
"""

import datetime
import json
import logging
import os
import subprocess
import sys

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
logging.disable(logging.WARNING)

TOLERANCE = 1e-3

# Where LiteLLM's own cost function does not apply its own map, regdb follows the map: these
# calls are counted apart, with the reason, never as agreement.
LITELLM_IGNORES_ITS_MAP = {
    "perplexity": "LiteLLM's perplexity calculator (llms/perplexity/cost_calculator.py) prices every prompt "
                  "token at input_cost_per_token, ignoring the cache-read and above-threshold prices of its own map",
}
AT = "2026-11-30T20:00:00Z"  # a Monday, 20:00 UTC (DeepSeek's off-peak hours), after every dated change


def agree(a, b):
    return abs(a - b) <= max(1e-12, TOLERANCE * max(abs(a), abs(b)))


def regdb_prices(regdb, db, calls):
    """{name: usd or error text} for calls [{"name", "usage", …}]."""
    text = "".join(json.dumps(call) + "\n" for call in calls)
    run = subprocess.run([regdb, "cost", "--db", db, "--calls", "-"], input=text, capture_output=True, text=True)
    out = {}
    for line in run.stdout.splitlines():
        row = json.loads(line)
        out[row["name"]] = row.get("usd", row.get("error"))
    return out


def report(source, scenario, results):
    """results: [(name, reference usd, regdb usd or error)] → the summary line, disagreements."""
    bad = [(n, ref, got) for n, ref, got in results if not isinstance(got, float) and not isinstance(got, int) or not agree(ref, got)]
    print(json.dumps({"source": source, "scenario": scenario, "checked": len(results), "agree": len(results) - len(bad),
                      "disagree": [{"name": n, "reference": ref, "regdb": got} for n, ref, got in bad[:int(os.environ.get("SHOW", "5"))]]}))
    return len(results), len(bad)


def litellm_scenarios(regdb, workdir):
    import litellm

    path = os.path.join(os.path.dirname(litellm.__file__), "model_prices_and_context_window_backup.json")
    entries = json.load(open(path))
    db = os.path.join(workdir, "litellm.db")
    imported = subprocess.run([regdb, "import", "--db", db, "--kind", "file", path], capture_output=True, text=True)
    if imported.returncode != 0:
        sys.exit("regdb import failed: " + imported.stderr[-2000:])

    def route_key(key, entry):
        provider = entry.get("litellm_provider")
        if not provider or key == "sample_spec":
            return None
        return key if key.startswith(provider + "/") else provider + "/" + key

    # Two entries that are one route (gemini-exp-1206 and gemini/gemini-exp-1206) merge in
    # regdb, the second adding the fields the first lacks: LiteLLM prices each key alone.
    keys_per_route = {}
    for key, entry in entries.items():
        route = route_key(key, entry) if isinstance(entry, dict) else None
        if route:
            keys_per_route[route] = keys_per_route.get(route, 0) + 1

    def route_of(key, entry):
        route = route_key(key, entry)
        return route if route and keys_per_route[route] == 1 else None

    def bare(key):
        """A bare key (gpt-4o, o3, gemini-2.5-pro) is the maker's own route: the name a caller
        writes. Not one with a provider path or a vendor prefix (anthropic.claude-… on Bedrock)."""
        head = key.split("-")[0].split(":")[0]
        return "/" not in key and "." not in head

    def token_calls(name, select, prompt, cached, completion, by_name=False):
        """by_name: priced by the bare key as a caller writes it (regdb must choose the maker's
        route), not by route key."""
        calls, reference, ignored = [], {}, {}
        for key, entry in entries.items():
            route = route_of(key, entry)
            if not route or entry.get("mode") not in ("chat", "completion", "responses") or not select(entry):
                continue
            if by_name:
                if not bare(key):
                    continue
                route = key
            if entry.get("input_cost_per_token") is None or entry.get("output_cost_per_token") is None:
                continue
            try:
                p, c = litellm.cost_per_token(model=key, custom_llm_provider=entry["litellm_provider"],
                                              prompt_tokens=prompt, completion_tokens=completion,
                                              cache_read_input_tokens=cached)
            except Exception:
                continue  # LiteLLM cannot price it either
            if entry["litellm_provider"] in LITELLM_IGNORES_ITS_MAP:
                ignored[entry["litellm_provider"]] = ignored.get(entry["litellm_provider"], 0) + 1
                continue
            if "off_peak_pricing" in entry:
                continue  # priced at given moments below
            usage = {"input_token": prompt, "output_token": completion}
            if cached:
                usage["cache_read_token"] = cached
            calls.append({"name": route, "usage": usage, "at": AT})
            reference[route] = p + c
        got = regdb_prices(regdb, db, calls)
        for provider, count in ignored.items():
            print(json.dumps({"source": "litellm", "scenario": name, "set_apart": count, "provider": provider,
                              "reason": LITELLM_IGNORES_ITS_MAP[provider]}))
        return report("litellm", name, [(n, reference[n], got.get(n, "missing")) for n in reference])

    totals = [
        token_calls("1000 prompt tokens, 400 of them cached, 500 output",
                    lambda e: e.get("cache_read_input_token_cost") is not None, 1000, 400, 500),
        token_calls("300k prompt tokens (100k cached), 1000 output, above a long-context threshold",
                    lambda e: any("_above_" in k and k.endswith("k_tokens") for k in e), 300_000, 100_000, 1000),
        token_calls("by bare name: 1000 prompt tokens, 400 of them cached, 500 output",
                    lambda e: e.get("cache_read_input_token_cost") is not None, 1000, 400, 500, by_name=True),
        token_calls("by bare name: 300k prompt tokens (100k cached), 1000 output, above a long-context threshold",
                    lambda e: any("_above_" in k and k.endswith("k_tokens") for k in e), 300_000, 100_000, 1000, by_name=True),
    ]

    # Off-peak hours: LiteLLM prices by the time of the call (pinned here), regdb by --at with a time.
    from litellm._internal_context import pinned_billing_time
    moments = ["2026-08-03T02:00:00Z", "2026-08-03T12:00:00Z", "2026-08-01T02:00:00Z", "2026-08-07T20:00:00Z"]
    calls, reference = [], {}
    for key, entry in entries.items():
        route = route_of(key, entry)
        if not route or "off_peak_pricing" not in entry or entry.get("input_cost_per_token") is None:
            continue
        for moment in moments:
            with pinned_billing_time(datetime.datetime.fromisoformat(moment.replace("Z", "+00:00"))):
                try:
                    p, c = litellm.cost_per_token(model=key, custom_llm_provider=entry["litellm_provider"],
                                                  prompt_tokens=1000, completion_tokens=500)
                except Exception:
                    continue
            name = route + " @" + moment
            calls.append({"name": route, "usage": {"input_token": 1000, "output_token": 500}, "at": moment, "tag": name})
            reference[name] = p + c
    got = {}
    for call in calls:  # one --calls run per moment keeps the names apart
        got[call["tag"]] = regdb_prices(regdb, db, [{k: v for k, v in call.items() if k != "tag"}]).get(call["name"], "missing")
    totals.append(report("litellm", "off-peak hours at four moments of a week", [(n, reference[n], got.get(n, "missing")) for n in reference]))

    # Transcription priced per second: LiteLLM charges one of the input and output rates.
    calls, reference = [], {}
    for key, entry in entries.items():
        route = route_of(key, entry)
        if not route or entry.get("mode") != "audio_transcription":
            continue
        if entry.get("input_cost_per_second") is None and entry.get("output_cost_per_second") is None:
            continue
        p, c = litellm.cost_per_token(model=key, custom_llm_provider=entry["litellm_provider"], call_type="transcription",
                                      audio_transcription_file_duration=60.0)
        calls.append({"name": route, "usage": {"seconds": 60}, "at": AT})
        reference[route] = p + c
    got = regdb_prices(regdb, db, calls)
    totals.append(report("litellm", "transcription of 60 s", [(n, reference[n], got.get(n, "missing")) for n in reference]))
    # The same by the bare name a caller writes (gpt-4o-transcribe): the maker's route.
    calls = [{"name": key, "usage": {"seconds": 60}, "at": AT} for key, entry in entries.items()
             if route_of(key, entry) in reference and bare(key)]
    got = regdb_prices(regdb, db, calls)
    totals.append(report("litellm", "by bare name: transcription of 60 s",
                         [(c["name"], reference[route_of(c["name"], entries[c["name"]])], got.get(c["name"], "missing")) for c in calls]))
    return totals


def genai_scenarios(regdb, workdir, data_path):
    from genai_prices import Usage, calc_price, data_snapshot
    from genai_prices.types import _providers_from_raw

    raw = json.load(open(data_path))
    data_snapshot.set_custom_snapshot(data_snapshot.DataSnapshot(providers=_providers_from_raw(raw), from_auto_update=False))
    db = os.path.join(workdir, "genai.db")
    imported = subprocess.run([regdb, "import", "--db", db, "--kind", "file", data_path], capture_output=True, text=True)
    if imported.returncode != 0:
        sys.exit("regdb import failed: " + imported.stderr[-2000:])

    def price_sets(model):
        prices = model["prices"]
        return [entry["prices"] for entry in prices] if isinstance(prices, list) else [prices]

    def has(model, key):
        return any(key in s for s in price_sets(model))

    def tiered(model):
        return any(isinstance(v, dict) for s in price_sets(model) for v in s.values())

    def scenario(name, select, usage, at=AT, by_name=False):
        """by_name: priced by the model id alone, as a caller writes it; genai-prices finds the
        provider by its model_match rules (the maker), and regdb must choose that route."""
        calls, reference = [], {}
        when = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
        for provider in raw:
            if by_name and not provider.get("model_match"):
                continue
            for model in provider["models"]:
                if not select(model) or all(not s for s in price_sets(model)):
                    continue  # an empty price set is unknown to regdb, not 0
                try:
                    result = calc_price(Usage(**usage), model["id"], provider_id=None if by_name else provider["id"],
                                        genai_request_timestamp=when)
                except Exception:
                    continue
                if result.model.id != model["id"] or (by_name and result.provider.id != provider["id"]):
                    continue  # the library's match rules send this id to another model
                route = model["id"] if by_name else provider["id"] + "/" + model["id"]
                if by_name and route in reference:
                    continue
                units = {"input_token": usage.get("input_tokens", 0), "output_token": usage.get("output_tokens", 0)}
                if usage.get("cache_read_tokens"):
                    units["cache_read_token"] = usage["cache_read_tokens"]
                calls.append({"name": route, "usage": units, "at": at})
                reference[route] = float(result.total_price)
        got = regdb_prices(regdb, db, calls)
        return report("genai-prices", name, [(n, reference[n], got.get(n, "missing")) for n in reference])

    return [
        scenario("1000 input, 500 output", lambda m: True, {"input_tokens": 1000, "output_tokens": 500}),
        scenario("by bare name: 1000 input of which 400 cache reads, 500 output", lambda m: True,
                 {"input_tokens": 1000, "cache_read_tokens": 400, "output_tokens": 500}, by_name=True),
        scenario("1000 input of which 400 cache reads, 500 output", lambda m: has(m, "cache_read_mtok"),
                 {"input_tokens": 1000, "cache_read_tokens": 400, "output_tokens": 500}),
        scenario("within a time-of-day price's hours (10:00 UTC)",
                 lambda m: isinstance(m["prices"], list) and any("start_time" in (e.get("constraint") or {}) for e in m["prices"]),
                 {"input_tokens": 1000, "output_tokens": 500}, at="2026-11-30T10:00:00Z"),
        scenario("300k input, 1000 output, above a tier threshold", tiered,
                 {"input_tokens": 300_000, "output_tokens": 1000}),
        scenario("a call dated before a price change (2025-05-01)",
                 lambda m: isinstance(m["prices"], list) and any((e.get("constraint") or {}).get("start_date") for e in m["prices"]),
                 {"input_tokens": 1_000_000, "output_tokens": 1_000_000}, at="2025-05-01T00:00:00Z"),
    ]


def every_route_prices(regdb, workdir):
    """No priced route is unpriceable: each route of the LiteLLM and genai-prices registries
    prices a call that gives every unit it is priced in (wholes 1000, their parts 1)."""
    import sqlite3

    totals = []
    for name in ("litellm", "genai"):
        db = os.path.join(workdir, name + ".db")
        con = sqlite3.connect(db)
        parts = {part for part, in con.execute("SELECT part FROM unit_part")}
        units, variants = {}, {}
        for route, unit, variant, usd in con.execute(
                "SELECT r.route_key, p.unit, p.variant, p.usd FROM price p JOIN route r ON r.id = p.route_id ORDER BY p.position"):
            units.setdefault(route, {})[unit] = 1 if unit in parts else 1000
            if variant is not None and usd is not None:
                variants.setdefault(route, {}).setdefault(unit, set()).add(variant)
            elif variant is None:
                variants.setdefault(route, {}).setdefault(unit, set()).add(None)
        calls = []
        for route, usage in units.items():
            # A unit priced only in variants needs one chosen: the first, as a user would.
            chosen = sorted({sorted(v - {None})[0] for v in variants.get(route, {}).values() if None not in v and v})
            calls.append({"name": route, "usage": usage, "variants": chosen[:1], "at": AT})
        got = regdb_prices(regdb, db, calls)
        results = []
        for call in calls:
            value = got.get(call["name"], "missing")
            unpublished = isinstance(value, str) and "has no published price" in value
            results.append((call["name"], 0.0, 0.0 if unpublished or not isinstance(value, str) else value))
        totals.append(report("regdb " + name, "every priced route prices a call", results))
    return totals


def main():
    regdb, workdir, data_path = sys.argv[1:4]
    try:
        import genai_prices  # noqa: F401
        import litellm  # noqa: F401
    except ImportError as error:
        print(f"missing package: {error}; run scripts/setup", file=sys.stderr)
        sys.exit(2)
    totals = litellm_scenarios(regdb, workdir) + genai_scenarios(regdb, workdir, data_path)
    totals += every_route_prices(regdb, workdir)
    checked = sum(t[0] for t in totals)
    bad = sum(t[1] for t in totals)
    print(f"SUMMARY {checked} checked, {bad} disagree")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
