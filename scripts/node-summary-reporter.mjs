// A node:test reporter that writes {passed, failed, skipped} as JSON: leaf tests only
// (suites and the per-file wrappers are not counted twice).
export default async function* summaryReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const failedFiles = new Set();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    // With --test, Node reports each file as a top-level test too; a file that fails
    // to load has no subtests, so count a failed file wrapper only when nothing inside ran.
    if (data.nesting === 0 && data.file && data.name === data.file) {
      if (event.type === 'test:fail') failedFiles.add(data.file);
      continue;
    }
    if (data.skip || data.todo) totals.skipped += 1;
    else if (event.type === 'test:pass') totals.passed += 1;
    else totals.failed += 1;
  }
  totals.failed += failedFiles.size && totals.failed === 0 ? failedFiles.size : 0;
  yield JSON.stringify(totals);
}
