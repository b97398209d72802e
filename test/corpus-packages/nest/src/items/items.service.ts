import { Injectable, NotFoundException } from '@nestjs/common';
import { ItemsRepository, type Item } from './items.repository';

// Constructor injection: Nest reads the parameter types from design:paramtypes metadata.
@Injectable()
export class ItemsService {
  constructor(private readonly repository: ItemsRepository) {}
  list(): Item[] { return this.repository.all(); }
  get(id: number): Item {
    const item = this.repository.all().find((i) => i.id === id);
    if (!item) throw new NotFoundException(`item ${id} not found`);
    return item;
  }
}
