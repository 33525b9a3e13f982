import { Field } from './Field';

export type QcTask = 'sp' | 'opt' | 'freq' | 'optfreq';

/** What the QC job computes: one choice for the single-job and the batch forms. */
export function TaskField({
  value,
  onChange,
  error,
}: {
  value: QcTask;
  onChange: (task: QcTask) => void;
  error?: string;
}) {
  return (
    <Field label="Task" error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value as QcTask)}>
          <option value="sp">single point</option>
          <option value="opt">geometry optimisation</option>
          <option value="freq">frequencies (at this geometry)</option>
          <option value="optfreq">optimisation, then frequencies</option>
        </select>
      )}
    </Field>
  );
}

export function GfnField({
  value,
  onChange,
  error,
}: {
  value: number;
  onChange: (gfn: number) => void;
  error?: string;
}) {
  return (
    <Field label="GFN level" error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(Number(e.target.value))}>
          <option value={2}>GFN2-xTB</option>
          <option value={1}>GFN1-xTB</option>
          <option value={0}>GFN0-xTB</option>
        </select>
      )}
    </Field>
  );
}

/** Gaussian's escape from the server's check of method and basis names: they go into the route as written. */
export function CustomKeywordsField({
  value,
  onChange,
  error,
}: {
  value: boolean;
  onChange: (custom: boolean) => void;
  error?: string;
}) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label className="checkbox">
        <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} /> Custom keywords
      </label>
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : (
        <div className="hint">
          Send method and basis as written, for names the server does not know (it checks them against Gaussian
          16&apos;s).
        </div>
      )}
    </div>
  );
}
