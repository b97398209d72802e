import { Injectable } from '@nestjs/common';

export interface Item { id: number; name: string }

@Injectable()
export class ItemsRepository {
  private readonly items: Item[] = [{ id: 1, name: 'lamp' }, { id: 2, name: 'desk' }, { id: 3, name: 'chair' }];
  all(): Item[] { return this.items; }
}
