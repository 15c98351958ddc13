import type { DecisionDetails } from '@onecard/kernel';

/** The journal columns an input field may repeat: stored once, in the column (ADR 0012 "Smaller rows"). */
interface RecordColumns {
  commandId: string;
  terminalId: string | null;
  subject: string | null;
  eventTime: Date;
}

const REF = '@';

function columnValue(record: RecordColumns, column: string): unknown {
  switch (column) {
    case 'id':
      return record.commandId;
    case 'terminal':
      return record.terminalId;
    case 'subject':
      return record.subject;
    case 'event':
      return record.eventTime.toISOString();
    default:
      throw new Error(`unknown journal column reference "${column}"`);
  }
}

const COLUMNS = ['id', 'terminal', 'subject', 'event'] as const;

/**
 * The decision details as stored: an input field whose value is already a column of the record
 * (the command id, the terminal, the subject, the event time) is written as a reference under `@`
 * (`"@": "tapId=id,cardNo=subject"`) instead of a second copy. `expandDetails` restores it.
 */
export function compactDetails(details: DecisionDetails | null | undefined, record: RecordColumns): DecisionDetails | null {
  if (!details) return null;
  const input = details.input;
  if (!input || typeof input !== 'object' || REF in input) return details;
  const refs: string[] = [];
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const column = typeof value === 'string' && !name.includes('=') && !name.includes(',') ? COLUMNS.find((c) => columnValue(record, c) === value) : undefined;
    if (column) refs.push(`${name}=${column}`);
    else kept[name] = value;
  }
  if (refs.length === 0) return details;
  return { ...details, input: { [REF]: refs.join(','), ...kept } };
}

/** The decision details with every referenced input field filled in from the record's columns. */
export function expandDetails(details: DecisionDetails | null, record: RecordColumns): DecisionDetails | null {
  const refs = details?.input?.[REF];
  if (!details || typeof refs !== 'string') return details;
  const { [REF]: _, ...kept } = details.input;
  const input: Record<string, unknown> = {};
  for (const pair of refs.split(',')) {
    const [name, column] = pair.split('=') as [string, string];
    input[name] = columnValue(record, column);
  }
  return { ...details, input: { ...input, ...kept } };
}
