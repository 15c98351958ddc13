import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Where `GET /dashboard` is served. */
export const DASHBOARD_PATH = '/dashboard/';

const requireFromHere = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(requireFromHere.resolve(`${name}/package.json`));

/**
 * The dashboard's static files (ADR 0016): the page, its script and style from `dashboard/`
 * (relative to the working directory, like `rules/`), ECharts and the Noto Sans SC font from
 * their npm packages — all from this origin, nothing from a CDN, no inline script or style.
 */
export async function registerDashboard(app: NestFastifyApplication, opts: { dir?: string } = {}): Promise<void> {
  const root = resolve(opts.dir ?? 'dashboard');
  app
    .getHttpAdapter()
    .getInstance()
    .get('/dashboard', (_request, reply) => reply.redirect(DASHBOARD_PATH, 302));
  // decorateReply: false everywhere: Swagger UI registers the same plugin (and its reply.sendFile).
  await app.register(fastifyStatic, { root, prefix: DASHBOARD_PATH, index: 'index.html', redirect: true, maxAge: 0, decorateReply: false });
  await app.register(fastifyStatic, {
    root: join(packageDir('echarts'), 'dist'),
    prefix: `${DASHBOARD_PATH}vendor/echarts/`,
    decorateReply: false,
    allowedPath: (path) => path === '/echarts.min.js',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: packageDir('@fontsource/noto-sans-sc'),
    prefix: `${DASHBOARD_PATH}vendor/noto-sans-sc/`,
    decorateReply: false,
    allowedPath: (path) => /^\/(\d00\.css|files\/noto-sans-sc-[\w-]+\.woff2?)$/.test(path),
    maxAge: '7d',
  });
}
