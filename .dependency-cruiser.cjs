/** Module boundaries (STYLE.md): checked on every `npm test`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-plain-typescript',
      comment: 'domain/ holds plain TypeScript: no Nest, no TypeORM, no config, no infrastructure.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: {
        path: ['node_modules/@nestjs', 'node_modules/typeorm', 'node_modules/pg/', 'node_modules/@nestjs/config', '(^|/)(infrastructure|http|application)/'],
      },
    },
    {
      name: 'contexts-talk-through-public',
      comment: 'A context may use another context only through its public/ folder.',
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/' },
      to: { path: '^src/contexts/([^/]+)/', pathNot: ['^src/contexts/$1/', '^src/contexts/[^/]+/public/'] },
    },
    {
      name: 'libs-do-not-depend-on-the-app',
      comment: 'Libraries are shared building blocks; they never reach into src/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'library-internals-stay-inside',
      comment: 'Use a library through its index (the @onecard/<name> alias).',
      severity: 'error',
      from: { path: '^(src|test)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'libraries-use-each-other-through-index',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'platform-knows-no-context',
      comment: 'The platform serves every context and depends on none.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/contexts/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', 'dist'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
