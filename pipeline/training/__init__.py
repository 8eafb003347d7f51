"""Training the model's `ner` on the summit gold: gold folders read as the pipeline sees them
(`corpus`), and the training run (`train`)."""
