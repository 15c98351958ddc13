import { isDatabaseUnavailable } from './database-errors.js';

describe('database unavailability', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '57P01' }],
    [{ code: '08006' }],
    [{ code: '53300' }],
    [{ code: '57014' }],
    [new Error('timeout exceeded when trying to connect')],
    [{ driverError: { code: 'ECONNRESET' } }],
    [{ message: 'wrapped', cause: new Error('Connection terminated unexpectedly') }],
  ])('%o means retry later (503)', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([[{ code: '23505' }], [{ code: '22P02' }], [new Error('boom')], [null], [undefined]])('%o is not an outage', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
