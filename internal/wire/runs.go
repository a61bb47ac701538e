package wire

// DefaultRuns is how many times harness.Run runs a check's scenario when
// RunsEnv is not set. grader verify reckons with it how often a
// coin-toss mutant would pass a grading.
const DefaultRuns = 20
