/**
 * Text a spreadsheet could run as a formula: = + - @ tab or CR first, or first after a , or ;
 * (spaces between allowed), where a spreadsheet splitting on either would start a cell.
 */
const FORMULA = /(^|[,;])\s*[=+\-@\t\r]/;

/**
 * One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled).
 * Text that could start a formula (FORMULA) is neutralised as OWASP advises: a leading apostrophe
 * and the cell quoted; job names are the user's and a shared file must not compute anything.
 * Numbers are written as they are (a negative energy stays a number).
 */
export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA.test(text)) return quoted(`'${text}`);
  return /[",\r\n]/.test(text) ? quoted(text) : text;
}

function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
