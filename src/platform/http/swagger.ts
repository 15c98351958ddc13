import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

const DESCRIPTION = `
The terminal protocol v1 of the Beijing–Tianjin–Hebei social-security one-card service.

**Money** is integer fen; **timestamps** are ISO-8601 with offset; business days are Asia/Shanghai.

**Terminal calls** carry \`X-Terminal-Id\`, \`X-Timestamp\` (Unix ms) and \`X-Signature\` =
lowercase hex HMAC-SHA256(key, METHOD + "\\n" + path-with-query + "\\n" + timestamp + "\\n" + sha256hex(body)),
with key = HMAC-SHA256(TERMINAL_MASTER_KEY, terminalId).

**Idempotency**: every command carries a client id (\`tapId\`, \`settlementId\`, …; 1–64 of [A-Za-z0-9_-]).
The same id with the same body returns the original status and body (header \`Idempotent-Replayed: true\`);
with a different body it is a 409.

**Decisions**: a refused but well-formed command is 200 with \`decision: "DENY"\` and a reason code;
malformed input is 400 \`application/problem+json\` (RFC 9457) with \`errors[]\` naming each field by JSON pointer.
A database outage is 503 with \`Retry-After\`.

**v1 extensions** (issue 12): while the service is starting (waiting for its database, or loading) terminal and admin
calls answer 503 problem+json with \`Retry-After\` (\`/health/live\` answers, \`/health/ready\` is 503 until ready);
a terminal id that failed authentication 20 times in a minute from one address gets 429 problem+json with \`Retry-After\`
from that address; a body nested deeper than 32 levels is a 400; a request whose headers take more than 10 s, or whose
body is not in 30 s after them (60 s on the offline batch routes), is cut with 408 problem+json; a HOLDER_APP acts only
for the card it is registered with (403 for any other \`cardNo\`).
`.trim();

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('onecard — terminal protocol v1')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Terminal-Id' }, 'terminalId')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Timestamp' }, 'terminalTimestamp')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Signature' }, 'terminalSignature')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin token (operator or auditor) from ADMIN_TOKENS' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** `/docs` (Swagger UI), `/docs-json`, `/docs-yaml`. */
export function setupSwagger(app: INestApplication): void {
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
