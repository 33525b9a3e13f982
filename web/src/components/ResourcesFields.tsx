import { Field } from './Field';

export interface Resources {
  tasks: number;
  walltimeMinutes: number;
  memoryMb: number;
}

export function ResourcesFields({
  value,
  onChange,
  errors,
}: {
  value: Resources;
  onChange: (r: Resources) => void;
  errors: Record<string, string>;
}) {
  const set = (key: keyof Resources) => (e: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [key]: Number(e.target.value) });
  return (
    <fieldset className="row">
      <legend>Resources</legend>
      <Field label="Cores" error={errors['resources.tasks']}>
        {(p) => <input {...p} type="number" min={1} max={128} value={value.tasks} onChange={set('tasks')} />}
      </Field>
      <Field label="Walltime (min)" error={errors['resources.walltimeMinutes']}>
        {(p) => <input {...p} type="number" min={1} value={value.walltimeMinutes} onChange={set('walltimeMinutes')} />}
      </Field>
      <Field label="Memory (MB)" error={errors['resources.memoryMb']}>
        {(p) => <input {...p} type="number" min={100} step={100} value={value.memoryMb} onChange={set('memoryMb')} />}
      </Field>
    </fieldset>
  );
}
