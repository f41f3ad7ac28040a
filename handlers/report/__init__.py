"""A resident's report, from the first words or photos to a filed ticket; the flow is in flow.md."""
