export type QuantityValue = number | string | boolean | null;

/** One value of a report with its unit (null for counts, flags and text). */
export interface Quantity {
  label: string;
  value: QuantityValue;
  unit: string | null;
}

/** The values of one report, in the order they were read. */
export class Quantities {
  readonly items: Quantity[] = [];

  put(label: string, value: QuantityValue | undefined, unit: string | null = null): void {
    this.items.push({ label, value: value ?? null, unit });
  }
}

/** The label a person reads: "total energy (Eh)"; the flat summary of a report keys its values by it. */
export const labelWithUnit = (q: Quantity): string => (q.unit ? `${q.label} (${q.unit})` : q.label);

export function summaryOf(quantities: Quantity[]): Record<string, QuantityValue> {
  return Object.fromEntries(quantities.map((q) => [labelWithUnit(q), q.value]));
}
