"""Builds newsdesk's compiled modules (see their docstrings): ``newsdesk.extract._walk``,
the page walk, and ``newsdesk.cluster._scoring``, the clusterer's busiest loops.

Where Cython or a C compiler is missing, or a build fails, the package installs without
that module and its Python twin serves (``newsdesk.settings.compiled_module``): the same
articles and stories, slower.
"""

import hashlib
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """build_ext that reports a failed build and goes on without the module."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # any failure leaves the Python twins
            print(
                f"newsdesk: compiled modules not built ({error}); Python serves",
                file=sys.stderr,
            )

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as error:
            print(f"newsdesk: {ext.name} not built ({error}); Python serves", file=sys.stderr)


# Each compiled module and its source.
SOURCES = {
    "newsdesk.extract._walk": Path("src/newsdesk/extract/_walk.pyx"),
    "newsdesk.cluster._scoring": Path("src/newsdesk/cluster/_scoring.pyx"),
}


def extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("newsdesk: Cython missing; Python serves", file=sys.stderr)
        return []
    built = []
    for name, source in SOURCES.items():
        # The module carries its source's digest: one built from other source is left
        # aside (settings.compiled_module), as a source tree edited since its build would.
        digest = hashlib.sha256(source.read_bytes()).hexdigest() if source.exists() else ""
        module = Extension(
            name,
            [str(source)],
            define_macros=[("ND_SOURCE_DIGEST", f'"{digest}"')],
            # Floats as Python rounds them, each operation on its own: never fused into one
            # multiply-add, which rounds once (the clusterer's sums equal its Python twin's).
            extra_compile_args=["-ffp-contract=off"],
        )
        try:
            built += cythonize([module], language_level=3, quiet=True)
        except Exception as error:
            print(
                f"newsdesk: {source.name} not translated ({error}); Python serves", file=sys.stderr
            )
    return built


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
