"""Small-count protection of everything a site publishes together: the published counts and
their relations (:mod:`~finsam.stats.protection.publication`), the suppression
(:mod:`~finsam.stats.protection.linked`), the attacker that audits it
(:mod:`~finsam.stats.protection.audit`) and the mask of a site
(:mod:`~finsam.stats.protection.plan`)."""
