import { maxInAnyWindow } from './windows';

describe('maxInAnyWindow', () => {
  it('counts half-open windows wherever they start', () => {
    expect(maxInAnyWindow([0, 999, 1000, 1001, 1998], 1000)).toBe(4);
    expect(maxInAnyWindow([0, 500, 1000, 1500], 1000)).toBe(2);
    expect(maxInAnyWindow([5, 1, 3], 10)).toBe(3);
    expect(maxInAnyWindow([], 10)).toBe(0);
  });
});
