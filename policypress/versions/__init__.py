"""Released versions of each policy: the archive the office writes with ``policypress release``,
what changed between versions, and the feed of new versions."""
