// Moved to tests/support/poll.ts (the one polling helper for tests, faults, benchmarks and e2e).
export { PollTimeoutError, type PollOptions, pollUntil, sleep, waitUntil } from "../support/poll";
