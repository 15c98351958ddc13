/** Drops the run's template database and stops the server the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__ONECARD_TEST_TEARDOWN__?.();
}

declare global {
  var __ONECARD_TEST_TEARDOWN__: (() => Promise<void>) | undefined;
}
