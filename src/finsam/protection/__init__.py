"""Small-count protection of everything a site publishes together: the published counts and
their relations (:mod:`~finsam.protection.publication`), the suppression
(:mod:`~finsam.protection.linked`), the attacker that audits it
(:mod:`~finsam.protection.audit`) and the mask of a site (:mod:`~finsam.protection.plan`)."""
