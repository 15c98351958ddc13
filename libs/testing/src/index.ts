export * from './test-database.js';
export * from './terminal-client.js';
export * from './ledger-fixtures.js';
export * from './tcp-proxy.js';
