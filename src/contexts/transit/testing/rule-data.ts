import { readFileSync } from 'node:fs';
import { transitNetworkSchema, type TransitNetworkParameters } from '@onecard/rules';
import { parse } from 'yaml';

/** The repository's `transit.jingjin` rule data, version 1 (Yongle closed) or 2 (open), for unit tests. */
export function networkRules(version: 1 | 2 = 1): TransitNetworkParameters {
  const file = parse(readFileSync(`rules/transit/all/network.v${version}.yaml`, 'utf8')) as { parameters: unknown };
  return transitNetworkSchema.parse(file.parameters);
}

/** The raw parameters as written, to change a copy and check what the schema refuses. */
export function rawNetworkParameters(version: 1 | 2 = 1): Record<string, any> {
  return (parse(readFileSync(`rules/transit/all/network.v${version}.yaml`, 'utf8')) as { parameters: Record<string, any> }).parameters;
}
