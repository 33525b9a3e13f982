import { Body, Controller, HttpCode, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ENGINE_QUEUE } from '../engines/engine-offers';
import { EngineRegistry } from '../engines/engine-registry';
import { EnginesReportDto } from './dto/engines-report.dto';
import type { EnginesReportResponse } from './pull-contract';
import { WorkerTokenGuard, type WorkerRequest } from './worker-token.guard';

/** How long a bridge's entry lives unrenewed, and how often it should report (a claim long-polls 25 s). */
const BRIDGE_ENTRY_TTL_MS = 60_000;
const BRIDGE_REPORT_EVERY_MS = 20_000;

@ApiTags('workers (bridges)')
@ApiBearerAuth()
@UseGuards(WorkerTokenGuard)
@Controller('workers/engines')
export class BridgeEnginesController {
  constructor(private readonly registry: EngineRegistry) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "What the bridge's cluster can run (engines and versions): its entry in the engine registry, renewed by the next report; no queues removes it",
  })
  async report(@Req() req: WorkerRequest, @Body() body: EnginesReportDto): Promise<EnginesReportResponse> {
    const id = `bridge:${req.workerToken.id}:${body.instanceId}`;
    const queues = [...new Set(body.queues)].filter((q) => req.workerToken.queues.includes(q)); // the token's scope bounds it
    if (queues.length === 0) await this.registry.remove(id);
    else {
      const engines = body.engines
        .filter((o) => queues.includes(ENGINE_QUEUE[o.engine]))
        .map((o) => ({ engine: o.engine, version: o.version ?? null }));
      await this.registry.publish(id, { kind: 'bridge', queues, engines }, BRIDGE_ENTRY_TTL_MS);
    }
    return { ttlMs: BRIDGE_ENTRY_TTL_MS, reportEveryMs: BRIDGE_REPORT_EVERY_MS };
  }
}
