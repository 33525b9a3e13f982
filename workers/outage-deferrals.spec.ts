import { OUTAGE_RETRY_MS, OutageDeferrals } from './outage-deferrals';

describe('OutageDeferrals: an entry waits out an outage without spending attempts, for a while', () => {
  let now = 0;
  const deferrals = () => new OutageDeferrals(60_000, () => now);

  it('defers every ~1.5 s (jittered) until the patience is spent, then lets the failure count once', () => {
    const d = deferrals();
    now = 0;
    for (let i = 0; i < 40; i++, now += 1_500) {
      const delay = d.defer('qc:a')!;
      expect(delay).toBeGreaterThanOrEqual((OUTAGE_RETRY_MS * 2) / 3 - 1);
      expect(delay).toBeLessThanOrEqual((OUTAGE_RETRY_MS * 4) / 3 + 1);
    }
    now = 60_001;
    expect(d.defer('qc:a')).toBeUndefined(); // this failure counts as an attempt
    expect(d.defer('qc:a')).toBeDefined(); // and a new patience starts with the next one
  });

  it('an entry that ran starts afresh; other entries keep their own patience', () => {
    const d = deferrals();
    now = 0;
    d.defer('qc:a');
    d.defer('qc:b');
    expect(d.waiting('qc:a')).toBe(true);
    d.clear('qc:a');
    expect(d.waiting('qc:a')).toBe(false);
    now = 59_000;
    expect(d.defer('qc:a')).toBeDefined();
    now = 60_500;
    expect(d.defer('qc:b')).toBeUndefined();
    expect(d.defer('qc:a')).toBeDefined();
  });

  it('forgets entries deferred long ago (taken by another pool since)', () => {
    const d = deferrals();
    now = 0;
    d.defer('qc:gone');
    now = 130_000;
    d.defer('qc:other');
    expect(d.waiting('qc:gone')).toBe(false);
  });
});
