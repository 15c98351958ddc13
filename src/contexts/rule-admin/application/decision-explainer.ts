import { Injectable } from '@nestjs/common';
import { canonicalJson, ProblemError, Problems, type DecisionDetails, type RuleRef } from '@onecard/kernel';
import { JournalReader, type JournalRecord } from '@onecard/ledger';
import { ReplayRegistry, RuleBook } from '@onecard/rules';

export interface DecisionExplanation {
  commandId: string;
  commandType: string;
  context: string;
  decision: 'ALLOW' | 'DENY';
  reason: { code: string; message: string | null } | null;
  terminalId: string | null;
  actor: string | null;
  eventTime: string;
  committedAt: string;
  /** The rule set version that decided, as recorded; null when the command applied no rules. */
  ruleSet: (RuleRef & { context: string; kind: string; region: string; effectiveFrom: string; effectiveTo: string | null; description: string | null }) | null;
  /** Inputs, facts read at decision time, outcome and the rule that produced it; null if not recorded. */
  details: DecisionDetails | null;
}

export interface ReplayReport {
  match: boolean;
  commandType: string;
  commandId: string;
  ruleSet: RuleRef | null;
  recorded: Record<string, unknown>;
  recomputed: Record<string, unknown>;
}

/**
 * Explains and replays journaled decisions (ADR 0005). Reads the journal through the ledger's
 * `JournalReader`; the rule set comes from the book by the recorded id and version, so a decision
 * made before a later publish explains and replays with the version it used.
 */
@Injectable()
export class DecisionExplainer {
  constructor(
    private readonly journal: JournalReader,
    private readonly rules: RuleBook,
    private readonly replayers: ReplayRegistry,
  ) {}

  async explain(commandId: string, commandType?: string): Promise<DecisionExplanation> {
    const record = await this.record(commandId, commandType);
    const rs = record.ruleSet ? this.rules.get(record.ruleSet) : null;
    return {
      commandId: record.commandId,
      commandType: record.commandType,
      context: record.context,
      decision: record.decision,
      reason: record.reasonCode ? { code: record.reasonCode, message: reasonMessage(record.response) } : null,
      terminalId: record.terminalId,
      actor: record.actor,
      eventTime: new Date(record.eventTime).toISOString(),
      committedAt: new Date(record.committedAt).toISOString(),
      ruleSet: record.ruleSet
        ? {
            id: record.ruleSet.id,
            version: record.ruleSet.version,
            context: rs?.context ?? record.context,
            kind: rs?.kind ?? 'unknown',
            region: rs?.region ?? 'unknown',
            effectiveFrom: rs?.effectiveFrom ?? 'unknown',
            effectiveTo: rs?.effectiveTo ?? null,
            description: rs?.description ?? null,
          }
        : null,
      details: record.details,
    };
  }

  async replay(commandId: string, commandType?: string): Promise<ReplayReport> {
    const record = await this.record(commandId, commandType);
    const replayer = this.replayers.replayerFor(record.commandType);
    if (!replayer) {
      throw unprocessable(
        'no-replayer',
        `No replayer is registered for command type ${record.commandType}; replayable types: ${this.replayers.commandTypes().join(', ') || 'none'}.`,
      );
    }
    if (!record.details) throw unprocessable('no-details', `Command ${record.commandType} ${record.commandId} recorded no decision details to replay.`);
    if (record.ruleSet && !this.rules.get(record.ruleSet)) {
      throw Problems.conflict(`The recorded rule set ${record.ruleSet.id} version ${record.ruleSet.version} is not published here.`);
    }
    const book = record.ruleSet ? this.rules.pinnedTo(record.ruleSet) : this.rules;
    let recomputed: Record<string, unknown>;
    try {
      recomputed = replayer.replay(structuredClone(record.details), book, {
        commandType: record.commandType,
        commandId: record.commandId,
        ruleSet: record.ruleSet,
        eventTime: new Date(record.eventTime),
      });
    } catch (error) {
      throw unprocessable(
        'replay-failed',
        `The replayer for ${record.commandType} failed on the recorded details: ${(error as Error)?.message ?? String(error)}`,
      );
    }
    // Compare as the journal stores it (jsonb): canonical JSON of a JSON round trip.
    const normalised = JSON.parse(JSON.stringify(recomputed ?? {})) as Record<string, unknown>;
    return {
      match: canonicalJson(normalised) === canonicalJson(record.details.outcome),
      commandType: record.commandType,
      commandId: record.commandId,
      ruleSet: record.ruleSet,
      recorded: record.details.outcome,
      recomputed: normalised,
    };
  }

  private async record(commandId: string, commandType?: string): Promise<JournalRecord> {
    const records = await this.journal.findByCommandId(commandId, commandType);
    if (records.length === 0) {
      throw Problems.notFound(`No journaled command with id ${commandId}${commandType ? ` and type ${commandType}` : ''}.`);
    }
    if (records.length > 1) {
      throw Problems.conflict(
        `Command id ${commandId} was used by several command types; choose one with ?type= (${records.map((r) => r.commandType).join(', ')}).`,
        {
          commandTypes: records.map((r) => r.commandType),
        },
      );
    }
    return records[0]!;
  }
}

function reasonMessage(response: unknown): string | null {
  const reason = (response as { reason?: { message?: unknown } } | null)?.reason;
  return typeof reason?.message === 'string' ? reason.message : null;
}

function unprocessable(slug: string, detail: string): ProblemError {
  return new ProblemError({ type: `/problems/${slug}`, title: 'Cannot replay', status: 422, detail });
}
