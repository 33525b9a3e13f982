import { Module } from '@nestjs/common';
import { Reconciler } from './reconciler.service';

@Module({ providers: [Reconciler], exports: [Reconciler] })
export class ReconcilerModule {}
