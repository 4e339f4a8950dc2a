"""Statistics and protection: populations, the counting rules, every published table, finances
and goals, and the site-wide protection of small counts. Imports only from ``finsam.inputs``."""
