"""Prices real-shaped API responses with genai-prices and with `regdb cost --usage-json`.

    python3 compare_usage.py [REGDB] [--responses DIR] [--data DATA_JSON] [--at DATE]
                             [--no-name] [--db REGISTRY] [--min-agree FRACTION]

REGDB is the regdb binary (default $REGDB_BIN, else .build/debug/regdb). Unless --db
names a registry to use as it is, one is built in a temporary folder from seeds/*.json,
then Tests/ReferenceData/genai-prices/data.json imported over them as a file source.

Each response file is named <api>-<case>.json, the api saying which genai-prices
extractor reads it (provider id and api flavor, API_FLAVORS below). For each file:

  genai-prices  extract_usage(response, provider_id, api_flavor) on the repository's
                data.json (not the package's bundled data), then calc_price at --at;
  regdb         regdb cost NAME --usage-json FILE --format json --at DATE, NAME being
                the response's model name (`model`, Gemini's `modelVersion`);
                --no-name leaves NAME out, for a regdb that reads it from the response.

Prints one JSON line per response: file, model, genai_model, genai_usd, regdb_usd,
route_key, agree (within 0.1% relative or 1e-9 USD absolute), diff_usd (regdb - genai),
the usage genai-prices extracted (genai_usage, inclusive counts) and the quantities
regdb billed per unit (regdb_billed, each token once), the non-zero usage fields
genai-prices' extractor does not read (genai_unread: reasoning tokens, web searches,
the 5m/1h cache-write split…), and either side's error or regdb's stderr. Then the
summary line "N agree of M". Exit 0 (it is a report), or 1 when --min-agree is given
and fewer than that fraction agree; 2 when it cannot run (no genai_prices, no binary,
a failed import).
"""

import argparse
import datetime
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DEFAULT_RESPONSES = os.path.join(REPO, "Tests", "RegDBToolTests", "Fixtures", "responses")
DEFAULT_DATA = os.path.join(REPO, "Tests", "ReferenceData", "genai-prices", "data.json")
DEFAULT_AT = "2026-08-01"

REL_TOLERANCE = 1e-3
ABS_TOLERANCE = 1e-9

# File name prefix → (genai-prices provider id, api flavor of its extractor). Longest prefix first.
API_FLAVORS = [
    ("openai-responses", "openai", "responses"),
    ("openai-chat", "openai", "chat"),
    ("anthropic", "anthropic", "default"),
    ("gemini", "google", "default"),
    ("xai", "x-ai", "chat"),  # xAI's OpenAI-compatible chat completions
    ("openrouter", "openrouter", "chat"),
]

# How long to wait for the binary when it is missing (being rebuilt), and how often to retry a run.
BINARY_WAIT_SECONDS = 180
RUN_ATTEMPTS = 5


def api_of(file_name):
    for prefix, provider_id, flavor in API_FLAVORS:
        if file_name.startswith(prefix + "-"):
            return prefix, provider_id, flavor
    return None


def model_name(response):
    """The model the response names: OpenAI-style `model`, Gemini's `modelVersion`."""
    for key in ("model", "modelVersion"):
        value = response.get(key) if isinstance(response, dict) else None
        if isinstance(value, str) and value:
            return value
    return None


def agree(a, b):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return False
    return abs(a - b) <= max(ABS_TOLERANCE, REL_TOLERANCE * max(abs(a), abs(b)))


# ------------------------------------------------------------------ regdb


def wait_for(binary):
    deadline = time.monotonic() + BINARY_WAIT_SECONDS
    while not os.access(binary, os.X_OK):
        if time.monotonic() > deadline:
            return False
        time.sleep(3)
    return True


def run_regdb(binary, args):
    """Runs regdb, waiting out a rebuild: a missing or half-written binary is retried."""
    for attempt in range(RUN_ATTEMPTS):
        if not wait_for(binary):
            raise FileNotFoundError(f"{binary} does not exist (waited {BINARY_WAIT_SECONDS} s)")
        try:
            run = subprocess.run([binary] + args, capture_output=True, text=True, timeout=300)
        except OSError:  # ENOENT between the check and the exec, ETXTBSY, ENOEXEC while the linker writes
            time.sleep(3)
            continue
        # A crash by signal (a binary replaced under the running process) is worth one more try.
        if run.returncode < 0 and attempt < RUN_ATTEMPTS - 1:
            time.sleep(3)
            continue
        return run
    raise OSError(f"{binary} could not be run after {RUN_ATTEMPTS} attempts")


