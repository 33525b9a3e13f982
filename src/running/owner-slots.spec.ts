import { OwnerSlots, slotsPerOwner } from './owner-slots';

describe('OwnerSlots (per-user fairness inside one pool)', () => {
  it('gives an owner at most its limit of slots; a release frees one; owners are counted apart', () => {
    const slots = new OwnerSlots();
    const a1 = slots.take('a', 1);
    expect(a1).not.toBeNull();
    expect(slots.take('a', 1)).toBeNull();
    expect(slots.take('b', 1)).not.toBeNull();
    a1!();
    a1!(); // a second release of the same slot changes nothing
    const a2 = slots.take('a', 1);
    expect(a2).not.toBeNull();
    expect(slots.take('a', 1)).toBeNull();
  });

  it('wakes a waiting slot when any slot is released, or after its time', async () => {
    const slots = new OwnerSlots();
    const release = slots.take('a', 2)!;
    let woke = false;
    const waiting = slots.anyRelease(60_000).then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    release();
    await waiting;
    expect(woke).toBe(true);
    const t0 = Date.now();
    await slots.anyRelease(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('defaults to all slots but one, at least one; the operator may set it', () => {
    expect(slotsPerOwner(1)).toBe(1);
    expect(slotsPerOwner(2)).toBe(1);
    expect(slotsPerOwner(8)).toBe(7);
    expect(slotsPerOwner(8, 2)).toBe(2);
  });
});
