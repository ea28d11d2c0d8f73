"""Machine pre-translation between Bokmål and Nynorsk with Apertium (Debian packages
``apertium`` and ``apertium-nno-nob``), the rule-based translator newsrooms use."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from contentapi.errors import DomainError, ErrorCode

# nb -> nn in the e-infinitive ("å utvikle", "vi"), the house style of the catalogs and demo
MODES = {("nb", "nn"): "nob-nno_e", ("nn", "nb"): "nno-nob"}
MODE_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
TIMEOUT_SECONDS = 60
PACKAGES = "apt-get install apertium apertium-nno-nob"


def mode_for(source: str, target: str) -> str:
    """The Apertium mode for a pair; BAD_REQUEST for a pair it does not translate."""
    mode = MODES.get((source, target))
    if mode is None:
        pairs = ", ".join(f"{a}→{b}" for a, b in MODES)
        raise DomainError(
            ErrorCode.BAD_REQUEST,
            f"No machine translation {source}→{target}; only {pairs}",
            field="to",
        )
    return mode


def _check_installed(mode: str) -> str:
    binary = shutil.which("apertium")
    if binary is None:
        raise DomainError(
            ErrorCode.UNAVAILABLE, f"Apertium is not installed; the Debian packages: {PACKAGES}"
        )
    if not any((folder / f"{mode}.mode").exists() for folder in MODE_DIRS):
        raise DomainError(
            ErrorCode.UNAVAILABLE,
            f"Apertium has no {mode} language pair; the Debian package: apertium-nno-nob",
        )
    return binary


async def translate(text: str, source: str, target: str, *, html: bool = False) -> str:
    """``text`` translated; with ``html``, markup is kept (Apertium's HTML format mode)."""
    if not text.strip():
        return text
    mode = mode_for(source, target)
    binary = _check_installed(mode)
    process = await asyncio.create_subprocess_exec(
        binary,
        "-u",
        "-f",
        "html" if html else "txt",
        mode,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(text.encode()), TIMEOUT_SECONDS)
    except TimeoutError:
        process.kill()
        raise DomainError(ErrorCode.UNAVAILABLE, "Apertium did not answer in time") from None
    if process.returncode != 0:
        raise DomainError(
            ErrorCode.UNAVAILABLE, f"Apertium failed: {err.decode(errors='replace')[:200]}"
        )
    return out.decode().strip()
