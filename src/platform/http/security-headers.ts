import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy of everything the service serves (ADR 0014): its own pages load
 * scripts, styles, fonts and images from the service itself only ('self': no CDN, ever), call only
 * the service, draw on canvas (which needs no source), and are never framed. API answers carry it
 * too — harmless, and a JSON answer opened in a browser can run nothing.
 */
export const CONTENT_SECURITY_POLICY: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
};

/**
 * Swagger UI at /docs: its page (from @nestjs/swagger) has an inline <style> block and style
 * attributes, and the UI sets inline styles as it renders, so /docs alone allows inline styles.
 * Scripts stay 'self' only: the page's scripts are files.
 */
export const DOCS_CONTENT_SECURITY_POLICY: Directives = { ...CONTENT_SECURITY_POLICY, 'style-src': ["'self'", "'unsafe-inline'"] };

const HSTS = 'max-age=31536000; includeSubDomains';

const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
};

/**
 * The headers helmet sets for a configuration: they depend on the configuration only (no nonces),
 * so they are computed once, not per answer (@fastify/helmet built helmet's middleware, parsing
 * the policy, on every request: 3 % of a gate tap's CPU).
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

/**
 * Security headers on every answer, by helmet: the policy above, X-Content-Type-Options nosniff,
 * X-Frame-Options DENY, Referrer-Policy no-referrer, the cross-origin policies; /docs with its own
 * policy. HSTS only on requests that came over TLS (directly, or through a trusted proxy's
 * X-Forwarded-Proto): over plain HTTP it would mean nothing, and a development browser should not
 * learn it for localhost.
 */
export async function applySecurityHeaders(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const api = helmetHeaders(HELMET_OPTIONS);
  const docs = helmetHeaders({ ...HELMET_OPTIONS, contentSecurityPolicy: { useDefaults: false, directives: DOCS_CONTENT_SECURITY_POLICY } });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(request.url.startsWith('/docs') ? docs : api);
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    done();
  });
}
