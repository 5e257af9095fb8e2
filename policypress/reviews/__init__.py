"""Reviews and approvals: when each policy is next due, the Department for Education's lists of
statutory policies, the office's status table, and the governors' calendar."""
