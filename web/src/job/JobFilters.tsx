import { JOB_STATUSES } from '../api';

/** The jobs list's search: name, status, engine, created since (each kept in the URL). */
export function JobFilters({
  params,
  setFilter,
}: {
  params: URLSearchParams;
  setFilter: (name: string, value: string) => void;
}) {
  return (
    <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search by name
        <input
          type="search"
          value={params.get('q') ?? ''}
          onChange={(e) => setFilter('q', e.target.value)}
          maxLength={100}
        />
      </label>
      <label>
        Status
        <select value={params.get('status') ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
          <option value="">any</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Engine
        <select value={params.get('engine') ?? ''} onChange={(e) => setFilter('engine', e.target.value)}>
          <option value="">any</option>
          <option value="xtb">xtb</option>
          <option value="gaussian">Gaussian</option>
          <option value="lammps">LAMMPS</option>
        </select>
      </label>
      <label>
        Created since
        <input
          type="date"
          value={params.get('createdFrom') ?? ''}
          onChange={(e) => setFilter('createdFrom', e.target.value)}
        />
      </label>
    </form>
  );
}
