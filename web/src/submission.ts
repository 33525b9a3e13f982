import { useState } from 'react';
import { ApiError } from './api';

/**
 * A form's submission: busy while it runs, and what the API refused, by the field it names
 * (`known`; anything else under ""). One place for every form's try/catch/finally.
 */
export function useSubmission(known: string[], failure: string) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    try {
      await work();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.fieldsOf(known) : { '': failure });
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, setErrors, run };
}
