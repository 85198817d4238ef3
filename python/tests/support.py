"""A seeded registry for the tests: built once per run with the regdb CLI, copied fresh for each test."""

import atexit
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

#: The CLI that builds registries (and runs the setup steps the package has no call for).
BINARY = os.environ.get("REGDB_BIN") or str(ROOT / ".build" / "debug" / "regdb")

_work = Path(tempfile.mkdtemp(prefix="regdb-python-tests-"))
atexit.register(shutil.rmtree, _work, ignore_errors=True)
_seeded = None
_copies = 0


def seeded_registry() -> Path:
    """A registry imported from the repository's seeds/*.json, built on first use."""
    global _seeded
    if _seeded is None:
        if not Path(BINARY).exists():
            raise unittest.SkipTest(f"no regdb binary at {BINARY}: build it (swift build) or set REGDB_BIN")
        seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.json"))
        path = _work / "seeded.db"
        subprocess.run([BINARY, "import", *seeds, "--db", str(path)], check=True, capture_output=True, cwd=_work)
        _seeded = path
    return _seeded


def fresh_registry() -> Path:
    """A copy of the seeded registry of its own, in a folder of its own."""
    global _copies
    _copies += 1
    folder = _work / f"copy{_copies}"
    folder.mkdir()
    path = folder / "registry.db"
    with closing(sqlite3.connect(seeded_registry())) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


def run_cli(args, db: Path, env=None) -> subprocess.CompletedProcess:
    """Runs the CLI on `db`, as scripts/conformance does."""
    return subprocess.run([BINARY, *args, "--db", str(db)], capture_output=True, text=True, cwd=db.parent,
                          env=env if env is not None else os.environ)
