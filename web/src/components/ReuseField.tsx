/** "Reuse identical results": on, a job identical to one you finished takes its results at once instead of running. */
export function ReuseField({ value, onChange }: { value: boolean; onChange: (reuse: boolean) => void }) {
  return (
    <div className="field">
      <label className="checkbox">
        <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} /> Reuse identical results
      </label>
      <div className="hint">
        A job with the same engine, inputs and options as one you finished takes its results at once, without running.
      </div>
    </div>
  );
}
