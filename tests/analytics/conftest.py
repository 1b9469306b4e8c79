"""The search tests' small library."""

from tests.search.conftest import add_cases, corpus  # noqa: F401
