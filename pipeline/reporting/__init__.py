"""What a person reads: tables and DataFrames (`tables`), the HTML report (`report`), the review sheet (`review`)."""
