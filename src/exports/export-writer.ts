import type { Response } from 'express';
import type { BatchExportService, ExportColumns } from './batch-export.service';
import { csvLine } from './csv';
import type { ExportFormat } from './export-query';

/**
 * Streams a batch export into an HTTP response, one chunk of rows per write, waiting for the
 * client to drain (a slow download holds one chunk in memory, not the batch). A client that hangs
 * up stops the reading; a failure after the first byte cuts the response short rather than
 * sending a table that looks whole.
 */
export async function writeExport(
  res: Response,
  exports: BatchExportService,
  batchId: string,
  columns: ExportColumns,
  format: ExportFormat,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="batch-${batchId}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  // the client drained what was written, or went away (then the loop below stops)
  const drainedOrClosed = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  const write = async (text: string) => {
    if (!res.write(text)) await drainedOrClosed();
  };
  try {
    let first = true;
    if (format === 'csv')
      await write(
        csvLine([
          'job_id',
          'name',
          ...columns.labels,
          'status',
          'engine',
          'engine_version',
          ...columns.inputs,
          ...columns.values,
          'error',
        ]),
      );
    else await write('[');
    for await (const rows of exports.rows(batchId, columns)) {
      if (res.destroyed) return;
      if (format === 'csv') {
        await write(
          rows
            .map((r) =>
              csvLine([
                r.jobId,
                r.name,
                ...columns.labels.map((name) => r.labels[name]),
                r.status,
                r.engine,
                r.engineVersion,
                ...columns.inputs.map((p) => r.inputs[p]),
                ...columns.values.map((l) => r.values[l]),
                r.error,
              ]),
            )
            .join(''),
        );
      } else {
        let text = '';
        for (const r of rows) {
          text += `${first ? '' : ','}\n${JSON.stringify(r)}`;
          first = false;
        }
        await write(text);
      }
    }
    if (format === 'json') await write('\n]\n');
    res.end();
  } catch (err) {
    res.destroy(err as Error);
  }
}
