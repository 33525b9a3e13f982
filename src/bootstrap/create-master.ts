import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mountBullBoard } from '../admin/bull-board';
import { AppModule } from '../app.module';
import { mountWebApp } from '../web/web-app';
import { DomainErrorFilter } from '../http/domain-error.filter';
import { jsonBody } from '../http/json-body';
import { opsGate } from '../http/ops-gate';
import { UnavailableFilter } from '../http/unavailable.filter';
import helmet from 'helmet';

/** Large enough for a bulk submission of 1,000 jobs with mid-sized molecules. */
const JSON_BODY_LIMIT = '16mb';
import type { MasterConfig } from '../config/master.config';

/** Builds the master application (used by main.ts and by the tests). */
export async function createMaster(config: MasterConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.use(jsonBody(JSON_BODY_LIMIT));
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUSTED_PROXIES === 'none' ? false : config.TRUSTED_PROXIES.split(','));
  // helmet's headers on every answer (nosniff, frame and opener policies, HSTS…); the web app and Bull Board set their own CSP
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(opsGate(config)); // /metrics and /docs, every spelling of them
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  // Nest tries global filters last-registered first: domain errors first, then PostgreSQL/Redis away → 503
  app.useGlobalFilters(new UnavailableFilter(app.getHttpAdapter()), new DomainErrorFilter());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('molq')
      .setDescription('Computational chemistry job platform')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  mountBullBoard(app);
  mountWebApp(app);
  return app;
}
