"""Records on disk: JSON Lines reading and writing (`jsonl`) and the JSON Schema of the output contract (`schema`)."""
