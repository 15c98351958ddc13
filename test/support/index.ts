export * from './test-app.js';
export * from './csv.js';
