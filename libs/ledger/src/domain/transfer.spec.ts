import { InvalidTransferError, reverseLegs, validateLegs } from './transfer.js';

describe('transfer legs', () => {
  it('accepts positive integer fen between two different, well-formed accounts', () => {
    expect(() => validateLegs([{ from: 'external:bank', to: 'card:1:transit', amount: 1 }])).not.toThrow();
    expect(() => validateLegs([])).not.toThrow();
  });

  it.each([
    [{ from: 'card:1:transit', to: 'card:1:transit', amount: 1 }, /same account/],
    [{ from: 'external:bank', to: 'card:1:transit', amount: 0 }, /positive integer/],
    [{ from: 'external:bank', to: 'card:1:transit', amount: -5 }, /positive integer/],
    [{ from: 'external:bank', to: 'card:1:transit', amount: 0.5 }, /positive integer/],
    [{ from: 'external:bank', to: 'card:1:transit', amount: 2 ** 53 }, /positive integer/],
    [{ from: 'Bank', to: 'card:1:transit', amount: 1 }, /bad account code/],
    [{ from: 'external:bank', to: 'card:1 :transit', amount: 1 }, /bad account code/],
  ])('refuses %o', (leg, message) => {
    expect(() => validateLegs([leg])).toThrow(InvalidTransferError);
    expect(() => validateLegs([leg])).toThrow(message);
  });

  it('reverses a group leg by leg, last leg first, so money passed on comes back before it is returned', () => {
    expect(
      reverseLegs([
        { from: 'external:bank', to: 'card:1:transit', amount: 500 },
        { from: 'card:1:transit', to: 'operator:rail:revenue', amount: 300 },
      ]),
    ).toEqual([
      { from: 'operator:rail:revenue', to: 'card:1:transit', amount: 300 },
      { from: 'card:1:transit', to: 'external:bank', amount: 500 },
    ]);
    expect(reverseLegs([])).toEqual([]);
  });
});
