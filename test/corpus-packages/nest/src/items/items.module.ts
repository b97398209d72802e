import { Module } from '@nestjs/common';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';
import { ItemsRepository } from './items.repository';

@Module({ controllers: [ItemsController], providers: [ItemsService, ItemsRepository] })
export class ItemsModule {}
