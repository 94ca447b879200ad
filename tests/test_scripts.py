"""scripts/lib.sh finds a Python 3.12 or newer wherever the machine keeps one.

Each test gives it a PATH of stand-ins: pythons that pass or fail the version check, and a
pyenv that knows a few versions, the way pyenv's shims fail for versions not active.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def stand_in(path: Path, script: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    return path


def good(path: Path) -> Path:
    return stand_in(path, f'exec "{sys.executable}" "$@"')


def too_old(path: Path) -> Path:
    return stand_in(path, "exit 1")


@pytest.fixture
def bin_dir(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "sort"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return bin_dir


def find_python(bin_dir: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", "-c", f'source "{ROOT}/scripts/lib.sh" && find_python'],
        env={"PATH": str(bin_dir), "HOME": str(bin_dir.parent), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_newest_python_on_the_path_that_passes_is_taken(bin_dir):
    too_old(bin_dir / "python3.14")
    good(bin_dir / "python3.13")
    good(bin_dir / "python3.12")
    assert find_python(bin_dir).stdout == f"{bin_dir}/python3.13\n"


def test_a_plain_python3_is_taken_when_it_is_new_enough(bin_dir):
    assert find_python(bin_dir).returncode == 1
    good(bin_dir / "python3")
    assert find_python(bin_dir).stdout == f"{bin_dir}/python3\n"


def test_pyenvs_newest_good_version_is_taken_when_the_path_has_none(bin_dir, tmp_path):
    root = tmp_path / "pyenv"
    too_old(bin_dir / "python3.13")  # a shim for a version that is not active
    too_old(bin_dir / "python3")
    stand_in(
        bin_dir / "pyenv",
        f'case "$1" in root) echo "{root}";; versions) printf "3.11.7\\n3.12.1\\n3.13.0\\n";; esac',
    )
    good(root / "versions" / "3.12.1" / "bin" / "python3")
    too_old(root / "versions" / "3.13.0" / "bin" / "python3")
    assert find_python(bin_dir).stdout == f"{root}/versions/3.12.1/bin/python3\n"


def test_python_set_in_the_environment_comes_first(bin_dir, tmp_path):
    good(bin_dir / "python3.13")
    chosen = good(tmp_path / "elsewhere" / "python")
    assert find_python(bin_dir, PYTHON=str(chosen)).stdout == f"{chosen}\n"


def test_without_any_the_message_says_what_is_needed(bin_dir):
    too_old(bin_dir / "python3")
    result = find_python(bin_dir)
    assert result.returncode == 1
    assert "Python 3.12 or newer is needed" in result.stderr
