import { fairPriorities } from './fair-priority';

describe('fairPriorities', () => {
  it("interleaves owners: a heavy user's later jobs rank behind a light user's first", () => {
    const jobs = [
      { ownerId: 'heavy', priority: 5 },
      { ownerId: 'heavy', priority: 5 },
      { ownerId: 'light', priority: 5 },
    ];
    // heavy already had 1000 waiting before these two (1002 counted now), light none (1 now)
    expect(
      fairPriorities(
        jobs,
        new Map([
          ['heavy', 1002],
          ['light', 1],
        ]),
      ),
    ).toEqual([10_005, 10_015, 5]);
  });

  it('keeps the job priority within an owner and caps at BullMQ maximum', () => {
    expect(
      fairPriorities(
        [
          { ownerId: 'a', priority: 1 },
          { ownerId: 'a', priority: 9 },
        ],
        new Map([['a', 2]]),
      ),
    ).toEqual([1, 19]);
    expect(fairPriorities([{ ownerId: 'a', priority: 5 }], new Map([['a', 10_000_000]]))).toEqual([2 ** 21]);
  });
});
