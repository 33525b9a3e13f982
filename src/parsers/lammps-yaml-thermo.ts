/**
 * The YAML thermo output of LAMMPS 24 Mar 2022 and later (`thermo_style yaml`, or any style with
 * `thermo_modify line yaml`): one YAML document per run,
 *
 *     ---
 *     keywords: [Step, Temp, E_pair, ]          (newer versions quote them: ['Step', 'Temp', ])
 *     data:
 *       - [100, 0.757453103239935, -5.7585054860159, ]
 *     ...
 *
 * These helpers read its lines one by one; the log parser keeps the block.
 */

/** The items of a flow sequence "[a, 'b', ]" (the trailing comma LAMMPS prints is dropped), or null. */
function flowItems(text: string): string[] | null {
  const m = /^\[(.*)\]$/.exec(text.trim());
  if (!m) return null;
  const items = m[1].split(',').map((s) => s.trim());
  if (items[items.length - 1] === '') items.pop();
  return items;
}

/** An item without its YAML quotes ('c_msd[4]' → c_msd[4]; '' inside single quotes is one quote). */
function unquoted(item: string): string {
  if (/^'.*'$/.test(item)) return item.slice(1, -1).replace(/''/g, "'");
  if (/^".*"$/.test(item)) return item.slice(1, -1);
  return item;
}

/** The column names of a `keywords: [...]` line, or null when the line is not one. */
export function yamlKeywords(line: string): string[] | null {
  const m = /^keywords:\s*(\[.*\])\s*$/.exec(line);
  const items = m ? flowItems(m[1]) : null;
  return items && items.length > 0 ? items.map(unquoted) : null;
}

/** The values of a `- [...]` data row, as printed, or null when the line is not one. */
export function yamlDataRow(line: string): string[] | null {
  const m = /^-\s+(\[.*\])\s*$/.exec(line);
  return m ? flowItems(m[1]) : null;
}
