"""Builders the tests and the benchmarks share (not shipped, not test code): OCI images and a
real local registry (`oci`, `registry`), Kubernetes cluster dumps and the explain scenarios
(`cluster`, `scenarios`). `bench/` imports these, never `tests/`."""
