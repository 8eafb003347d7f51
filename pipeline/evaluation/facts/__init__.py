"""Summit facts against gold: the facts gold, its scores and its evaluation."""
