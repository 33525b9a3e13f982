import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import type { TestWorld } from './test-config';

export async function openDataSource(world: TestWorld): Promise<DataSource> {
  return new DataSource(dataSourceOptions(world.master)).initialize();
}
