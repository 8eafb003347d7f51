"""Summit facts: the summit an article reports, each country's role at it, what happened to each document."""