def build_registry(binary, workdir, data_path):
    db = os.path.join(workdir, "registry.db")
    seeds = sorted(glob.glob(os.path.join(REPO, "seeds", "*.json")))
    for args in (["import", "--db", db] + seeds, ["import", "--db", db, "--kind", "file", data_path]):
        run = run_regdb(binary, args)
        if run.returncode != 0:
            print(f"regdb {' '.join(args[:4])} … failed (exit {run.returncode}):\n{run.stderr[-3000:]}", file=sys.stderr)
            sys.exit(2)
    return db


def regdb_price(binary, db, path, name, at):
    """{regdb_usd, route_key, regdb_billed, regdb_stderr | regdb_error}; regdb_billed is the
    quantity billed per unit (a part's tokens are not billed again in its whole)."""
    args = ["cost", "--db", db] + ([name] if name is not None else []) + \
           ["--usage-json", path, "--format", "json", "--at", at]
    run = run_regdb(binary, args)
    out = {}
    stderr = run.stderr.strip()
    if run.returncode != 0:
        out["regdb_error"] = stderr or f"exit {run.returncode}"
        return out
    try:
        quote = json.loads(run.stdout)
    except ValueError:
        out["regdb_error"] = "output is not JSON: " + run.stdout[:300]
        return out
    out["regdb_usd"] = quote.get("usd")
    out["route_key"] = quote.get("route_key")
    billed = {}
    for line in quote.get("lines", []):
        billed[line["unit"]] = billed.get(line["unit"], 0) + line["quantity"]
    out["regdb_billed"] = billed
    if stderr:
        out["regdb_stderr"] = stderr
    return out


# ------------------------------------------------------------------ genai-prices


def load_genai(data_path):
    """Points genai-prices at data_path instead of the data bundled with the package."""
    from genai_prices import data_snapshot
    from genai_prices.types import _providers_from_raw

    with open(data_path) as f:
        raw = json.load(f)
    data_snapshot.set_custom_snapshot(data_snapshot.DataSnapshot(providers=_providers_from_raw(raw), from_auto_update=False))
    return data_snapshot.get_snapshot()


def extractor_paths(snapshot, provider_id, flavor):
    """The usage paths (tuples of keys, an array match as '[modality=X]') the extractor reads."""
    provider = snapshot.find_provider(None, provider_id, None)
    extractor = next(e for e in provider.extractors or [] if e.api_flavor == flavor)
    root = [extractor.root] if isinstance(extractor.root, str) else list(extractor.root)
    paths = set()
    for mapping in extractor.mappings:
        steps = [mapping.path] if isinstance(mapping.path, str) else list(mapping.path)
        paths.add(tuple(step if isinstance(step, str) else f"[{step.field}={getattr(step.match, 'equals', '?')}]"
                        for step in steps))
    return root, paths


def numeric_leaves(value, prefix=()):
    """(path, number) of every non-zero number under value; list items of a modality as '[modality=X]'."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        if value:
            yield prefix, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from numeric_leaves(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and "modality" in item:
                yield from numeric_leaves({k: v for k, v in item.items() if k != "modality"},
                                          prefix + (f"[modality={item['modality']}]",))
            else:
                yield from numeric_leaves(item, prefix + (str(index),))


def genai_unread(snapshot, response, provider_id, flavor):
    """Non-zero numbers of the usage object that no mapping of the extractor reads."""
    root, paths = extractor_paths(snapshot, provider_id, flavor)
    usage = response
    for key in root:
        usage = usage.get(key) if isinstance(usage, dict) else None
    if not isinstance(usage, dict):
        return []
    return [".".join(path) + "=" + json.dumps(value) for path, value in numeric_leaves(usage)
            if path not in paths and not informational(path)]


def informational(path):
    """Fields that are not usage of their own: totals of what is read, the text share of a
    modality breakdown (text is what the plain token prices are for), OpenRouter's charge."""
    return path[-1] in ("total_tokens", "totalTokenCount", "text_tokens", "cost") or "[modality=TEXT]" in path


