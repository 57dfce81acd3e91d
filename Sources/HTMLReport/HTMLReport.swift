// Implemented by the reports work; see the reports issue.
