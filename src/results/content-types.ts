const BY_EXTENSION: Record<string, string> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  xyz: 'chemical/x-xyz',
  log: 'text/plain; charset=utf-8',
  out: 'text/plain; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  dump: 'text/plain; charset=utf-8',
  gjf: 'text/plain; charset=utf-8',
};

/** A file's content type from its name; unknown kinds are served as bytes. */
export function contentTypeOf(name: string): string {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return (
    BY_EXTENSION[ext] ?? (/^(log|stdout|stderr)/.test(name) ? 'text/plain; charset=utf-8' : 'application/octet-stream')
  );
}
