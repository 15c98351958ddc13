export { PlatformModule, type PlatformOptions } from './platform.module.js';
export { AppConfig } from './config/app-config.js';
export {
  ADMIN_ROLES,
  businessClockFromEnv,
  httpTimeoutsFromEnv,
  parseEnv,
  isDevelopmentAdminTokens,
  InvalidEnvironmentError,
  type AdminRole,
  type Env,
} from './config/env.js';
export { DEV_ADMIN_TOKENS, DEV_TERMINAL_MASTER_KEY } from './config/env.js';
export { TerminalEndpoint, AdminEndpoint, CurrentTerminal, CurrentAdmin } from './auth/decorators.js';
export { TerminalAuthGuard } from './auth/terminal-auth.guard.js';
export { CARD_LOOKUP, type CardLookup } from './auth/card-lookup.js';
export { AdminAuthGuard, type AdminIdentity } from './auth/admin-auth.guard.js';
export {
  TERMINAL_DIRECTORY,
  TERMINAL_KINDS,
  type GateDirection,
  type TerminalDirectory,
  type TerminalIdentity,
  type TerminalKind,
} from './auth/terminal-directory.js';
export { ProblemFilter } from './http/problem.filter.js';
export { BODY_LIMIT_BYTES, BodyLimit, applyRouteBodyLimits } from './http/body-limit.js';
export { createValidationPipe, toFieldErrors } from './http/validation.js';
export { applyRequestDeadlines, serverTimeoutOptions, type HttpTimeouts } from './http/request-timeouts.js';
export { applySecurityHeaders, CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY } from './http/security-headers.js';
export { depthLimitedJsonParser, MAX_JSON_DEPTH, nestsDeeperThan } from './http/json-body.js';
export { setupSwagger, buildOpenApi } from './http/swagger.js';
export { sendCommandResult } from './http/command-reply.js';
export { RuleRefDto } from './http/common.dto.js';
export { IsCalendarDate, IsInstantWithOffset } from './http/validators.js';
export { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
export { connectDataSource, dataSourceOptions, MIGRATIONS_TABLE } from './database/data-source.js';
export { Readiness, type ReadinessView, type StartupPhase } from './health/readiness.js';
export { applyReadinessGate } from './health/readiness-gate.js';
export { prepareDatabase } from './database/prepare.js';
export { createContextSchema, grantSchemaToAppRole, APP_ROLE } from './database/schema.js';
export { isDatabaseUnavailable } from './database/database-errors.js';
export { AppRole1796000000000 } from './database/migrations/1796000000000-AppRole.js';
export {
  REPORT_FORMATS,
  REPORT_MAX_LIMIT,
  ReportEndpoint,
  ReportPageQueryDto,
  ReportRangeQueryDto,
  reportRange,
  reportCsv,
  reportRows,
  reportPage,
  sendReport,
  wantsCsv,
  type ReportDefinition,
  type ReportPage,
  type ReportValue,
} from './http/report.js';
