// Implemented by the recording work; see the recording issue.
