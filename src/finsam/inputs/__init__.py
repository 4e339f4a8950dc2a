"""Input and store: the data contract and its codes, reading and validating a dataset, the
reference register, the DuckDB store, and the synthetic datasets. Imports nothing above it."""
