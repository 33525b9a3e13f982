import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes concurrent items together and answers each caller with its own result', async () => {
    const writes: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      writes.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => i * 10);
    });
    const results = await Promise.all([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(writes).toEqual([[1, 2, 3, 4]]);
    expect(await gc.submit(5)).toBe(50);
  });

  it('isolates a failing item: only its caller is rejected', async () => {
    const gc = new GroupCommit<number>(async (items) => {
      if (items.includes(3)) throw new Error('bad 3');
      return items.map(() => undefined);
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });

  it('respects the batch limit', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number>(async (items) => {
      sizes.push(items.length);
      return items.map(() => undefined);
    }, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => gc.submit(i)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});
