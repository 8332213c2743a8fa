"""The lock files (requirements.lock, requirements-dev.lock, made by `make lock`) agree with the
hand-edited pins of requirements*.txt, and pip can install them in hash-checking mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: ``name==version`` at the start of a line, with an optional environment marker after it.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    """Top-level pins of a requirements file, following ``-r`` includes."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            pins |= _pins(path.parent / line[3:].strip())
        elif m := PIN.match(line):
            pins[_name(m.group(1))] = m.group(2)
    return pins


def _locked(path: Path) -> dict[str, set[str]]:
    """Every package of a lock file with its versions (a universal lock may fork one by Python
    version) and, per entry, that it has at least one sha256 hash."""
    locked: dict[str, set[str]] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    for entry in entries:
        m = PIN.match(entry)
        if not m:
            assert entry.startswith("#"), f"{path.name}: an entry that is not a pin: {entry[:80]}"
            continue
        assert "--hash=sha256:" in entry, f"{path.name}: {m.group(1)} has no hash"
        locked.setdefault(_name(m.group(1)), set()).add(m.group(2))
    return locked


@pytest.mark.parametrize(
    "source, lock",
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_lck001_every_hand_pinned_package_is_locked_at_its_pin_with_hashes(source, lock):
    """A pin edited without `make lock` fails here (and pip's --require-hashes would refuse it)."""
    pins, locked = _pins(ROOT / source), _locked(ROOT / lock)
    stale = {n: v for n, v in pins.items() if locked.get(n) != {v}}
    assert not stale, f"{lock} does not lock {stale}: run `make lock`"


def test_lck002_the_dev_lock_agrees_with_the_runtime_lock_on_every_shared_package():
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    assert runtime.keys() <= dev.keys()
    assert {n: v for n, v in runtime.items() if dev[n] != v} == {}


def test_lck003_the_makefile_installs_from_the_locks_with_hashes_only():
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"pip install[^\n]*", makefile)
    assert installs and all("--require-hashes -r requirements" in i for i in installs), installs
    assert "pip install --quiet --require-hashes -r requirements.lock" in makefile
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
