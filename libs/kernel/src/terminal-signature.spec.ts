import { createHash, createHmac } from 'node:crypto';
import { computeSignature, diversifyTerminalKey, signingString, signTerminalRequest, verifySignature } from './terminal-signature.js';

describe('terminal request signatures (TERMINAL-API.md)', () => {
  const master = 'test-master-key-0123456789';

  it('diversifies the key as HMAC-SHA256(master, terminalId), raw bytes', () => {
    const key = diversifyTerminalKey(master, 'TJ-TIANJIN-G03');
    expect(key).toEqual(createHmac('sha256', master).update('TJ-TIANJIN-G03').digest());
    expect(key).toHaveLength(32);
    expect(diversifyTerminalKey(master, 'TJ-TIANJIN-G04').equals(key)).toBe(false);
  });

  it('signs method, path with query, timestamp and the body hash, as an independent implementation computes it', () => {
    const body = '{"tapId":"t1","cardNo":"T12345678"}';
    const key = diversifyTerminalKey(master, 'G1');
    const expected = createHmac('sha256', key)
      .update(`POST\n/v1/transit/taps?x=1\n1700000000000\n${createHash('sha256').update(body).digest('hex')}`)
      .digest('hex');
    expect(computeSignature(key, 'post', '/v1/transit/taps?x=1', '1700000000000', body)).toBe(expected);
    expect(signingString('GET', '/v1/x', '1', '')).toBe(`GET\n/v1/x\n1\n${createHash('sha256').update('').digest('hex')}`);
  });

  it('verifies its own signatures and rejects any change', () => {
    const h = signTerminalRequest({ masterKey: master, terminalId: 'G1', method: 'POST', path: '/v1/a', body: '{}', timestampMs: 42 });
    const key = diversifyTerminalKey(master, 'G1');
    expect(verifySignature(key, 'POST', '/v1/a', '42', '{}', h['x-signature'])).toBe(true);
    expect(verifySignature(key, 'POST', '/v1/a', '42', '{ }', h['x-signature'])).toBe(false);
    expect(verifySignature(key, 'POST', '/v1/b', '42', '{}', h['x-signature'])).toBe(false);
    expect(verifySignature(key, 'POST', '/v1/a', '43', '{}', h['x-signature'])).toBe(false);
    expect(verifySignature(key, 'POST', '/v1/a', '42', '{}', h['x-signature'].toUpperCase())).toBe(false);
    expect(verifySignature(key, 'POST', '/v1/a', '42', '{}', 'zz')).toBe(false);
  });
});
