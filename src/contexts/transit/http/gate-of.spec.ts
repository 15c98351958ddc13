import { ProblemError } from '@onecard/kernel';
import { gateOf } from './transit.controller.js';

const gate = { terminalId: 'BJN-G-IN-1', kind: 'GATE' as const, venueId: 'BJN', region: '11' as const, direction: 'IN' as const, cardNo: null, enabled: true };

describe('the gate a tap comes from', () => {
  it('takes the station and direction from the registry, never the body', () => {
    expect(gateOf(gate)).toEqual({ terminalId: 'BJN-G-IN-1', station: 'BJN', direction: 'IN' });
    expect(gateOf({ ...gate, direction: 'OUT' }).direction).toBe('OUT');
  });

  it('refuses with 403 a gate configured without a direction or a station', () => {
    for (const bad of [
      { ...gate, direction: null },
      { ...gate, venueId: null },
    ]) {
      let status = 0;
      try {
        gateOf(bad);
      } catch (error) {
        status = (error as ProblemError).problem.status;
      }
      expect(status).toBe(403);
    }
  });
});
