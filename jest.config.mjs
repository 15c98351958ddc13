// One jest run covers unit (*.spec.ts), integration (*.int-spec.ts, real PostgreSQL) and black-box
// (test/**/*.e2e-spec.ts) tests. The global setup picks the database server once and prepares a
// migrated template database; each test file clones its own database from it (libs/testing).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// content-disposition (required by @fastify/static, which serves Swagger UI and the dashboard) ships ESM only;
// jest's CommonJS runtime cannot require that on Node 20, so the tests compile it to CommonJS.
const swcCommonJs = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

/** @type {import('jest').Config} */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc, '/node_modules/content-disposition/.+\\.js$': swcCommonJs },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^@onecard/kernel$': '<rootDir>/libs/kernel/src/index.ts',
    '^@onecard/ledger$': '<rootDir>/libs/ledger/src/index.ts',
    '^@onecard/engine$': '<rootDir>/libs/engine/src/index.ts',
    '^@onecard/rules$': '<rootDir>/libs/rules/src/index.ts',
    '^@onecard/testing$': '<rootDir>/libs/testing/src/index.ts',
    '^@onecard/platform$': '<rootDir>/src/platform/index.ts',
    '^@contexts/([a-z-]+)$': '<rootDir>/src/contexts/$1/public/index.ts',
    '^@test/support$': '<rootDir>/test/support/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{src,libs,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
