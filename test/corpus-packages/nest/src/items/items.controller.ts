import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ItemsService } from './items.service';
import type { Item } from './items.repository';

@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}
  @Get()
  list(): Item[] { return this.items.list(); }
  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Item { return this.items.get(id); }
}