def genai_price(snapshot, response, provider_id, flavor, when):
    from genai_prices import extract_usage

    out = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            extracted = extract_usage(response, provider_id=provider_id, api_flavor=flavor)
            out["genai_usage"] = {k: v for k, v in vars(extracted.usage).items() if isinstance(v, int)}
            out["genai_model"] = extracted.model.id if extracted.model else None
            price = extracted.calc_price(genai_request_timestamp=when)
        out["genai_usd"] = float(price.total_price)
    except Exception as error:  # a report: say what failed and go on
        out["genai_error"] = f"{type(error).__name__}: {error}"
    return out


# ------------------------------------------------------------------ main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("regdb", nargs="?", default=os.environ.get("REGDB_BIN", os.path.join(REPO, ".build", "debug", "regdb")))
    parser.add_argument("--responses", default=DEFAULT_RESPONSES, help="folder of <api>-<case>.json responses")
    parser.add_argument("--data", default=DEFAULT_DATA, help="genai-prices data.json both sides price from")
    parser.add_argument("--db", help="an existing registry to price with (default: build one in a temporary folder)")
    parser.add_argument("--at", default=DEFAULT_AT, help="date of every call (default %(default)s)")
    parser.add_argument("--no-name", action="store_true", help="do not pass the model name to regdb cost")
    parser.add_argument("--min-agree", type=float, metavar="FRACTION", help="exit 1 when fewer than this fraction agree")
    options = parser.parse_args()

    try:
        import genai_prices  # noqa: F401
    except ImportError as error:
        print(f"missing package: {error}; run scripts/setup", file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(options.regdb)
    if not wait_for(binary):
        print(f"no regdb binary at {binary}", file=sys.stderr)
        sys.exit(2)
    when = datetime.datetime.fromisoformat(options.at.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    snapshot = load_genai(options.data)

    files = sorted(glob.glob(os.path.join(options.responses, "*.json")))
    with tempfile.TemporaryDirectory(prefix="compare_usage.") as workdir:
        try:
            db = options.db or build_registry(binary, workdir, options.data)
        except OSError as error:
            print(error, file=sys.stderr)
            sys.exit(2)
        agreed = 0
        for path in files:
            name = os.path.basename(path)
            row = {"file": name}
            try:
                with open(path) as f:
                    response = json.load(f)
            except ValueError as error:
                print(json.dumps({"file": name, "agree": False, "error": f"not JSON: {error}"}), flush=True)
                continue
            model = model_name(response)
            row["model"] = model
            api = api_of(name)
            if api is None:
                row["error"] = "file name starts with no known api: " + ", ".join(p for p, _, _ in API_FLAVORS)
            else:
                row["api"] = api[0]
                row.update(genai_price(snapshot, response, api[1], api[2], when))
                unread = genai_unread(snapshot, response, api[1], api[2])
                if unread:
                    row["genai_unread"] = unread
                if model is None and not options.no_name:
                    row["regdb_error"] = "the response names no model (model, modelVersion); run with --no-name"
                else:
                    try:
                        row.update(regdb_price(binary, db, path, None if options.no_name else model, options.at))
                    except OSError as error:
                        row["regdb_error"] = str(error)
            row["agree"] = agree(row.get("genai_usd"), row.get("regdb_usd"))
            if "genai_usd" in row and "regdb_usd" in row:
                row["diff_usd"] = round(row["regdb_usd"] - row["genai_usd"], 12)
            agreed += row["agree"]
            order = ["file", "model", "genai_model", "genai_usd", "regdb_usd", "route_key", "agree", "diff_usd"]
            print(json.dumps({k: row[k] for k in order + sorted(set(row) - set(order)) if k in row}), flush=True)

    print(f"{agreed} agree of {len(files)}")
    if options.min_agree is not None and (not files or agreed / len(files) < options.min_agree):
        sys.exit(1)


if __name__ == "__main__":
    main()
