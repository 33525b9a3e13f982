import { useEffect, useRef } from 'react';
import type { JobChange } from './api';

/**
 * Calls `onChange` for every change of the signed-in user's jobs, pushed by the master
 * (server-sent events; the browser reconnects by itself). `onReconnect` lets a page re-read
 * what it shows, since changes made while disconnected are not replayed.
 */
export function useJobChanges(onChange: (change: JobChange) => void, onReconnect?: () => void): void {
  const handler = useRef(onChange);
  const reconnect = useRef(onReconnect);
  handler.current = onChange;
  reconnect.current = onReconnect;
  useEffect(() => {
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    let opened = false;
    source.addEventListener('job', (e) => handler.current(JSON.parse((e as MessageEvent<string>).data) as JobChange));
    source.addEventListener('open', () => {
      if (opened) reconnect.current?.();
      opened = true;
    });
    return () => source.close();
  }, []);
}
