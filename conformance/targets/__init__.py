"""Implementations the conformance kit is proved against.

``correct_*`` modules are independent, duck-typed implementations that must reach level
``full``. Every other module (except the deliberate ``broken_import`` fixture and the
``correct_all`` bundle) is a *deliberately flawed* implementation of one contract: its
docstring names the mistake, ``CONTRACT`` names the contract it is checked against, and
``EXPECTED_MUST_FAILURES`` / ``EXPECTED_SHOULD_FAILURES`` give the exact check ids the kit
must report as failed. Each exposes ``factory`` following the harness convention.
"""
