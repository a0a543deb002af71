"""Builds newsdesk's one compiled module, ``newsdesk.extract._walk`` (see its docstring).

Where Cython or a C compiler is missing, or the build fails, the package installs without
it and ``newsdesk.extract.dom`` walks pages in Python: the same articles, slower.
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
        except Exception as error:  # any failure leaves the Python walk
            print(
                f"newsdesk: compiled walk not built ({error}); pages walk in Python",
                file=sys.stderr,
            )

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as error:
            print(
                f"newsdesk: {ext.name} not built ({error}); pages walk in Python", file=sys.stderr
            )


def extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError:
        print("newsdesk: Cython missing; pages walk in Python", file=sys.stderr)
        return []
    source = Path("src/newsdesk/extract/_walk.pyx")
    # The module carries its source's digest: one built from other source is left aside
    # (extract/compiled.py), as a source tree edited since its build would have it.
    digest = hashlib.sha256(source.read_bytes()).hexdigest() if source.exists() else ""
    walk = Extension(
        "newsdesk.extract._walk",
        [str(source)],
        define_macros=[("ND_SOURCE_DIGEST", f'"{digest}"')],
    )
    try:
        return cythonize([walk], language_level=3, quiet=True)
    except Exception as error:
        print(
            f"newsdesk: _walk.pyx not translated ({error}); pages walk in Python", file=sys.stderr
        )
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
