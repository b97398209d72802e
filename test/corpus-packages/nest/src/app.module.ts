import { Module } from '@nestjs/common';
import { ItemsModule } from '@app/items/items.module';
import { HealthController } from './health.controller';

@Module({ imports: [ItemsModule], controllers: [HealthController] })
export class AppModule {}
