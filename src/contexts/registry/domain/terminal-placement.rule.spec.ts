import { TERMINAL_KINDS, type TerminalKind } from '@onecard/platform';
import { placementErrors, VENUE_KIND_OF_TERMINAL } from './terminal-placement.rule.js';
import { VENUE_KINDS, venueProblem, type VenueKind } from './venue.js';

describe('terminal placement', () => {
  const at = (kind: VenueKind) => ({ kind });

  it.each(TERMINAL_KINDS.filter((k) => k !== 'HOLDER_APP'))('places a %s only at its venue kind', (kind: TerminalKind) => {
    const direction = kind === 'GATE' ? 'IN' : null;
    for (const venueKind of VENUE_KINDS) {
      const errors = placementErrors({ kind, venueId: 'V1', direction }, at(venueKind));
      if (venueKind === VENUE_KIND_OF_TERMINAL[kind]) expect(errors).toEqual([]);
      else expect(errors).toEqual([{ pointer: '/kind', detail: expect.stringContaining(`belongs at a ${VENUE_KIND_OF_TERMINAL[kind]}`) }]);
    }
  });

  it('puts a holder app at no venue, bound to a card (and only a holder app)', () => {
    expect(placementErrors({ kind: 'HOLDER_APP', venueId: null, direction: null, cardNo: 'B00000018' }, null)).toEqual([]);
    expect(placementErrors({ kind: 'HOLDER_APP', venueId: 'TJN', direction: null, cardNo: 'B00000018' }, at('STATION')).map((e) => e.pointer)).toEqual([
      '/venueId',
    ]);
    expect(placementErrors({ kind: 'HOLDER_APP', venueId: null, direction: null }, null).map((e) => e.pointer)).toEqual(['/cardNo']);
    expect(placementErrors({ kind: 'CLINIC', venueId: 'C1', direction: null, cardNo: 'B00000018' }, at('CLINIC')).map((e) => e.pointer)).toEqual(['/cardNo']);
  });

  it('needs a venue that exists for every other kind', () => {
    expect(placementErrors({ kind: 'CLINIC', venueId: null, direction: null }, null).map((e) => e.pointer)).toEqual(['/venueId']);
    expect(placementErrors({ kind: 'CLINIC', venueId: 'NOPE', direction: null }, null)).toEqual([{ pointer: '/venueId', detail: 'unknown venue "NOPE"' }]);
  });

  it('needs a direction on a gate and only there', () => {
    expect(placementErrors({ kind: 'GATE', venueId: 'TJN', direction: null }, at('STATION')).map((e) => e.pointer)).toEqual(['/direction']);
    expect(placementErrors({ kind: 'GATE', venueId: 'TJN', direction: 'OUT' }, at('STATION'))).toEqual([]);
    expect(placementErrors({ kind: 'SEAT_MACHINE', venueId: 'TJN', direction: 'IN' }, at('STATION')).map((e) => e.pointer)).toEqual(['/direction']);
    // Every problem at once, so the operator fixes them in one go.
    expect(placementErrors({ kind: 'SCENIC_GATE', venueId: 'TJN', direction: 'IN' }, at('STATION')).map((e) => e.pointer)).toEqual(['/kind', '/direction']);
  });

  it('checks venues: a level for clinics only, ids and names', () => {
    const v = { venueId: 'CLN-1', kind: 'CLINIC' as const, level: 2 as const, name: 'x' };
    expect(venueProblem(v)).toBeNull();
    expect(venueProblem({ ...v, level: null })).toMatch(/needs a level/);
    expect(venueProblem({ ...v, kind: 'MUSEUM', level: 1 })).toMatch(/only clinics/);
    expect(venueProblem({ ...v, venueId: 'a b' })).toMatch(/venue id/);
    expect(venueProblem({ ...v, name: ' ' })).toMatch(/name/);
  });
});
