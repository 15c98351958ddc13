// Each test file: quiet logs, test mode, and how to migrate the shared template database the first
// time a file asks for a database (libs/testing). Database variables come from the global setup.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';

globalThis.__ONECARD_PREPARE_TEMPLATE__ = async (url: string) => {
  // Sequential on purpose: jest's ESM loader trips over two concurrent imports of one module graph.
  const { MIGRATIONS } = await import('../src/migrations.js');
  const { prepareDatabase } = await import('@onecard/platform');
  await prepareDatabase(url, MIGRATIONS);
};

declare global {
  var __ONECARD_PREPARE_TEMPLATE__: ((url: string) => Promise<void>) | undefined;
}
