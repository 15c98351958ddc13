import { medicalCatalogueSchema, medicalPolicySchema, type MedicalCatalogueParameters, type MedicalPolicyParameters } from '@onecard/rules';
import type { Region } from '@onecard/kernel';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The repository's medical rule data (version 1), parsed by the kinds' schemas: unit tests compute with the real figures. */
export function policyData(region: Region, version = 1): MedicalPolicyParameters {
  return medicalPolicySchema.parse(parse(readFileSync(`rules/medical/${region}/policy.v${version}.yaml`, 'utf8')).parameters);
}

export function catalogueData(region: Region, version = 1): MedicalCatalogueParameters {
  return medicalCatalogueSchema.parse(parse(readFileSync(`rules/medical/${region}/catalogue.v${version}.yaml`, 'utf8')).parameters);
}
