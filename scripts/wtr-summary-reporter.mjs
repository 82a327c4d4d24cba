// Prints one `N passed, N failed, N skipped` line at the end of a web-test-runner run,
// and writes the counts to a file so `npm test` can add them to the Node tests' counts.
import { writeFileSync } from 'node:fs';

function count(results, totals) {
  if (!results) return;
  for (const test of results.tests ?? []) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const suite of results.suites ?? []) count(suite, totals);
}

export function summaryReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0, fileErrors: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A test file that failed to load, or threw outside a test, counts as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.fileErrors += 1;
      }
      totals.failed += totals.fileErrors;
      const file = process.env.WTR_SUMMARY_FILE;
      if (file) writeFileSync(file, JSON.stringify(totals));
      console.log(`browser: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
    },
  };
}
